import fs from 'node:fs';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, screenshot as saveScreenshot, startServer } from './server.js';

/**
 * The dispute (数据异议, D1) journey through the console: the public security bureau's sharing
 * officer disputes one record of the civil affairs bureau's dataset 最低生活保障信息 (its content);
 * the authority finds it on its to-do list and transfers it; the civil affairs bureau's
 * administrator resolves it as corrected with a note; the requester sees it resolved and downloads
 * the verification report (a PDF). Then the API-client page: a client certificate (mTLS) is issued,
 * its private key shown once, listed, and revoked.
 */

/** The rendered text of a locator (Playwright's innerText, not the DOM property the linter means). */
const textOf = (locator: Locator): Promise<string> => locator.innerText();

const PASSWORD = 'Huitong@2026';
const ENTRY = '最低生活保障信息';
const PROVIDER = '惠州市民政局';
const DESCRIPTION = '该对象已于2026年9月在户籍系统登记死亡，低保数据仍显示在保';
const TRANSFER_NOTE = '非技术原因，转民政局核查更正';
const RESOLVE_NOTE = '经核查，已停发并更新保障状态';
const CLIENT = '低保业务系统';

/** A demo recipient of the civil affairs bureau (src/domains/demo/demo-collection.ts). */
function demoCitizenId(i: number): string {
  const year = 1940 + (i % 60);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
  const first17 = `441302${year}${month}${day}${String(100 + i).slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, n) => s + Number(d) * (weights[n] as number), 0);
  return first17 + '10X98765432'[sum % 11];
}
const SUBJECT = demoCitizenId(3);
/** The person whose objection the authority's staff take at the counter. */
const OBJECTOR = demoCitizenId(5);

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Uncaught page errors of every page in this file; the journey fails on any. */
const pageErrors: string[] = [];
let requester: Page;
let disputeId = '';
let disputeNo = '';

/** A fresh browser context for one user, signed in through the login page, on the home page. */
async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1360, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`${username}: ${err.message}`));
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  await page.getByRole('heading', { level: 4, name: '工作台' }).waitFor();
  return page;
}

/** A full-page screenshot taken from the top. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

/** The open dropdown of an antd Select. */
const dropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/** Searches the dataset picker and picks the civil affairs bureau's entry. */
async function pickDataset(page: Page): Promise<void> {
  const picker = page.getByTestId('dispute-dataset');
  await picker.click();
  await page.keyboard.type('最低生活保障');
  await dropdown(page).locator('.ant-select-item-option', { hasText: `${ENTRY}（${PROVIDER}）` }).click();
  await dropdown(page).waitFor({ state: 'hidden' });
  await expect.poll(() => textOf(picker)).toContain(ENTRY);
}

/** Picks `option` in an antd Select: opens it, clicks the option in the open dropdown, waits until it closes. */
async function pickOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  await dropdown(page).locator('.ant-select-item-option', { hasText: exactly(option) }).click();
  await dropdown(page).waitFor({ state: 'hidden' });
  await expect.poll(() => textOf(select)).toContain(option);
}

/** A link of the left menu. */
const menu = (page: Page, label: string) => page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: label, exact: true });

/** The status tag next to the dispute page's title. */
const statusTag = (page: Page) => page.locator('.ht-page-header').getByTestId('dispute-status');

/** Everything the browser keeps for the page: address, local and session storage. */
async function browserState(page: Page): Promise<string> {
  return page.evaluate(() => JSON.stringify({ url: window.location.href, local: { ...window.localStorage }, session: { ...window.sessionStorage } }));
}

/** The bytes of a finished download. */
async function downloaded(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFileSync(file);
}

beforeAll(async () => {
  server = await startServer('dispute-journey');
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('dispute journey: file → transfer → resolve as corrected → report', () => {
  it("the public security bureau's sharing officer disputes one record of the civil affairs dataset; the number never enters the address or storage", async () => {
    requester = await signIn('psbsharer');
    await menu(requester, '数据异议').click();
    await requester.getByRole('heading', { level: 4, name: '数据异议' }).waitFor();
    await requester.getByTestId('dispute-new').click();
    await requester.getByRole('heading', { level: 4, name: '提出异议' }).waitFor();

    // Nothing chosen, nothing sent: the form says what is missing.
    await requester.getByTestId('dispute-submit').click();
    await requester.getByText('请选择数据资源').waitFor();
    await requester.getByText('请填写异议说明').waitFor();

    // The dataset is found by searching the catalog as one types.
    await pickDataset(requester);

    await requester.getByTestId('dispute-category').locator('label', { hasText: exactly('内容') }).click();
    await requester.getByTestId('dispute-description').fill(DESCRIPTION);
    // A number without its type is stopped before it is sent.
    await requester.getByTestId('dispute-id').fill(SUBJECT);
    await requester.getByTestId('dispute-submit').click();
    await requester.getByText('请选择证件类型').waitFor();
    await pickOption(requester, requester.getByTestId('dispute-id-type'), '公民身份号码');
    expect(await browserState(requester)).not.toContain(SUBJECT);
    await screenshot(requester, 'dispute-file');
    await requester.getByTestId('dispute-submit').click();

    await requester.waitForURL(/\/disputes\/[0-9a-f-]{36}$/);
    disputeId = new URL(requester.url()).pathname.split('/').pop() as string;
    await expect.poll(() => textOf(statusTag(requester))).toBe('已受理');
    disputeNo = ((await textOf(requester.getByRole('heading', { level: 4 }))).match(/YY\d{10}/) ?? [''])[0];
    expect(disputeNo).toMatch(/^YY\d{10}$/);

    // Shown masked, kept nowhere in the browser.
    const subject = await textOf(requester.getByTestId('dispute-subject'));
    expect(subject).toContain(`${SUBJECT.slice(0, 4)}**********${SUBJECT.slice(-4)}`);
    expect(await textOf(requester.locator('body'))).not.toContain(SUBJECT);
    expect(await browserState(requester)).not.toContain(SUBJECT);

    // The platform checks it first, by a due date; the requester has no step to take.
    expect(await textOf(requester.getByTestId('dispute-due'))).toMatch(/^\d{4}-\d{2}-\d{2}/);
    expect(await textOf(requester.getByTestId('dispute-next-step'))).toContain('等待平台（数据主管部门）办理');
    expect(await requester.locator('[data-testid^=dispute-action-]').count()).toBe(0);
    expect(await textOf(requester.getByTestId('dispute-history'))).toContain('提出异议');
    await screenshot(requester, 'dispute-filed');
  });

  it('lists it under 本部门提出的 with its status and due date', async () => {
    await menu(requester, '数据异议').click();
    await requester.getByRole('heading', { level: 4, name: '数据异议' }).waitFor();
    await requester.getByTestId('dispute-role').getByText('本部门提出的', { exact: true }).click();
    await requester.waitForURL((url) => url.searchParams.get('role') === 'filed');
    const row = requester.getByTestId('dispute-list').locator('tr', { hasText: disputeNo });
    const text = await textOf(row);
    expect(text).toContain(ENTRY);
    expect(text).toContain(PROVIDER);
    expect(text).toContain('内容');
    expect(text).toContain('已受理');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toContain(SUBJECT);
    await screenshot(requester, 'dispute-list');
  });

  it('the authority opens it from its to-do list and transfers it to the responsible department', async () => {
    const authority = await signIn('authority');
    await authority.getByTestId('task-count-dispute').waitFor();
    await authority.getByRole('link', { name: new RegExp(disputeNo) }).click();
    await authority.waitForURL((url) => url.pathname === `/disputes/${disputeId}`);
    await authority.getByTestId('dispute-action-find_technical').waitFor();
    expect(await textOf(authority.getByTestId('dispute-next-step'))).toContain('待您办理');

    await authority.getByTestId('dispute-action-transfer').click();
    await authority.getByTestId('dispute-step-note').fill(TRANSFER_NOTE);
    await authority.getByTestId('dispute-step-confirm').click();
    await expect.poll(() => textOf(statusTag(authority))).toBe('已转交责任部门');
    expect(await authority.locator('[data-testid^=dispute-action-]').count()).toBe(0);
    const history = await textOf(authority.getByTestId('dispute-history'));
    expect(history).toContain('转交责任部门');
    expect(history).toContain(TRANSFER_NOTE);
  });

  it("the civil affairs bureau's administrator resolves it as corrected, with a note", async () => {
    const civil = await signIn('deptadmin');
    await civil.getByTestId('task-count-dispute').waitFor();
    await civil.getByRole('link', { name: new RegExp(disputeNo) }).click();
    await civil.waitForURL((url) => url.pathname === `/disputes/${disputeId}`);
    await civil.getByTestId('dispute-action-resolve').click();

    // Resolving needs an outcome and a note: stopped before it is sent.
    await civil.getByTestId('dispute-step-confirm').click();
    await civil.getByText('请选择结论').waitFor();
    await civil.getByText('请填写说明').waitFor();
    await civil.getByTestId('dispute-step-outcome').locator('label', { hasText: exactly('已更正') }).click();
    await civil.getByTestId('dispute-step-note').fill(RESOLVE_NOTE);
    await screenshot(civil, 'dispute-resolve');
    await civil.getByTestId('dispute-step-confirm').click();

    await expect.poll(() => textOf(statusTag(civil))).toBe('已办结');
    const outcome = await textOf(civil.getByTestId('dispute-outcome'));
    expect(outcome).toContain('已更正');
    expect(outcome).toContain(RESOLVE_NOTE);
    expect(await textOf(civil.getByTestId('dispute-history'))).toContain('办结');
    expect(await civil.locator('[data-testid^=dispute-action-]').count()).toBe(0);
  });

  it('the requester sees it resolved and downloads the verification report', async () => {
    await requester.goto(`/disputes/${disputeId}`);
    await expect.poll(() => textOf(statusTag(requester))).toBe('已办结');
    const outcome = await textOf(requester.getByTestId('dispute-outcome'));
    expect(outcome).toContain('已更正');
    expect(outcome).toContain(RESOLVE_NOTE);
    const steps = await textOf(requester.getByTestId('dispute-history'));
    for (const step of ['提出异议', '转交责任部门', '办结']) expect(steps).toContain(step);
    await screenshot(requester, 'dispute-resolved');

    const [download] = await Promise.all([requester.waitForEvent('download'), requester.getByTestId('dispute-report').first().click()]);
    expect(download.suggestedFilename()).toBe(`核查报告-${disputeNo}.pdf`);
    const pdf = await downloaded(download);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);

    // Resolved disputes are filtered by status too.
    await menu(requester, '数据异议').click();
    await requester.getByRole('heading', { level: 4, name: '数据异议' }).waitFor();
    await pickOption(requester, requester.getByTestId('dispute-status-filter'), '已办结');
    await expect.poll(() => textOf(requester.getByTestId('dispute-list'))).toContain(disputeNo);
  });
});

describe('other ways in', () => {
  it("the entry page's 提出异议 opens the form with that dataset chosen", async () => {
    await menu(requester, '目录检索').click();
    await requester.getByTestId('catalog-search-input').fill(ENTRY);
    await requester.getByTestId('catalog-search-input').press('Enter');
    await requester.getByTestId('catalog-search-results').getByRole('link', { name: ENTRY, exact: true }).click();
    await requester.getByRole('heading', { level: 4, name: ENTRY }).waitFor();
    await requester.getByTestId('action-dispute').click();
    await requester.getByRole('heading', { level: 4, name: '提出异议' }).waitFor();
    await expect.poll(() => textOf(requester.getByTestId('dispute-dataset'))).toContain(`${ENTRY}（${PROVIDER}）`);
  });

  it("the authority's staff record a person's objection taken at the counter, and mark the record", async () => {
    const staff = await signIn('authority');
    await menu(staff, '数据异议').click();
    await staff.getByRole('heading', { level: 4, name: '数据异议' }).waitFor();
    await staff.getByTestId('dispute-new-objection').click();
    await staff.getByRole('heading', { level: 4, name: '登记公众异议' }).waitFor();
    await staff.getByTestId('dispute-channel').locator('label', { hasText: exactly('窗口') }).click();
    await staff.getByTestId('dispute-id').fill(OBJECTOR);
    await pickDataset(staff);
    await staff.getByTestId('dispute-category').locator('label', { hasText: exactly('数据错误') }).click();
    await staff.getByTestId('dispute-description').fill('本人已于2025年退出低保，平台仍显示在保');
    await staff.getByTestId('dispute-submit').click();

    await staff.waitForURL(/\/disputes\/[0-9a-f-]{36}$/);
    await expect.poll(() => textOf(statusTag(staff))).toBe('已受理');
    const summary = await textOf(staff.locator('.ht-dispute-section', { hasText: '异议信息' }));
    expect(summary).toContain('公众异议');
    expect(summary).toContain('窗口');
    expect(summary).toContain('数据错误');
    expect(await textOf(staff.getByTestId('dispute-subject'))).toContain(`${OBJECTOR.slice(0, 4)}**********${OBJECTOR.slice(-4)}`);
    expect(await browserState(staff)).not.toContain(OBJECTOR);

    // First the record is marked as disputed; then the authority decides or transfers.
    await staff.getByTestId('dispute-action-mark').click();
    await staff.getByTestId('dispute-step-confirm').click();
    await expect.poll(() => textOf(statusTag(staff))).toBe('已异议标注');
    expect(await textOf(staff.locator('.ht-dispute-section', { hasText: '异议信息' }))).toContain('起标注');
    await staff.getByTestId('dispute-action-transfer').waitFor();
    await staff.getByTestId('dispute-action-resolve').waitFor();
    await screenshot(staff, 'dispute-objection-marked');
  });
});

describe('client certificates on the API client page', () => {
  it('issues a certificate whose private key is shown once, lists it, then revokes it', async () => {
    const page = await signIn('deptadmin');
    await menu(page, 'API 客户端').click();
    await page.getByRole('heading', { level: 4, name: 'API 客户端' }).waitFor();
    await page.getByTestId('api-client-new').click();
    await page.getByTestId('api-client-name').fill(CLIENT);
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByTestId('api-client-secret-done').click();

    const row = page.locator('tr', { hasText: CLIENT });
    await row.getByTestId('api-client-certs').click();
    const drawer = page.locator('.ant-drawer-content-wrapper');
    await drawer.getByText(`客户端证书 · ${CLIENT}`).waitFor();
    await drawer.getByText('暂无证书').waitFor();

    await page.getByTestId('cert-issue').click();
    await page.getByTestId('cert-days').fill('90');
    await page.getByTestId('cert-issue-confirm').click();

    // The key, the certificate and the CA certificate, shown this once, with a warning.
    const key = page.getByTestId('cert-key-pem');
    await key.waitFor();
    expect(await textOf(page.getByTestId('cert-key-warning'))).toContain('私钥只显示这一次');
    const keyPem = await key.inputValue();
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(await page.getByTestId('cert-cert-pem').inputValue()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await page.getByTestId('cert-ca-pem').inputValue()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const [keyFile] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cert-key-pem-download').click()]);
    expect(keyFile.suggestedFilename()).toBe('key.pem');
    expect((await downloaded(keyFile)).toString('utf8')).toBe(keyPem);
    await screenshot(page, 'client-certificate-issued');
    await page.getByTestId('cert-issued-done').click();
    await key.waitFor({ state: 'detached' });

    // Listed as valid, for 90 days; the key is nowhere on the page any more.
    const certRow = page.getByTestId('cert-list').locator('tbody tr.ant-table-row');
    await expect.poll(() => certRow.count()).toBe(1);
    expect(await textOf(certRow.getByTestId('cert-status'))).toBe('有效');
    expect(await page.content()).not.toContain('BEGIN PRIVATE KEY');
    await screenshot(page, 'client-certificates');

    await certRow.getByTestId('cert-revoke').click();
    await page.getByTestId('cert-revoke-reason').fill('业务系统服务器更换');
    await page.getByTestId('cert-revoke-confirm').click();
    await expect.poll(() => textOf(certRow.getByTestId('cert-status'))).toBe('已吊销');
    expect(await textOf(certRow)).toContain('业务系统服务器更换');
    expect(await certRow.getByTestId('cert-revoke').count()).toBe(0);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
