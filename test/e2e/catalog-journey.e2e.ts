import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, screenshot as saveScreenshot, startServer } from './server.js';

/**
 * The catalog's main journey through the console: an editor drafts and submits an entry, the
 * department's reviewer approves it, the authority publishes it, and catalog search finds it.
 */

/** The rendered text of a locator (Playwright's innerText, not the DOM property the linter means). */
const textOf = (locator: Locator): Promise<string> => locator.innerText();

const PASSWORD = 'Huitong@2026';
/** A word no demo entry uses, so the search below can only find this entry. */
const WORD = '候鸟';
const ENTRY_NAME = `${WORD}老人异地养老登记信息`;

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Uncaught page errors of every page in this file; the journey fails on any. */
const pageErrors: string[] = [];

/** A fresh browser context for one user, signed in through the login page, on the home page. */
async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
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

/** A full-page screenshot taken from the top, so the sticky header sits where it belongs. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

/** The antd form item whose label is exactly `label`. */
function formItem(page: Page, label: string): Locator {
  return page.locator('.ant-form-item').filter({ has: page.locator('.ant-form-item-label label', { hasText: exactly(label) }) });
}

/**
 * Picks `option` in an antd Select: opens it by clicking the select, then clicks the option in the
 * dropdown (rendered in a portal at the end of <body>), then waits until the select shows it.
 */
async function pickOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await dropdown.locator('.ant-select-item-option', { hasText: exactly(option) }).click();
  await select.locator(`[title="${option}"]`).waitFor();
  await dropdown.waitFor({ state: 'hidden' });
}

/** The status tag next to the page title (the version table has status tags of its own). */
function headerStatus(page: Page, title: string, status: string): Locator {
  return page.getByRole('heading', { level: 4, name: title }).locator('xpath=..').getByText(status, { exact: true });
}

/** The id of the entry whose detail page is open. */
function entryIdOf(page: Page): string {
  const match = /\/catalog\/entries\/([^/?#]+)/.exec(new URL(page.url()).pathname);
  if (!match?.[1]) throw new Error(`not on an entry page: ${page.url()}`);
  return match[1];
}

beforeAll(async () => {
  server = await startServer('catalog-journey');
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('catalog journey: draft → submit → approve → publish → search', () => {
  let entryId = '';

  it('an editor drafts an entry in the editor, which demands a legal basis for conditional sharing, and submits it', async () => {
    const page = await signIn('editor');

    // From the home page's shortcuts to the empty editor.
    await page.getByRole('link', { name: '新建目录' }).first().click();
    await page.getByRole('heading', { level: 4, name: '新建资源目录' }).waitFor();

    // 基本信息
    await page.getByTestId('entry-name').fill(ENTRY_NAME);
    await page.getByTestId('entry-nameEn').fill('Registration of elderly people living away in winter');
    await page
      .getByTestId('entry-summary')
      .fill('记录在本市异地养老的候鸟老人基本信息、居住地和登记日期，用于养老服务补贴核发和社区服务对接。');
    await pickOption(page, formItem(page, '信息资源分类').locator('.ant-select'), '主题信息资源');
    await page.getByTestId('entry-classCode').fill('201099');
    await pickOption(page, formItem(page, '更新周期').locator('.ant-select'), '每月');
    const keywords = formItem(page, '关键词').getByRole('combobox');
    for (const word of [WORD, '养老服务']) {
      await keywords.fill(word);
      await keywords.press('Enter');
      await formItem(page, '关键词').locator('[title]', { hasText: exactly(word) }).first().waitFor();
    }

    // 格式
    await pickOption(page, formItem(page, '格式分类').locator('.ant-select'), '电子表格');
    await page.getByTestId('entry-formatType').fill('xlsx');
    await page.getByTestId('entry-formatType').press('Escape');

    // 共享与开放属性: conditional sharing, shared by API and by file.
    await formItem(page, '共享类型').getByText('有条件共享', { exact: true }).click();
    await formItem(page, '共享方式').getByText('文件下载', { exact: true }).click();
    await page.getByTestId('entry-shareConditions').fill('仅限民政、卫生健康部门用于养老服务补贴核发，须经本局审批。');

    // 使用与关联
    await page.getByTestId('entry-scopeOfUse').fill('市、县（区）民政部门');
    await page.getByTestId('entry-sharingPeriod').fill('长期');

    // 信息项: three rows in the editable table.
    const rows = [
      { name: '老人姓名', nameEn: 'elder_name', dataType: 'C 字符型', length: '50', required: true, identifier: false },
      { name: '公民身份号码', nameEn: 'id_number', dataType: 'C 字符型', length: '18', required: true, identifier: true, codeList: 'GB 11643' },
      { name: '登记日期', nameEn: 'registered_on', dataType: 'D 日期型', required: false, identifier: false },
    ];
    for (const [i, row] of rows.entries()) {
      if (i > 0) await page.getByTestId('items-add').click();
      await page.getByTestId(`item-${i}-name`).fill(row.name);
      await page.getByTestId(`item-${i}-nameEn`).fill(row.nameEn);
      await pickOption(page, page.getByTestId(`item-${i}-dataType`), row.dataType);
      if (row.length) await page.getByTestId(`item-${i}-length`).fill(row.length);
      else expect(await page.getByTestId(`item-${i}-length`).isDisabled()).toBe(true);
      if (row.codeList) await page.getByTestId(`item-${i}-codeList`).fill(row.codeList);
      if (row.required) await page.getByTestId(`item-${i}-required`).check();
      if (row.identifier) await page.getByTestId(`item-${i}-isIdentifier`).check();
    }
    await page.getByText('信息项（3）').waitFor();

    // Saving without a legal basis is refused by the form itself, on the 法律依据 field.
    await page.getByTestId('entry-save').click();
    const legalBasisError = formItem(page, '法律依据').locator('.ant-form-item-explain-error');
    await legalBasisError.waitFor();
    expect(await textOf(legalBasisError)).toContain('法律依据');
    await page.getByText('请先修正表单中标红的内容').waitFor();
    expect(new URL(page.url()).pathname).toBe('/catalog/entries/new');
    // No other field is in error: everything else the form needs is filled.
    expect(await page.locator('.ant-form-item-has-error').count()).toBe(1);
    await screenshot(page, 'journey-01-editor-legal-basis-required');

    await page.getByTestId('entry-legalBasis').fill('《养老机构管理办法》第二十九条；《广东省政务数据资源共享管理办法（试行）》第十五条');
    await legalBasisError.waitFor({ state: 'detached' });

    // Save: the draft v1 exists and the editor switches to editing it.
    await page.getByTestId('entry-save').click();
    await page.waitForURL(/\/catalog\/entries\/[^/]+\/edit$/);
    await page.getByText('草稿已保存').waitFor();
    await page.getByRole('heading', { level: 4, name: `编辑：${ENTRY_NAME}` }).waitFor();
    await headerStatus(page, `编辑：${ENTRY_NAME}`, '草稿').waitFor();
    entryId = entryIdOf(page);
    await screenshot(page, 'journey-02-editor-draft-saved');

    // Submit: the detail page shows the version waiting for the reviewer.
    await page.getByTestId('entry-submit').click();
    await page.waitForURL(new RegExp(`/catalog/entries/${entryId}$`));
    await page.getByText('已保存并提交审核').waitFor();
    await headerStatus(page, ENTRY_NAME, '待审核').waitFor();
    await page.getByText('本版本正在等待本部门目录审核员审核。').waitFor();
    await page.getByRole('cell', { name: '公民身份号码', exact: true }).waitFor();
    await page.getByRole('cell', { name: '登记日期', exact: true }).waitFor();
    await screenshot(page, 'journey-03-editor-submitted');
  });

  it('the editor cannot approve their own submission: no approve button, and the server refuses', async () => {
    const page = await signIn('editor');
    await page.goto(`/catalog/entries/${entryId}`);
    await headerStatus(page, ENTRY_NAME, '待审核').waitFor();
    await page.getByText('本版本正在等待本部门目录审核员审核。').waitFor();
    expect(await page.getByTestId('action-approve').count()).toBe(0);
    expect(await page.getByTestId('action-publish').count()).toBe(0);
    expect(await page.getByTestId('action-edit').count()).toBe(0);

    // Calling the API directly with the editor's session does not get round the UI.
    const answer = await page.evaluate(async (id) => {
      const res = await fetch(`/api/v1/catalog/entries/${id}/transitions`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ action: 'approve' }),
      });
      const body = (await res.json()) as { code?: string };
      const after = (await (await fetch(`/api/v1/catalog/entries/${id}`)).json()) as { status: string };
      return { status: res.status, code: body.code, statusAfter: after.status };
    }, entryId);
    expect(answer.status).toBe(403);
    expect(answer.code).toBeTruthy();
    expect(answer.statusAfter).toBe('submitted');
  });

  it('the reviewer finds it among the home page tasks and approves it', async () => {
    const page = await signIn('reviewer');
    const task = page.getByRole('list', { name: '待办事项' }).getByRole('link', { name: `${ENTRY_NAME} (v1)` });
    await task.waitFor();
    await screenshot(page, 'journey-04-reviewer-home-tasks');
    await task.click();
    await page.waitForURL(new RegExp(`/catalog/entries/${entryId}$`));
    await headerStatus(page, ENTRY_NAME, '待审核').waitFor();
    await page.getByTestId('action-approve').click();
    await page.getByText('已审核通过，等待主管部门发布').waitFor();
    await headerStatus(page, ENTRY_NAME, '已审核待发布').waitFor();
    await page.getByText('本版本已审核通过，正在等待主管部门发布。').waitFor();
    expect(await page.getByTestId('action-approve').count()).toBe(0);
    await screenshot(page, 'journey-05-reviewer-approved');
  });

  it('the authority publishes it from the review queue', async () => {
    const page = await signIn('authority');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '审核队列' }).click();
    await page.getByRole('heading', { level: 4, name: '审核队列' }).waitFor();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: ENTRY_NAME, exact: true }) });
    await row.waitFor();
    expect(await textOf(row)).toContain('惠州市民政局');
    await screenshot(page, 'journey-06-authority-review-queue');
    await row.getByRole('link', { name: ENTRY_NAME, exact: true }).click();
    await page.waitForURL(new RegExp(`/catalog/entries/${entryId}$`));
    await headerStatus(page, ENTRY_NAME, '已审核待发布').waitFor();
    await page.getByTestId('action-publish').click();
    await page.getByText('已发布', { exact: true }).first().waitFor();
    await headerStatus(page, ENTRY_NAME, '已发布').waitFor();
    await page.getByText('现行发布版').waitFor();
    // The published entry carries its resource code: the class code, a slash and a serial number.
    await page.getByText(/^201099\/\d{6} · 惠州市民政局$/).waitFor();
    expect(await page.getByTestId('action-publish').count()).toBe(0);
    await screenshot(page, 'journey-07-authority-published');

    // The queue no longer lists it.
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '审核队列' }).click();
    await page.getByRole('heading', { level: 4, name: '审核队列' }).waitFor();
    await page.getByRole('link', { name: ENTRY_NAME, exact: true }).waitFor({ state: 'detached' });
  });

  it('catalog search finds the published entry by a word of its name', async () => {
    const page = await signIn('reviewer');
    await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '目录检索' }).click();
    await page.getByRole('heading', { level: 4, name: '目录检索' }).waitFor();
    const input = page.getByTestId('catalog-search-input');
    await input.fill(WORD);
    await input.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('q') === WORD);
    const results = page.getByTestId('catalog-search-results');
    const hit = results.getByRole('link', { name: ENTRY_NAME, exact: true });
    await hit.waitFor();
    // Only this entry carries the word, so it is the only result.
    await results.getByText('共 1 条').waitFor();
    const row = results.getByRole('row').filter({ has: page.getByRole('link', { name: ENTRY_NAME, exact: true }) });
    const rowText = await textOf(row);
    expect(rowText).toContain('惠州市民政局');
    expect(rowText).toContain('有条件共享');
    await screenshot(page, 'journey-08-search-result');

    await hit.click();
    await page.waitForURL(new RegExp(`/catalog/entries/${entryId}$`));
    await headerStatus(page, ENTRY_NAME, '已发布').waitFor();
  });

  it('raised no uncaught errors in any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
