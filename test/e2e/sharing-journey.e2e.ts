import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../src/domains/sharing/subscriptions/signature.js';
import { type E2eServer, launchBrowser, screenshot as saveScreenshot, startServer } from './server.js';

/**
 * The sharing (数据共享) journey through the console: the public security bureau's sharing officer
 * applies for the civil affairs bureau's conditional dataset 最低生活保障信息; the provider's
 * sharing officer grants part of it (one item refused with reasons and a legal basis, one masked);
 * both accept the confidentiality agreement and the grant starts; the consumer's administrator
 * issues an API client with the `share:query` scope, whose call returns exactly the granted items;
 * the consumer's sharing officer subscribes a webhook, whose receiver gets a newly collected record,
 * signed; a supervisor finds the calls in the access log by the subject's ID number and by dataset.
 */

/** The rendered text of a locator (Playwright's innerText, not the DOM property the linter means). */
const textOf = (locator: Locator): Promise<string> => locator.innerText();

const PASSWORD = 'Huitong@2026';
const ENTRY = '最低生活保障信息';
const CLIENT = '人口核查系统';
const PURPOSE = '户籍业务中核对低保对象身份';

/** Requested items and the legal duty of each; `monthly_allowance` will be refused, `name` masked. */
const REQUESTED: [nameEn: string, name: string, duty: string][] = [
  ['name', '姓名', '办理户籍业务时核对当事人姓名'],
  ['citizen_id_number', '公民身份号码', '核验当事人身份'],
  ['assistance_category', '保障类别', '确认低保对象类别，落实户籍业务费用减免'],
  ['monthly_allowance', '月保障金额', '评估家庭经济状况'],
];
const GRANTED = ['assistance_category', 'citizen_id_number', 'name'];

/** The first demo recipient of the civil affairs bureau (src/domains/demo/demo-collection.ts, i = 0). */
function demoCitizenId(i: number): string {
  const year = 1940 + (i % 60);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
  const first17 = `441302${year}${month}${day}${String(100 + i).slice(-3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, n) => s + Number(d) * (weights[n] as number), 0);
  return first17 + '10X98765432'[sum % 11];
}
const SUBJECT = demoCitizenId(0);

/** A recipient the demo does not have (index 500), as the civil affairs bureau would send it. */
const NEWCOMER = {
  name: '罗海燕',
  citizen_id_number: demoCitizenId(500),
  minimum_living_allowance_certificate_number: '惠城低保2026-0501',
  assistance_category: '城市低保',
  household_size: 2,
  monthly_allowance: 1920,
  approval_date: '2025-05-20',
  issuing_authority_name: '惠州市惠城区民政局',
  assistance_status: '在保',
};

/** A receiving system on this machine: keeps every request's raw body and headers, answers 204. */
function startReceiver(): Promise<{ url: string; got: { body: string; signature: string; delivery: string }[]; stop(): Promise<void> }> {
  const got: { body: string; signature: string; delivery: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
    });
    req.on('end', () => {
      got.push({ body, signature: String(req.headers['huitong-signature'] ?? ''), delivery: String(req.headers['huitong-delivery'] ?? '') });
      res.statusCode = 204;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/huitong/webhook`,
        got,
        stop: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const apis: APIRequestContext[] = [];
/** Uncaught page errors of every page in this file; the journey fails on any. */
const pageErrors: string[] = [];
let consumer: Page;
let provider: Page;
let requestId = '';
let requestNo = '';
let authorization = '';

/** A fresh browser context for one user, signed in through the login page, on the home page. */
async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1360, height: 900 }, locale: 'zh-CN' });
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const exactly = (text: string) => new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);

/** Picks `option` in an antd Select: opens it, clicks the option in the open dropdown, waits until it closes. */
async function pickOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
  await dropdown.locator('.ant-select-item-option', { hasText: exactly(option) }).click();
  await dropdown.waitFor({ state: 'hidden' });
  await expect.poll(() => textOf(select)).toContain(option);
}

/** A link of the left menu. */
const menu = (page: Page, label: string) => page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: label, exact: true });

/** The status tag next to the request page's title. */
const statusTag = (page: Page) => page.locator('.ht-page-header').getByTestId('share-status');

beforeAll(async () => {
  server = await startServer('sharing-journey');
  browser = await launchBrowser();
  // The public security bureau's administrator, who issues its API clients.
  const admin = await apiAs('admin');
  const departments = await ok<{ items: { id: string; name: string }[] }>(await admin.get('/api/v1/departments'));
  const psb = departments.items.find((d) => d.name === '惠州市公安局');
  expect(psb).toBeDefined();
  await ok(
    await admin.post('/api/v1/users', {
      data: { username: 'psbadmin', displayName: '公安局管理员 邓杰', departmentId: psb?.id, roles: ['dept_admin'], password: PASSWORD },
    }),
  );
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  for (const api of apis) await api.dispose().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('sharing journey: apply → partial grant → agreement → grant → query → access log', () => {
  it("the consumer's sharing officer finds the entry and applies for four of its items, each with its legal duty", async () => {
    consumer = await signIn('psbsharer');
    await menu(consumer, '目录检索').click();
    await consumer.getByTestId('catalog-search-input').fill(ENTRY);
    await consumer.getByTestId('catalog-search-input').press('Enter');
    await consumer.getByTestId('catalog-search-results').getByRole('link', { name: ENTRY, exact: true }).click();
    await consumer.getByRole('heading', { level: 4, name: ENTRY }).waitFor();
    await consumer.getByTestId('action-apply').click();
    await consumer.getByRole('heading', { level: 4, name: '申请共享' }).waitFor();
    expect(await textOf(consumer.locator('main, .ant-layout-content').first())).toContain('有条件共享');

    // Nothing chosen, nothing written: the form says what is missing and sends nothing.
    await consumer.getByTestId('apply-submit').click();
    await consumer.getByText('请至少选择一个信息项').waitFor();
    await consumer.getByText('请填写用途').waitFor();

    for (const [, name] of REQUESTED) await consumer.getByRole('checkbox', { name, exact: true }).check();
    // A chosen item needs its duty.
    await consumer.getByTestId('apply-submit').click();
    await consumer.getByText('请填写该信息项对应的法定职责').first().waitFor();
    for (const [nameEn, , duty] of REQUESTED) await consumer.getByTestId(`apply-duty-${nameEn}`).fill(duty);
    await consumer.getByTestId('apply-purpose').fill('办理户籍迁移、居民身份证补换领时核对低保对象身份，落实费用减免');
    await consumer.getByTestId('apply-scope').fill('市公安局户政支队及各派出所户籍窗口');
    await screenshot(consumer, 'sharing-apply');
    await consumer.getByTestId('apply-submit').click();

    await consumer.waitForURL(/\/sharing\/requests\/[0-9a-f-]{36}$/);
    requestId = new URL(consumer.url()).pathname.split('/').pop() as string;
    await expect.poll(() => textOf(statusTag(consumer))).toBe('待答复');
    requestNo = ((await textOf(consumer.getByRole('heading', { level: 4 }))).match(/GX\d{10}/) ?? [''])[0];
    expect(requestNo).toMatch(/^GX\d{10}$/);
    expect(await textOf(consumer.getByTestId('share-countdown').first())).toMatch(/剩 \d+ 个工作日|今日到期/);
    const items = await textOf(consumer.getByTestId('share-items'));
    for (const [, name, duty] of REQUESTED) {
      expect(items).toContain(name);
      expect(items).toContain(duty);
    }
    // The consumer may withdraw, but not answer its own request.
    await consumer.getByTestId('share-withdraw').waitFor();
    expect(await consumer.getByTestId('answer-submit').count()).toBe(0);
  });

  it('lists the request under 我的申请 with its status and working-day countdown', async () => {
    await menu(consumer, '我的申请').click();
    await consumer.getByRole('heading', { level: 4, name: '我的申请' }).waitFor();
    const row = consumer.getByTestId('share-requests').locator('tr', { hasText: requestNo });
    const text = await textOf(row);
    expect(text).toContain(ENTRY);
    expect(text).toContain('惠州市民政局');
    expect(text).toContain('待答复');
    expect(text).toMatch(/剩 \d+ 个工作日|今日到期/);
    await screenshot(consumer, 'sharing-my-requests');
  });

  it("the provider's sharing officer opens it from the home page and grants part of it: one item refused with reasons and a legal basis, one masked", async () => {
    provider = await signIn('sharer');
    await provider.getByTestId('task-count-share').waitFor();
    await provider.getByRole('link', { name: new RegExp(requestNo) }).click();
    await provider.waitForURL((url) => url.pathname === `/sharing/requests/${requestId}`);
    await provider.getByTestId('answer-submit').waitFor();

    await provider.getByTestId('answer-granted-monthly_allowance').click();
    await expect.poll(() => textOf(provider.getByTestId('answer-summary'))).toContain('同意 3 项，拒绝 1 项');
    await pickOption(provider, provider.getByTestId('answer-masking-name'), '脱敏提供');
    // A refusal without reasons and a legal basis is stopped before it is sent.
    await provider.getByTestId('answer-submit').click();
    await provider.getByText('拒绝须说明理由').waitFor();
    await provider.getByText('拒绝须注明法律依据').waitFor();
    await provider.getByTestId('answer-reason').fill('月保障金额属于家庭经济状况信息，超出户籍业务核对身份所必需的范围。');
    await provider.getByTestId('answer-legal-basis').fill('《中华人民共和国个人信息保护法》第六条、第三十四条');
    await screenshot(provider, 'sharing-answer');
    await provider.getByTestId('answer-submit').click();

    await expect.poll(() => textOf(statusTag(provider))).toBe('待确认协议');
    const items = provider.getByTestId('share-items');
    expect(await textOf(items.locator('tr', { hasText: '月保障金额' }))).toContain('拒绝');
    expect(await textOf(items.locator('tr', { hasText: '姓名' }))).toContain('脱敏提供');
    expect(await textOf(provider.getByTestId('share-agreement-text'))).toContain('政务数据共享保密协议');
    expect(await textOf(provider.getByTestId('share-history'))).toContain('同意共享，待确认保密协议');
  });

  it('both departments accept the agreement; the grant starts with the granted items only', async () => {
    await provider.getByTestId('share-accept-agreement').click();
    await provider.locator('[data-testid=agreement-provider][data-accepted=true]').waitFor();
    expect(await provider.locator('[data-testid=agreement-consumer][data-accepted=false]').count()).toBe(1);
    expect(await provider.getByTestId('share-accept-agreement').count()).toBe(0);

    await consumer.goto(`/sharing/requests/${requestId}`);
    await consumer.getByTestId('share-accept-agreement').waitFor();
    const agreement = await textOf(consumer.getByTestId('share-agreement-text'));
    expect(agreement).toContain('甲方（数据提供部门 provider）：惠州市民政局');
    expect(agreement).toContain('乙方（数据使用部门 consumer）：惠州市公安局');
    expect(agreement).not.toContain('月保障金额');
    await screenshot(consumer, 'sharing-agreement');
    await consumer.getByTestId('share-accept-agreement').click();
    // Both accepted and the data is collected: the platform provides at once.
    await expect.poll(() => textOf(statusTag(consumer)), { timeout: 15_000 }).toBe('已提供');
    await consumer.locator('[data-testid=agreement-consumer][data-accepted=true]').waitFor();
    expect(await textOf(consumer.getByTestId('share-history'))).toContain('已提供数据，授权生效');

    await consumer.getByTestId('share-grant-link').click();
    await consumer.waitForURL(/\/sharing\/grants\/[0-9a-f-]{36}$/);
    const granted = await textOf(consumer.getByTestId('grant-items'));
    expect(granted).toContain('姓名');
    expect(granted).toContain('保障类别');
    expect(granted).not.toContain('月保障金额');

    await menu(consumer, '我的授权').click();
    await consumer.getByRole('heading', { level: 4, name: '我的授权' }).waitFor();
    const row = consumer.getByTestId('my-grants').locator('tr', { hasText: ENTRY });
    expect(await textOf(row)).toContain('有效');
    expect(await textOf(row)).toContain('姓名 · 脱敏提供');
    await screenshot(consumer, 'sharing-my-grants');

    // The provider sees who holds its data.
    await menu(provider, '数据使用方').click();
    await provider.getByRole('heading', { level: 4, name: '数据使用方' }).waitFor();
    expect(await textOf(provider.getByTestId('data-holders').locator('tr', { hasText: ENTRY }))).toContain('惠州市公安局');
  });

  it("the consumer's administrator issues an API client with the share:query scope", async () => {
    const page = await signIn('psbadmin');
    await menu(page, 'API 客户端').click();
    await page.getByRole('heading', { level: 4, name: 'API 客户端' }).waitFor();
    await page.getByTestId('api-client-new').click();
    await page.getByTestId('api-client-name').fill(CLIENT);
    await page.getByRole('checkbox', { name: /share:query/ }).check();
    await page.getByRole('checkbox', { name: /collection:write/ }).uncheck();
    await page.getByRole('button', { name: '创建' }).click();
    const header = page.getByTestId('api-client-authorization');
    await header.waitFor();
    authorization = (await header.inputValue()).replace(/^Authorization:\s*/, '');
    expect(authorization).toMatch(/^Bearer /);
    await page.getByTestId('api-client-secret-done').click();
    expect(await textOf(page.locator('tr', { hasText: CLIENT }))).toContain('共享数据查询');
  });

  it('the query API answers the subject with exactly the granted items, the name masked', async () => {
    const res = await fetch(`${server.url}/api/v1/subjects/citizen_id/${SUBJECT}`, {
      headers: { Authorization: authorization, Purpose: encodeURIComponent(PURPOSE) },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const answer = (await res.json()) as { datasets: { entry: { name: string }; values: Record<string, unknown>; masking: Record<string, string> }[] };
    expect(answer.datasets).toHaveLength(1);
    const [dataset] = answer.datasets;
    expect(dataset?.entry.name).toBe(ENTRY);
    expect(Object.keys(dataset?.values ?? {}).sort()).toEqual(GRANTED);
    expect(dataset?.values.citizen_id_number).toBe(SUBJECT);
    expect(dataset?.values.name).toBe('陈*');
    expect(dataset?.masking).toMatchObject({ name: 'partial', citizen_id_number: 'none', assistance_category: 'none' });
    expect(String(dataset?.values.assistance_category)).toMatch(/^(城市|农村)低保$/);

    // The refused item is not served, and the refusal is audited too.
    const refused = await fetch(`${server.url}/api/v1/subjects/citizen_id/${SUBJECT}?fields=monthly_allowance`, {
      headers: { Authorization: authorization, Purpose: encodeURIComponent(PURPOSE) },
    });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
  });

  it("the consumer's sharing officer subscribes a webhook; a newly collected record reaches it signed and is listed as delivered", async () => {
    const receiver = await startReceiver();
    try {
      const psb = await apiAs('psbsharer');
      const request = await ok<{ grantId: string; entry: { code: string } }>(await psb.get(`/api/v1/share-requests/${requestId}`));
      await consumer.goto(`/sharing/grants/${request.grantId}`);
      const card = consumer.getByTestId('grant-subscription');
      await card.getByTestId('subscription-url').fill(receiver.url);
      await card.getByTestId('subscription-create').click();

      // The secret is shown once, in a modal that only "I have saved it" closes.
      const secretField = consumer.getByTestId('subscription-secret');
      await secretField.waitFor();
      const secret = await secretField.inputValue();
      expect(secret).toMatch(/^whs_/);
      expect(await textOf(consumer.getByRole('dialog', { name: /签名密钥/ }))).toContain('签名密钥只显示这一次');
      await screenshot(consumer, 'sharing-subscription-secret');
      await consumer.keyboard.press('Escape');
      await secretField.waitFor();
      await consumer.getByTestId('subscription-secret-done').click();
      await secretField.waitFor({ state: 'detached' });
      expect(await consumer.content()).not.toContain(secret);
      await expect.poll(() => textOf(card.getByTestId('subscription-status'))).toBe('推送中');
      expect(await textOf(card.getByTestId('subscription-verify-note'))).toContain('Huitong-Delivery');

      // The provider's editor sends one new recipient; the feed serves it once it is 5 s old.
      const editor = await apiAs('editor');
      const batch = await editor.post(`/api/v1/datasets/${encodeURIComponent(request.entry.code)}/batches`, {
        headers: { 'idempotency-key': 'e2e-webhook-newcomer' },
        data: { records: [{ values: NEWCOMER }] },
      });
      expect(batch.status(), await batch.text()).toBe(200);
      await expect.poll(() => receiver.got.length, { timeout: 30_000, interval: 250 }).toBeGreaterThan(0);

      const [delivery] = receiver.got;
      expect(verifyWebhook({ secret, header: delivery?.signature, body: delivery?.body ?? '', now: new Date() })).toMatchObject({ ok: true });
      const body = JSON.parse(delivery?.body ?? '{}') as { event: string; deliveryId: string; grantId: string; changes: { op: string; values: Record<string, unknown> }[] };
      expect(body).toMatchObject({ event: 'grant.changes', deliveryId: delivery?.delivery, grantId: request.grantId });
      expect(body.changes).toHaveLength(1);
      expect(Object.keys(body.changes[0]?.values ?? {}).sort()).toEqual(GRANTED);
      expect(body.changes[0]?.values).toMatchObject({ name: '罗*燕', citizen_id_number: NEWCOMER.citizen_id_number, assistance_category: '城市低保' });
      expect(delivery?.body).not.toContain('1920');

      // The consumer sees it delivered in the card's list.
      const rows = card.getByTestId('subscription-deliveries').locator('tbody tr.ant-table-row');
      await expect
        .poll(
          async () => {
            await card.getByTestId('delivery-refresh').click();
            return (await rows.count()) > 0 ? textOf(rows.first()) : '';
          },
          { timeout: 15_000, interval: 500 },
        )
        .toContain('已送达');
      expect(await textOf(rows.first())).toContain('HTTP 204');
      expect(await rows.getByTestId('delivery-replay').count()).toBe(0);
      await screenshot(consumer, 'sharing-subscription');

      // Paused, nothing more is pushed; resumed, it is again.
      await card.getByTestId('subscription-toggle').click();
      await expect.poll(() => textOf(card.getByTestId('subscription-status'))).toBe('已暂停');
      await card.getByTestId('subscription-toggle').click();
      await expect.poll(() => textOf(card.getByTestId('subscription-status'))).toBe('推送中');
    } finally {
      await receiver.stop();
    }
  });

  it('a supervisor finds both calls in the access log by the subject, without the number in the address', async () => {
    const page = await signIn('supervisor');
    await menu(page, '访问日志').click();
    await page.getByRole('heading', { level: 4, name: '访问日志' }).waitFor();
    await page.getByTestId('access-subject').fill(SUBJECT);
    await page.getByTestId('access-subject-search').click();
    await page.getByTestId('access-subject-tag').waitFor();
    const rows = page.getByTestId('access-log').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const allowed = rows.filter({ hasText: '查询' }).filter({ hasText: '允许' });
    const text = await textOf(allowed);
    expect(text).toContain(`client:${CLIENT}`);
    expect(text).toContain('惠州市公安局');
    expect(text).toContain(PURPOSE);
    expect(text).toContain('citizen_id_number');
    expect(await textOf(rows.filter({ hasText: '拒绝' }).first())).toContain('惠州市公安局');
    expect(page.url()).not.toContain(SUBJECT);
    expect(await textOf(page.locator('body'))).not.toContain(SUBJECT);
    await screenshot(page, 'sharing-access-log');

    // By dataset: every call under the entry's grants, the webhook delivery too.
    await page.getByTestId('access-subject-tag').locator('.ant-tag-close-icon').click();
    await page.getByTestId('access-dataset').click();
    await page.keyboard.type(ENTRY);
    const dropdown = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await dropdown.locator('.ant-select-item-option', { hasText: ENTRY }).first().click();
    await page.waitForURL(/[?&]entry=[0-9a-f-]{36}/);
    await expect.poll(async () => textOf(page.getByTestId('access-log'))).toContain('订阅推送');
    const byDataset = await textOf(page.getByTestId('access-log'));
    expect(byDataset).toContain('查询');
    expect(byDataset).toContain(PURPOSE);
  });

  it('a contested refusal goes to the authority, whose negotiation orders it shared; the provider provides with its own masking and quota', async () => {
    // Set up through the API: another request, refused outright by the provider.
    const psb = await apiAs('psbsharer');
    const civil = await apiAs('sharer');
    const first = await ok<{ entry: { id: string } }>(await psb.get(`/api/v1/share-requests/${requestId}`));
    const second = await ok<{ id: string; no: string }>(
      await psb.post('/api/v1/share-requests', {
        data: {
          entry: first.entry.id,
          items: [{ nameEn: 'approval_date', duty: '核对低保认定时间，确定费用减免起始日' }],
          purpose: '确定户籍业务费用减免的起始日期',
          scope: '市公安局户政支队',
          periodFrom: '2026-12-01',
          periodUntil: '2027-11-30',
        },
      }),
    );
    await ok(
      await civil.post(`/api/v1/share-requests/${second.id}/answer`, {
        data: { items: [{ nameEn: 'approval_date', granted: false }], reason: '认定日期不属于身份核对所需信息。', legalBasis: '《中华人民共和国个人信息保护法》第六条' },
      }),
    );

    // The consumer contests the refusal, with a reason.
    await consumer.goto(`/sharing/requests/${second.id}`);
    await expect.poll(() => textOf(statusTag(consumer))).toBe('已拒绝');
    await consumer.getByTestId('share-contest').click();
    await consumer.getByTestId('share-contest-reason').fill('费用减免须以认定日期为准，属履行法定职责所必需。');
    await consumer.getByTestId('share-contest-confirm').click();
    await expect.poll(() => textOf(statusTag(consumer))).toBe('协调中');

    // The authority finds it on its board and records the negotiation: share.
    const authority = await signIn('authority');
    await menu(authority, '协调督办').click();
    await authority.getByRole('heading', { level: 4, name: '协调督办' }).waitFor();
    const row = authority.getByTestId('share-escalations').locator('tr', { hasText: second.no });
    expect(await textOf(row)).toContain('对拒绝有异议');
    await screenshot(authority, 'sharing-escalations');
    await row.getByRole('link', { name: second.no }).click();
    await authority.getByTestId('negotiation-submit').waitFor();
    await authority.getByTestId('negotiation-outcome').locator('label', { hasText: exactly('共享') }).click();
    await authority.getByRole('radio', { name: '共享', exact: true, checked: true }).waitFor({ state: 'attached' });
    await authority.getByTestId('negotiation-record').fill('经协调，双方同意按月共享认定日期，仅用于费用减免起始日的确定。');
    await authority.getByTestId('negotiation-submit').click();
    await expect.poll(() => textOf(statusTag(authority))).toBe('责令提供');
    expect(await authority.getByTestId('negotiation-submit').count()).toBe(0);

    // The record is public: every department reads it.
    await menu(consumer, '协调与裁定公开').click();
    await consumer.getByRole('heading', { level: 4, name: '协调与裁定公开' }).waitFor();
    const published = await textOf(consumer.getByTestId('share-negotiations').locator('tr', { hasText: second.no }));
    expect(published).toContain('协调结果：共享');
    expect(published).toContain('仅用于费用减免起始日的确定');

    // Both accept the agreement of the ordered request; the provider provides with masking and quota.
    await ok(await psb.post(`/api/v1/share-requests/${second.id}/agreement/accept`));
    await ok(await civil.post(`/api/v1/share-requests/${second.id}/agreement/accept`));
    await provider.goto(`/sharing/requests/${second.id}`);
    await provider.getByTestId('provide-submit').waitFor();
    await pickOption(provider, provider.getByTestId('provide-masking-approval_date'), '脱敏提供');
    await provider.getByTestId('share-quota').fill('500');
    await provider.getByTestId('provide-submit').click();
    await expect.poll(() => textOf(statusTag(provider))).toBe('已提供');
    const grantId = new URL((await provider.getByTestId('share-grant-link').getAttribute('href')) ?? '', server.url).pathname.split('/').pop();
    const grant = await ok<{ items: { nameEn: string; masking: string }[]; dailyQuota: number }>(await civil.get(`/api/v1/grants/${grantId}`));
    expect(grant).toMatchObject({ items: [{ nameEn: 'approval_date', masking: 'partial' }], dailyQuota: 500 });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
