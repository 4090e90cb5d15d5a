import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eServer, launchBrowser, screenshot as saveScreenshot, startServer } from './server.js';

/**
 * The language switch: Chinese by default, English on demand (our texts, the document title and
 * antd's own component texts), back to Chinese, and the choice survives a reload.
 */

/** The rendered text of a locator (Playwright's innerText, not the DOM property the linter means). */
const textOf = (locator: Locator): Promise<string> => locator.innerText();

const PASSWORD = 'Huitong@2026';
const CJK = /[\u3400-\u9fff]/;

let server: E2eServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

/** A fresh browser context for one user, signed in through the login page, on the home page. */
async function signIn(username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
  // Console errors count from here on (the login page's session probe answers 401 by design).
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return page;
}

/** A full-page screenshot taken from the top, so the sticky header sits where it belongs. */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, name);
}

type Lang = {
  code: 'zh-CN' | 'en-US';
  menu: string;
  /** Menu texts in order: home, catalog search, my entries, work calendar. */
  links: [string, string, string, string];
  switchText: string;
  shortName: string;
  /** antd's own text: the page-size changer of a table's pagination (locale `items_per_page`). */
  perPage: RegExp;
  /** antd's own text: the first weekday column of the Calendar. */
  firstWeekday: string;
  /** antd's own text: the Calendar's month/year mode switch. */
  monthMode: string;
  /** A weekday name formatted by dayjs under the current language. */
  weekday: RegExp;
};

const ZH: Lang = {
  code: 'zh-CN',
  menu: '主菜单',
  links: ['工作台', '目录检索', '我的目录', '工作日历'],
  switchText: 'English',
  shortName: '汇通',
  perPage: /\d+ 条\/页/,
  firstWeekday: '一',
  monthMode: '月',
  weekday: /星期[一二三四五六日]/,
};

const EN: Lang = {
  code: 'en-US',
  menu: 'Main menu',
  links: ['Workbench', 'Catalog search', 'My entries', 'Work calendar'],
  switchText: '中文',
  shortName: 'Huitong',
  perPage: /\d+ \/ page/,
  firstWeekday: 'Su',
  monthMode: 'Month',
  weekday: /(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day/,
};

const nav = (page: Page, lang: Lang) => page.getByRole('navigation', { name: lang.menu });

/** Opens a page through the menu and checks its title, in the page and in the document. */
async function openFromMenu(page: Page, lang: Lang, label: string): Promise<void> {
  await nav(page, lang).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 4, name: label, exact: true }).waitFor();
  await expect.poll(() => page.title()).toBe(`${label} · ${lang.shortName}`);
}

/** The frame (menu, header, document language) speaks `lang`. */
async function expectFrameIn(page: Page, lang: Lang): Promise<void> {
  const menu = nav(page, lang);
  await menu.waitFor();
  for (const label of lang.links) await menu.getByRole('link', { name: label, exact: true }).waitFor();
  const menuText = await textOf(menu);
  if (lang.code === 'en-US') expect(menuText).not.toMatch(CJK);
  else expect(menuText).toMatch(CJK);
  expect((await textOf(page.getByTestId('lang-switch'))).trim()).toBe(lang.switchText);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang.code);
}

/** The catalog search page, including antd's pagination texts, speaks `lang`. */
async function expectSearchIn(page: Page, lang: Lang): Promise<void> {
  await openFromMenu(page, lang, lang.links[1]);
  await page.getByTestId('catalog-search-results').locator('.ant-table-row').first().waitFor();
  const sizeChanger = page.locator('.ant-pagination-options .ant-select');
  await sizeChanger.waitFor();
  expect(await textOf(sizeChanger)).toMatch(lang.perPage);
}

/** The work calendar, including antd's Calendar and dayjs-formatted dates, speaks `lang`. */
async function expectCalendarIn(page: Page, lang: Lang): Promise<void> {
  await page.getByRole('heading', { level: 4, name: lang.links[3], exact: true }).waitFor();
  const calendar = page.locator('.ant-picker-calendar');
  await calendar.locator('thead th').first().waitFor();
  await expect.poll(async () => (await textOf(calendar.locator('thead th').first())).trim()).toBe(lang.firstWeekday);
  await calendar.getByText(lang.monthMode, { exact: true }).waitFor();
  // 日期 · 2026-11-23（星期一） / Date · 2026-11-23 (Monday)
  await expect.poll(() => textOf(page.locator('.ant-descriptions').first())).toMatch(lang.weekday);
}

beforeAll(async () => {
  server = await startServer('language');
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

describe('language switch', () => {
  it('switches the console to English and back to Chinese, and keeps the choice across reloads', async () => {
    const page = await signIn('editor');

    // Chinese by default.
    await expectFrameIn(page, ZH);
    await page.getByRole('heading', { level: 4, name: '工作台', exact: true }).waitFor();
    await expectSearchIn(page, ZH);
    await screenshot(page, 'language-zh-search');

    // To English, on the page the user is on.
    await page.getByTestId('lang-switch').click();
    await expectFrameIn(page, EN);
    await page.getByRole('heading', { level: 4, name: 'Catalog search', exact: true }).waitFor();
    await expect.poll(() => page.title()).toBe('Catalog search · Huitong');
    await page.getByTestId('catalog-search-input').and(page.getByPlaceholder(/keyword/i)).waitFor();
    await page.getByRole('button', { name: 'Search', exact: true }).waitFor();
    expect(await textOf(page.locator('.ant-pagination-options .ant-select'))).toMatch(EN.perPage);
    await expect.poll(() => textOf(page.getByTestId('catalog-search-results').locator('thead'))).not.toMatch(CJK);
    await screenshot(page, 'language-en-search');

    // Other pages open in English too, antd's Calendar and dayjs dates included.
    await openFromMenu(page, EN, 'Workbench');
    await openFromMenu(page, EN, 'Work calendar');
    await expectCalendarIn(page, EN);
    await screenshot(page, 'language-en-calendar');

    // The choice survives a reload.
    await page.reload();
    await expectFrameIn(page, EN);
    await expectCalendarIn(page, EN);
    expect(await page.evaluate(() => window.localStorage.getItem('huitong.lang'))).toBe('en-US');

    // Back to Chinese, on the same page, without a reload.
    await page.getByTestId('lang-switch').click();
    await expectFrameIn(page, ZH);
    await expectCalendarIn(page, ZH);
    await expect.poll(() => page.title()).toBe('工作日历 · 汇通');
    await screenshot(page, 'language-zh-calendar');

    // And that choice survives a reload as well.
    await page.reload();
    await expectFrameIn(page, ZH);
    await expectCalendarIn(page, ZH);
    await expectSearchIn(page, ZH);

    expect(problems).toEqual([]);
  });

  it('the sign-in page has the switch too, and the language chosen there carries over into the console', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 800 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    await page.getByTestId('lang-switch').click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await page.getByLabel('Username').waitFor();
    await expect.poll(() => page.title()).toBe('Sign in · Huitong');
    await page.reload();
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // Signing in keeps English.
    await page.getByTestId('login-username').fill('reviewer');
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByRole('heading', { level: 4, name: 'Workbench', exact: true }).waitFor();
    await expectFrameIn(page, EN);
    await screenshot(page, 'language-en-home');
  });
});
