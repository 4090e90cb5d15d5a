import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, screenshot as saveScreenshot, startServer } from './server.js';

/**
 * Smoke: every page in the menu opens for each role that may see it, with no uncaught error, no
 * console error, no failed API call and no error state; and the login page explains a wrong password.
 */

/** The rendered text of a locator (Playwright's innerText, not the DOM property the linter means). */
const textOf = (locator: Locator): Promise<string> => locator.innerText();

const PASSWORD = 'Huitong@2026';

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

type MenuPage = { path: string; label: string };

const HOME: MenuPage = { path: '/', label: '工作台' };
const SEARCH: MenuPage = { path: '/catalog/search', label: '目录检索' };
const MINE: MenuPage = { path: '/catalog/mine', label: '我的目录' };
const REVIEW: MenuPage = { path: '/catalog/review', label: '审核队列' };
const SNAPSHOTS: MenuPage = { path: '/catalog/snapshots', label: '公示快照' };
const BASIC: MenuPage = { path: '/catalog/basic-items', label: '基准信息目录' };
const VERIFY: MenuPage = { path: '/verifications', label: '多源校核' };
const LISTS: MenuPage = { path: '/catalog/lists', label: '三张清单' };
const DEPARTMENTS: MenuPage = { path: '/orgs/departments', label: '部门' };
const CONTACTS: MenuPage = { path: '/orgs/contacts', label: '联系人目录' };
const USERS: MenuPage = { path: '/orgs/users', label: '用户与角色' };
const DATASETS: MenuPage = { path: '/collection/datasets', label: '我的数据集' };
const OVERVIEW: MenuPage = { path: '/collection/overview', label: '归集总览' };
const API_CLIENTS: MenuPage = { path: '/collection/api-clients', label: 'API 客户端' };
const SHARE_REQUESTS: MenuPage = { path: '/sharing/requests', label: '我的申请' };
const SHARE_INBOX: MenuPage = { path: '/sharing/inbox', label: '共享申请待办' };
const MY_GRANTS: MenuPage = { path: '/sharing/grants', label: '我的授权' };
const DATA_HOLDERS: MenuPage = { path: '/sharing/holders', label: '数据使用方' };
const ESCALATIONS: MenuPage = { path: '/sharing/escalations', label: '协调督办' };
const OVERDUE: MenuPage = { path: '/sharing/overdue', label: '逾期督办' };
const DISPUTES: MenuPage = { path: '/disputes', label: '数据异议' };
const NEGOTIATIONS: MenuPage = { path: '/sharing/negotiations', label: '协调与裁定公开' };
const ACCESS_LOG: MenuPage = { path: '/sharing/access-log', label: '访问日志' };
const CALENDAR: MenuPage = { path: '/system/calendar', label: '工作日历' };
const POLICY: MenuPage = { path: '/system/policy', label: '政策参数' };
const AUDIT: MenuPage = { path: '/system/audit', label: '审计日志' };

/** What everybody sees. */
const COMMON = [HOME, SEARCH, SNAPSHOTS, BASIC, LISTS, DEPARTMENTS, CONTACTS, NEGOTIATIONS, CALENDAR, POLICY];
/** A department's side of sharing: its sharing officer and its administrator (both also file and answer disputes). */
const SHARING = [SHARE_REQUESTS, SHARE_INBOX, MY_GRANTS, DATA_HOLDERS, DISPUTES, NEGOTIATIONS];

/** The menu each demo account must get (web/src/lib/permissions.ts ACCESS), in menu order. */
const MENUS: Record<string, MenuPage[]> = {
  editor: [HOME, SEARCH, MINE, SNAPSHOTS, BASIC, VERIFY, LISTS, DEPARTMENTS, CONTACTS, DATASETS, DISPUTES, NEGOTIATIONS, CALENDAR, POLICY],
  reviewer: [HOME, SEARCH, MINE, REVIEW, SNAPSHOTS, BASIC, LISTS, DEPARTMENTS, CONTACTS, NEGOTIATIONS, CALENDAR, POLICY],
  deptadmin: [HOME, SEARCH, MINE, SNAPSHOTS, BASIC, VERIFY, LISTS, DEPARTMENTS, CONTACTS, USERS, DATASETS, API_CLIENTS, ...SHARING, CALENDAR, POLICY],
  authority: [HOME, SEARCH, MINE, REVIEW, SNAPSHOTS, BASIC, LISTS, DEPARTMENTS, CONTACTS, OVERVIEW, ESCALATIONS, OVERDUE, DISPUTES, NEGOTIATIONS, ACCESS_LOG, CALENDAR, POLICY, AUDIT],
  admin: [...COMMON.slice(0, 7), USERS, OVERVIEW, API_CLIENTS, DISPUTES, NEGOTIATIONS, ACCESS_LOG, CALENDAR, POLICY, AUDIT],
  supervisor: [...COMMON.slice(0, 7), OVERVIEW, NEGOTIATIONS, ACCESS_LOG, CALENDAR, POLICY, AUDIT],
  sharer: [...COMMON.slice(0, 7), ...SHARING, CALENDAR, POLICY],
};

/** Everything that went wrong in a page: uncaught errors, console errors, failed API calls. */
type Watch = { problems: string[]; where: string };

function watch(page: Page, who: string): Watch {
  const w: Watch = { problems: [], where: `${who} /login` };
  page.on('pageerror', (err) => w.problems.push(`[${w.where}] uncaught: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.problems.push(`[${w.where}] console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('response', (res) => {
    if (res.url().includes('/api/') && res.status() >= 400) {
      w.problems.push(`[${w.where}] ${res.request().method()} ${new URL(res.url()).pathname} → ${res.status()}`);
    }
  });
  return w;
}

/** A fresh browser context for one user, signed in through the login page. */
async function signIn(username: string): Promise<{ page: Page; w: Watch }> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  const w = watch(page, username);
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  await page.getByRole('heading', { level: 4, name: '工作台', exact: true }).waitFor();
  // The login page probes the session first, and that probe answers 401 by design: start clean.
  w.problems.length = 0;
  return { page, w };
}

/** A full-page screenshot taken from the top, so the sticky header sits where it belongs. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

/** Waits until the page has rendered its content: title shown, spinners and skeletons gone. */
async function expectPageRendered(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { level: 4, name: title, exact: true }).waitFor();
  await expect.poll(() => page.locator('.ant-spin-spinning, .ant-spin-blur, .ant-skeleton').count(), { timeout: 20_000 }).toBe(0);
  // No failed-query state, no 403 for a page the role may see, no error banner.
  const failed = page.locator('.ant-result-error, .ant-result-403, .ant-result-404, .ant-result-500, .ant-alert-error');
  expect(await failed.count(), `error state on ${title}: ${await failed.allInnerTexts()}`).toBe(0);
  // Something beyond the title made it to the screen, and it is not an error fallback.
  const text = await textOf(page.locator('main, .ant-layout-content').first());
  expect(text.length).toBeGreaterThan(title.length + 10);
  expect(await textOf(page.locator('body'))).not.toMatch(/Unexpected Application Error|Something went wrong|Minified React error/);
  expect(await squeezedCells(page), `table cells squeezed to a character per line on ${title}`).toEqual([]);
}

/**
 * Texts in table cells that the table layout squeezed to one or two characters per line (惠/州/市/…),
 * the way Chinese text breaks when a column gets only its minimum width.
 */
async function squeezedCells(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = (node.textContent ?? '').trim();
      const cell = node.parentElement?.closest('th, td');
      if (!cell || text.length < 3 || !node.parentElement?.checkVisibility()) continue;
      const fontSize = Number.parseFloat(getComputedStyle(node.parentElement).fontSize);
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = Array.from(range.getClientRects()).filter((r) => r.width > 0);
      const narrow = lines.filter((r) => r.width < 2.5 * fontSize);
      if (lines.length >= 3 && narrow.length >= 3) found.push(text);
    }
    return [...new Set(found)].slice(0, 5);
  });
}

const nav = (page: Page) => page.getByRole('navigation', { name: '主菜单' });

beforeAll(async () => {
  server = await startServer('smoke');
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('login page', () => {
  it('says clearly that the username or password is wrong, and signs in with the right one', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    const w = watch(page, 'anonymous');
    await page.goto('/login');
    await page.getByRole('heading', { name: '汇通 · 政务数据共享平台' }).waitFor();

    // Empty form: the fields say what is missing, nothing is sent.
    await page.getByTestId('login-submit').click();
    await page.getByText('请输入用户名', { exact: true }).waitFor();
    await page.getByText('请输入密码', { exact: true }).waitFor();

    // Wrong password.
    await page.getByTestId('login-username').fill('supervisor');
    await page.getByTestId('login-password').fill('wrong-password-1');
    await page.getByTestId('login-submit').click();
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await textOf(alert)).toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'smoke-login-wrong-password');

    // An unknown user gets the same message (no hint which part was wrong).
    await page.getByTestId('login-username').fill('nobody-here');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => textOf(alert)).toContain('用户名或密码错误');

    // The right password gets in.
    await page.getByTestId('login-username').fill('supervisor');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    await expectPageRendered(page, '工作台');

    // The only errors were the expected 401 answers (the session probe and the two refused sign-ins).
    const unexpected = w.problems.filter(
      (p) => !/→ 401$/.test(p) && !/console: Failed to load resource: the server responded with a status of 401/.test(p),
    );
    expect(unexpected).toEqual([]);
    expect(w.problems.filter((p) => /POST \/api\/v1\/auth\/login → 401$/.test(p))).toHaveLength(2);
    expect(w.problems.some((p) => p.includes('uncaught'))).toBe(false);
  });
});

describe('every menu page opens for the roles that may see it', () => {
  /** Paths already opened by a full page load (each path once is enough). */
  const loadedDirectly = new Set<string>();

  for (const [username, menu] of Object.entries(MENUS)) {
    it(`${username}: the menu shows exactly the allowed pages, and each opens cleanly`, async () => {
      const { page, w } = await signIn(username);

      const labels = await nav(page).getByRole('menuitem').filter({ has: page.getByRole('link') }).allInnerTexts();
      expect(labels.map((l) => l.trim())).toEqual(menu.map((m) => m.label));

      for (const item of menu) {
        // Through the menu, as a user would.
        w.where = `${username} ${item.path} (menu)`;
        await nav(page).getByRole('link', { name: item.label, exact: true }).click();
        await page.waitForURL((url) => url.pathname === item.path);
        await expectPageRendered(page, item.label);
        expect(w.problems).toEqual([]);

        // And by its address, as a bookmark or a reload would.
        if (!loadedDirectly.has(item.path)) {
          loadedDirectly.add(item.path);
          w.where = `${username} ${item.path} (reload)`;
          await page.goto(item.path);
          await expectPageRendered(page, item.label);
          expect(w.problems).toEqual([]);
          await screenshot(page, `smoke-${item.path === '/' ? 'home' : item.path.slice(1).replace(/\//g, '-')}`);
        }
      }
    });
  }

  it('pages reached from the lists open too: entry detail, department detail, editor, import, version compare', async () => {
    const { page, w } = await signIn('editor');

    // An own entry with a published version and a newer draft: detail, then the version comparison.
    w.where = 'editor entry detail';
    await nav(page).getByRole('link', { name: '我的目录', exact: true }).click();
    await expectPageRendered(page, '我的目录');
    await page.getByRole('row').getByRole('link').first().click();
    await page.waitForURL(/\/catalog\/entries\/[^/]+$/);
    await page.getByText('版本记录').waitFor();
    await expect.poll(() => page.locator('.ant-spin-spinning, .ant-spin-blur, .ant-skeleton').count()).toBe(0);
    expect(w.problems).toEqual([]);

    // An entry of another department, from search, and a version comparison if it has one.
    w.where = 'editor search → detail';
    await nav(page).getByRole('link', { name: '目录检索', exact: true }).click();
    await expectPageRendered(page, '目录检索');
    const firstHit = page.getByTestId('catalog-search-results').getByRole('link').first();
    const hitName = (await textOf(firstHit)).trim();
    await firstHit.click();
    await expectPageRendered(page, hitName);
    expect(w.problems).toEqual([]);

    w.where = 'editor department detail';
    await nav(page).getByRole('link', { name: '部门', exact: true }).click();
    await expectPageRendered(page, '部门');
    const dept = page.getByRole('row').getByRole('link', { name: '惠州市民政局', exact: true });
    await dept.click();
    await page.waitForURL(/\/orgs\/departments\/[^/]+$/);
    await expectPageRendered(page, '惠州市民政局');
    expect(w.problems).toEqual([]);

    w.where = 'editor new entry';
    await page.goto('/catalog/entries/new');
    await expectPageRendered(page, '新建资源目录');
    await page.getByTestId('item-0-name').waitFor();
    expect(w.problems).toEqual([]);

    w.where = 'editor import';
    await page.goto('/catalog/import');
    await page.getByTestId('import-submit').waitFor();
    await expect.poll(() => page.locator('.ant-spin-spinning, .ant-spin-blur, .ant-skeleton').count()).toBe(0);
    expect(w.problems).toEqual([]);

    // The authority's view of another department's entry with a published version and a newer
    // draft, and the comparison of its two versions.
    const authority = await signIn('authority');
    authority.w.where = 'authority compare';
    await nav(authority.page).getByRole('link', { name: '目录检索', exact: true }).click();
    await expectPageRendered(authority.page, '目录检索');
    await authority.page.getByTestId('catalog-search-input').fill('居民身份证签发信息');
    await authority.page.getByTestId('catalog-search-input').press('Enter');
    await authority.page.getByTestId('catalog-search-results').getByRole('link', { name: '居民身份证签发信息', exact: true }).click();
    await expectPageRendered(authority.page, '居民身份证签发信息');
    await authority.page.getByRole('link', { name: /(^|\s)版本对比$/ }).click();
    await authority.page.waitForURL(/\/compare\?/);
    await expectPageRendered(authority.page, '版本对比');
    await authority.page.getByText(/共 \d+ 处变更/).waitFor();
    await screenshot(authority.page, 'smoke-version-compare');
    expect(authority.w.problems).toEqual([]);
  });
});
