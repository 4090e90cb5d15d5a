import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, screenshot as saveScreenshot, startServer } from './server.js';

/**
 * The collection (归集) journey through the console: a provider uploads a CSV with some bad rows
 * in partial mode, follows the progress to the end, downloads the error report, fixes a row in
 * quarantine and resubmits it; the authority sees the overview across departments; a department
 * administrator issues and revokes an API client.
 */

/** The rendered text of a locator (Playwright's innerText, not the DOM property the linter means). */
const textOf = (locator: Locator): Promise<string> => locator.innerText();

const PASSWORD = 'Huitong@2026';
const DATASET_NAME = `归集演练低保对象名单${Date.now().toString(36).slice(-4)}`;

/** The data items of the dataset the journey creates: the demo's own entries have none that fit a clean upload. */
const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, codeList: null, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 20, codeList: null, required: true, isIdentifier: false },
  { name: '救助类别', nameEn: 'category', dataType: 'C', length: 4, codeList: '城市低保/农村低保', required: true, isIdentifier: false },
  { name: '家庭人口', nameEn: 'householdSize', dataType: 'I', length: 2, codeList: null, required: true, isIdentifier: false },
  { name: '批准日期', nameEn: 'approvalDate', dataType: 'D', length: null, codeList: null, required: true, isIdentifier: false },
];

/** A valid citizen ID number (GB 11643 check character) for a sequence number. */
function citizenId(seq: number): string {
  const first17 = `44130219850101${String(100 + seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (weights[i] as number), 0);
  return first17 + '10X98765432'[sum % 11];
}

/** Five good rows and three bad ones (a number that is not one, a date that does not exist, a value outside the code list). */
const ROWS = [
  ['张三', citizenId(1), '城市低保', '3', '2025-01-15'],
  ['李四', citizenId(2), '农村低保', '2', '2025-02-01'],
  ['王五', citizenId(3), '城市低保', '两口', '2025-03-01'], // bad: household size
  ['赵六', citizenId(4), '农村低保', '4', '2025-02-30'], // bad: no such date
  ['孙七', citizenId(5), '城市低保', '1', '2025-04-10'],
  ['周八', citizenId(6), '特困供养', '5', '2025-05-20'], // bad: not in the code list
  ['吴九', citizenId(7), '农村低保', '6', '2025-06-01'],
  ['郑十', citizenId(8), '城市低保', '2', '2025-07-01'],
];
const CSV = `姓名,公民身份号码,救助类别,家庭人口,批准日期\r\n${ROWS.map((r) => r.join(',')).join('\r\n')}\r\n`;

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const apis: APIRequestContext[] = [];
/** Uncaught page errors of every page in this file; the journey fails on any. */
const pageErrors: string[] = [];
let code = '';
let provider: Page;

/** A fresh browser context for one user, signed in through the login page, on the home page. */
async function signIn(username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport, locale: 'zh-CN', acceptDownloads: true });
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

/** An API session for one user (cookies kept by the request context). */
async function apiAs(username: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: server.url });
  apis.push(ctx);
  const res = await ctx.post('/api/v1/auth/login', { data: { username, password: PASSWORD } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return ctx;
}

async function ok<T>(res: Awaited<ReturnType<APIRequestContext['post']>>): Promise<T> {
  if (!res.ok()) throw new Error(`${res.url()}: ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A full-page screenshot taken from the top. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

/** The number shown by an antd Statistic with this test id. */
async function statistic(page: Page, testId: string): Promise<number> {
  const text = await textOf(page.getByTestId(testId).locator('.ant-statistic-content-value'));
  return Number(text.replace(/[^\d]/g, ''));
}

/** Opens a tab of the dataset page by its label. */
async function openTab(page: Page, label: string): Promise<void> {
  await page.getByRole('tab', { name: label, exact: true }).click();
  await page.getByRole('tab', { name: label, exact: true, selected: true }).waitFor();
}

/** Rows of the open quarantine table (antd renders a placeholder row when empty). */
function quarantineRows(page: Page): Locator {
  return page.getByTestId('quarantine-table').locator('tbody tr.ant-table-row');
}

beforeAll(async () => {
  server = await startServer('collection-journey');
  browser = await launchBrowser();

  // A published civil-affairs entry with data items that suit an upload: drafted, approved, published.
  const editor = await apiAs('editor');
  const reviewer = await apiAs('reviewer');
  const authority = await apiAs('authority');
  const entry = await ok<{ id: string }>(
    await editor.post('/api/v1/catalog/entries', {
      data: {
        name: DATASET_NAME,
        nameEn: 'Minimum living allowance recipients (collection drill)',
        summary: '归集演练用的最低生活保障对象名单，包括身份号码、姓名、救助类别、家庭人口和批准日期。',
        classification: 'departmental',
        classCode: '301001',
        keywords: ['低保', '归集'],
        formatCategory: 'database',
        formatType: 'PostgreSQL',
        shareType: 'unconditional',
        shareManner: ['api'],
        openType: 'none',
        updateFrequency: 'monthly',
        items: ITEMS,
      },
    }),
  );
  for (const [who, action] of [
    [editor, 'submit'],
    [reviewer, 'approve'],
    [authority, 'publish'],
  ] as const) {
    await ok(await who.post(`/api/v1/catalog/entries/${entry.id}/transitions`, { data: { action } }));
  }
  const published = await ok<{ code: string }>(await editor.get(`/api/v1/catalog/entries/${entry.id}`));
  code = published.code;
  expect(code).toContain('/');
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  for (const api of apis) await api.dispose().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('collection journey: upload → progress → error report → quarantine fix', () => {
  it('a provider finds the dataset under 数据归集 and uploads a CSV with bad rows in partial mode, watching it finish', async () => {
    provider = await signIn('editor');
    await provider.getByRole('link', { name: '我的数据集' }).click();
    await provider.getByRole('heading', { level: 4, name: '我的数据集' }).waitFor();
    const row = provider.locator('tr', { hasText: DATASET_NAME });
    expect(await textOf(row)).toContain('尚未归集');
    await screenshot(provider, 'collection-my-datasets');
    await row.getByRole('link', { name: DATASET_NAME }).click();

    await provider.getByRole('heading', { level: 4, name: DATASET_NAME }).waitFor();
    expect(decodeURIComponent(new URL(provider.url()).pathname)).toBe(`/collection/datasets/${code}`);

    await openTab(provider, '上传');
    await provider.getByRole('radio', { name: /部分接收/ }).check();
    await provider
      .getByTestId('upload-dragger')
      .locator('input[type=file]')
      .setInputFiles({ name: '低保名单.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await provider.getByText('低保名单.csv').waitFor();
    await provider.getByTestId('upload-start').click();

    // The counters are polled while the file is processed; the upload ends done.
    await provider.getByTestId('upload-status').waitFor();
    await provider.locator('[data-testid=upload-status][data-status=done]').waitFor({ timeout: 60_000 });
    await provider.getByTestId('upload-result').waitFor();
    expect(await statistic(provider, 'upload-rows-read')).toBe(8);
    expect(await statistic(provider, 'upload-accepted')).toBe(5);
    expect(await statistic(provider, 'upload-rejected')).toBe(3);
    expect(await textOf(provider.getByTestId('upload-result'))).toContain('接收 5 行');
    expect(new URL(provider.url()).searchParams.get('upload')).toBeTruthy();
    await screenshot(provider, 'collection-upload-done');
  });

  it('downloads the error report: an xlsx listing the three bad rows and why', async () => {
    const [download] = await Promise.all([provider.waitForEvent('download'), provider.getByTestId('error-report').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = await download.path();
    const bytes = fs.readFileSync(path);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK'); // a zip container, as xlsx is
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
    const texts: string[] = [];
    book.eachSheet((sheet) => sheet.eachRow((r) => texts.push(JSON.stringify(r.values))));
    const all = texts.join('\n');
    for (const name of ['王五', '赵六', '周八']) expect(all).toContain(name);
    for (const name of ['张三', '李四', '孙七', '吴九', '郑十']) expect(all).not.toContain(name);
    // Identifiers are masked in the report.
    expect(all).not.toContain(citizenId(3));
  });

  it('shows the batches, the quality panel and the data items of the dataset', async () => {
    await openTab(provider, '批次');
    const batch = provider.getByTestId('batches-table').locator('tbody tr.ant-table-row').first();
    await batch.waitFor();
    const text = await textOf(batch);
    expect(text).toContain('文件上传');
    expect(text).toContain('部分写入');

    await openTab(provider, '数据项');
    await provider.getByRole('tabpanel').getByText('householdSize').waitFor();

    await openTab(provider, '概览/质量');
    await provider.getByTestId('quality-completeness').waitFor();
    await provider.getByTestId('echart').locator('canvas').waitFor();
    await provider.waitForTimeout(500); // the tab's ink bar and the chart animate in
    await screenshot(provider, 'collection-dataset-quality');
  });

  it('lists the quarantined rows with the problems of each field', async () => {
    await openTab(provider, '隔离区');
    await quarantineRows(provider).first().waitFor();
    expect(await quarantineRows(provider).count()).toBe(3);
    const table = await textOf(provider.getByTestId('quarantine-table'));
    expect(table).toContain('王五');
    expect(table).not.toContain(citizenId(3)); // masked
    await screenshot(provider, 'collection-quarantine');
  });

  it('fixes a quarantined row and resubmits it; it leaves the open list', async () => {
    const row = quarantineRows(provider).filter({ hasText: '王五' });
    await row.getByTestId('quarantine-fix').click();
    const form = provider.getByTestId('quarantine-fix-form');
    await form.waitFor();
    // The field that failed is marked, prefilled with what was sent; the identifier starts blank (kept as received).
    const household = provider.getByTestId('fix-householdSize');
    expect(await household.inputValue()).toBe('两口');
    expect(await form.locator('.ant-form-item-has-error').count()).toBeGreaterThan(0);
    expect(await provider.getByTestId('fix-citizenId').inputValue()).toBe('');
    expect(await provider.getByTestId('fix-name').inputValue()).toBe('王五');
    await provider.waitForTimeout(500); // let the modal finish opening for the picture
    await screenshot(provider, 'collection-quarantine-fix');
    await household.fill('2');
    await provider.getByTestId('quarantine-resubmit').click();
    await form.waitFor({ state: 'detached' });
    await provider.getByText('已重新提交').first().waitFor();
    await expect.poll(() => quarantineRows(provider).count()).toBe(2);
    expect(await textOf(provider.getByTestId('quarantine-table'))).not.toContain('王五');
  });

  it('discards a quarantined row after confirming; it moves to the discarded list', async () => {
    const row = quarantineRows(provider).filter({ hasText: '周八' });
    await row.getByRole('button', { name: '丢弃' }).click();
    await provider.locator('.ant-popconfirm').getByRole('button', { name: '丢弃' }).click();
    await expect.poll(() => quarantineRows(provider).count()).toBe(1);
    await provider.getByText('已丢弃', { exact: true }).first().click();
    await quarantineRows(provider).filter({ hasText: '周八' }).waitFor();
  });

  it('finds a record by its full ID number and shows its history, identifiers masked', async () => {
    await openTab(provider, '记录');
    const rows = provider.getByTestId('records-table').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await textOf(provider.getByTestId('records-table'))).not.toContain(citizenId(1));
    const search = provider.locator('input[data-testid=records-search], [data-testid=records-search] input');
    await search.fill(citizenId(1));
    await search.press('Enter');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await textOf(rows.first())).toContain('张三');
    await rows.first().getByRole('button', { name: '历史' }).click();
    await provider.getByTestId('record-version').first().waitFor();
    expect(await provider.getByTestId('record-version').count()).toBeGreaterThanOrEqual(1);
    expect(await textOf(provider.locator('.ant-drawer'))).not.toContain(citizenId(1));
    await provider.waitForTimeout(400); // the drawer slides in
    await screenshot(provider, 'collection-record-history');
    await provider.keyboard.press('Escape');
  });

  it('reveals a full ID number to the department administrator, who must give a reason', async () => {
    const admin = await signIn('deptadmin');
    await admin.goto(`/collection/datasets/${encodeURIComponent(code)}?tab=records`);
    const row = admin.getByTestId('records-table').locator('tbody tr.ant-table-row', { hasText: '张三' });
    await row.waitFor();
    await row.getByRole('button', { name: '查看完整号码' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('查询事由').fill('核对低保对象身份');
    await dialog.getByRole('button', { name: '查看完整号码' }).click();
    await expect.poll(() => textOf(admin.getByTestId('revealed-identifier'))).toBe(citizenId(1));
  });

  it('works at phone width', async () => {
    const phone = await signIn('editor', { width: 390, height: 844 });
    await phone.goto(`/collection/datasets/${encodeURIComponent(code)}?tab=quality`);
    await phone.getByRole('heading', { level: 4, name: DATASET_NAME }).waitFor();
    await phone.getByTestId('quality-completeness').waitFor();
    // The page itself fits the screen; wide tables scroll inside their own box.
    const right = await phone.locator('.ht-page').evaluate((el) => el.getBoundingClientRect().right);
    expect(right).toBeLessThanOrEqual(390);
    await screenshot(phone, 'collection-dataset-phone');
  });
});

describe('authority overview and API clients', () => {
  it('the authority sees the collection overview across departments with its charts', async () => {
    const page = await signIn('authority');
    await page.getByRole('link', { name: '归集总览' }).click();
    await page.getByRole('heading', { level: 4, name: '归集总览' }).waitFor();
    const civil = page.locator('tr', { hasText: '惠州市民政局' });
    await civil.waitFor();
    // The row shows what the API counts: the demo's dataset and the one uploaded above.
    const overview = await ok<{ items: { departmentName: string; datasets: number; records: number }[] }>(await (await apiAs('authority')).get('/api/v1/collection/overview'));
    const expected = overview.items.find((i) => i.departmentName === '惠州市民政局');
    expect(expected?.datasets).toBeGreaterThanOrEqual(2);
    const cells = await civil.locator('td').allInnerTexts();
    expect(cells).toContain(String(expected?.datasets));
    expect(cells.map((c) => c.replace(/,/g, ''))).toContain(String(expected?.records));
    expect(await page.getByTestId('echart').count()).toBe(2);
    await screenshot(page, 'collection-overview');
  });

  it('a department administrator issues an API client, sees its secret once, and revokes it', async () => {
    const page = await signIn('deptadmin');
    await page.getByRole('link', { name: 'API 客户端' }).click();
    await page.getByRole('heading', { level: 4, name: 'API 客户端' }).waitFor();
    await page.getByTestId('api-client-new').click();
    await page.getByTestId('api-client-name').fill('低保业务系统');
    await page.getByRole('button', { name: '创建' }).click();
    const secret = page.getByTestId('api-client-secret');
    await secret.waitFor();
    const secretValue = await secret.inputValue();
    expect(secretValue).toMatch(/^htc_/);
    await page.getByText('密钥只显示这一次').waitFor();
    await page.waitForTimeout(500); // let the modals finish their animations for the picture
    await screenshot(page, 'collection-api-client-secret');
    await page.getByTestId('api-client-secret-done').click();
    const row = page.locator('tr', { hasText: '低保业务系统' });
    expect(await textOf(row)).toContain('从未使用');
    // Once closed, the secret is nowhere on the page.
    expect(await textOf(page.locator('body'))).not.toContain(secretValue);

    await row.getByRole('button', { name: '吊销' }).click();
    await page.getByLabel('吊销原因').fill('系统下线');
    await page.locator('.ant-modal').filter({ hasText: '吊销客户端' }).getByRole('button', { name: '吊销' }).click();
    await row.getByText('已吊销').waitFor();
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
