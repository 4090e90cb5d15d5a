import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';

let t: TestPlatform;
let admin: string;
beforeAll(async () => {
  t = await startTestPlatform();
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

/** An operator-entered 2027 arrangement (no official notice exists yet); 2027-01-01 is a Friday. */
const ARRANGEMENT_2027 = {
  holidays: [
    { name: '元旦', nameEn: "New Year's Day", start: '2027-01-01', end: '2027-01-03' },
    { name: '春节', nameEn: 'Spring Festival', start: '2027-02-06', end: '2027-02-14' },
  ],
  adjustedWorkdays: ['2027-02-20'],
};

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
}

const addDays = (from: string, days: number) => t.call({ method: 'GET', url: `/api/v1/calendar/add-working-days?from=${from}&days=${days}` });
const putYear = (year: number | string, body: unknown, cookie = admin) => t.call({ method: 'PUT', url: `/api/v1/calendar/years/${year}`, cookie, body });

describe('working-day arithmetic', () => {
  it('counts two working days from 2026-09-29 across the National Day break to 2026-10-08', async () => {
    const res = await addDays('2026-09-29', 2);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ from: '2026-09-29', days: 2, result: '2026-10-08' });
  });

  it('answers without a session, since deadlines are public', async () => {
    expect((await addDays('2026-11-23', 5)).json().result).toBe('2026-11-30');
  });

  it('tells a holiday, an adjusted working weekend and an ordinary weekend apart', async () => {
    const day = async (date: string) => (await t.call({ method: 'GET', url: `/api/v1/calendar/is-working-day?date=${date}` })).json();
    expect(await day('2026-10-01')).toMatchObject({ isWorkingDay: false, kind: 'holiday', holiday: '国庆节' });
    expect(await day('2026-10-10')).toMatchObject({ isWorkingDay: true, kind: 'adjusted_working', holiday: null });
    expect(await day('2026-11-22')).toMatchObject({ isWorkingDay: false, kind: 'weekend' });
    expect(await day('2026-11-23')).toMatchObject({ isWorkingDay: true, kind: 'working' });
  });

  it('refuses an impossible date as 422, naming the problem', async () => {
    const res = await addDays('2026-02-30', 1);
    expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(res.json().detail).toMatch(/2026-02-30/);
  });

  it('refuses a malformed date and a negative count, naming the parameter', async () => {
    const bad = await addDays('29-09-2026', 1);
    expectProblem(bad, 422, 'VALIDATION_FAILED');
    expect(bad.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'query.from' })]));
    const negative = await addDays('2026-09-29', -1);
    expectProblem(negative, 422, 'VALIDATION_FAILED');
    expect(negative.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'query.days' })]));
  });
});

describe('a year without an official arrangement', () => {
  it('refuses a 2027 date with CALENDAR_YEAR_MISSING rather than guessing', async () => {
    const res = await addDays('2027-03-01', 2);
    expectProblem(res, 422, 'CALENDAR_YEAR_MISSING');
    expect(res.json().detail).toMatch(/2027/);
    expectProblem(await t.call({ method: 'GET', url: '/api/v1/calendar/is-working-day?date=2027-03-01' }), 422, 'CALENDAR_YEAR_MISSING');
  });

  it('refuses a 2026 count that runs into 2027', async () => {
    expectProblem(await addDays('2026-12-28', 10), 422, 'CALENDAR_YEAR_MISSING');
  });
});

describe('loading a year', () => {
  it('refuses anyone but a platform admin, and audits the refusal', async () => {
    for (const username of ['authority', 'supervisor', 'deptadmin', 'editor', 'reviewer']) {
      const res = await putYear(2027, ARRANGEMENT_2027, await t.login(username));
      expectProblem(res, 403, 'FORBIDDEN');
      const denied = await t.app.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', res.json().requestId).executeTakeFirst();
      expect(denied).toMatchObject({ action: 'access.denied', outcome: 'denied', target_id: 'PUT /api/v1/calendar/years/:year' });
    }
    expectProblem(await putYear(2027, ARRANGEMENT_2027, ''), 401, 'UNAUTHENTICATED');
    expectProblem(await addDays('2027-03-01', 2), 422, 'CALENDAR_YEAR_MISSING');
  });

  it.each([
    ['a holiday that ends before it starts', { holidays: [{ name: '元旦', start: '2027-01-03', end: '2027-01-01' }], adjustedWorkdays: [] }, /after end/],
    ['a holiday outside the year', { holidays: [{ name: '元旦', start: '2026-12-31', end: '2027-01-01' }], adjustedWorkdays: [] }, /outside 2027/],
    ['overlapping holidays', { holidays: [{ name: '甲', start: '2027-01-01', end: '2027-01-03' }, { name: '乙', start: '2027-01-03', end: '2027-01-04' }], adjustedWorkdays: [] }, /overlaps/],
    ['an adjusted working day on a weekday', { holidays: [], adjustedWorkdays: ['2027-02-22'] }, /not a Saturday or Sunday/],
    ['an adjusted working day inside a holiday', { holidays: [{ name: '春节', start: '2027-02-06', end: '2027-02-14' }], adjustedWorkdays: ['2027-02-07'] }, /inside holiday/],
    ['an impossible date', { holidays: [], adjustedWorkdays: ['2027-02-30'] }, /invalid date/],
  ])('refuses %s as 422 and stores nothing', async (_what, body, message) => {
    const before = await t.app.database.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await putYear(2027, body);
    expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(res.json().detail).toMatch(message);
    expect(res.json().errors.length).toBeGreaterThan(0);
    expect(await t.app.database.db.selectFrom('calendar_years').select('year').where('year', '=', 2027).executeTakeFirst()).toBeUndefined();
    const after = await t.app.database.db.selectFrom('audit_log').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses an unknown field and a year out of range, naming them', async () => {
    const unknown = await putYear(2027, { ...ARRANGEMENT_2027, source: 'official' });
    expectProblem(unknown, 422, 'VALIDATION_FAILED');
    expect(unknown.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'source' })]));
    const year = await putYear(1999, ARRANGEMENT_2027);
    expectProblem(year, 422, 'VALIDATION_FAILED');
    expect(year.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'params.year' })]));
  });

  it('lets a platform admin load 2027, after which 2027 dates work and the change is audited', async () => {
    const res = await putYear(2027, ARRANGEMENT_2027);
    expect(res.statusCode).toBe(200);
    // Friday 2027-02-05: the next working day is after the Spring Festival break.
    expect((await addDays('2027-02-05', 1)).json().result).toBe('2027-02-15');
    expect((await t.call({ method: 'GET', url: '/api/v1/calendar/is-working-day?date=2027-02-20' })).json()).toMatchObject({ kind: 'adjusted_working' });
    // The count that ran into 2027 before now resolves.
    expect((await addDays('2026-12-28', 10)).statusCode).toBe(200);
    const years = (await t.call({ method: 'GET', url: '/api/v1/calendar/years', cookie: admin })).json().items as { year: number; source: string }[];
    expect(years.find((y) => y.year === 2027)).toMatchObject({ source: 'operator' });
    const me = (await t.call({ method: 'GET', url: '/api/v1/auth/me', cookie: admin })).json();
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'calendar.year_set').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: me.id, target_type: 'calendar_year', target_id: '2027', outcome: 'allowed' });
    expect(audit[0]?.details).toMatchObject({ replaced: false, holidays: 2, adjustedWorkdays: 1 });
  });

  it('replaces a loaded year and records that it replaced one', async () => {
    const res = await putYear(2027, { ...ARRANGEMENT_2027, adjustedWorkdays: [] });
    expect(res.statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/calendar/is-working-day?date=2027-02-20' })).json()).toMatchObject({ kind: 'weekend' });
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'calendar.year_set').orderBy('seq').execute();
    expect(audit.at(-1)?.details).toMatchObject({ replaced: true, adjustedWorkdays: 0 });
  });

  it('lists the loaded years to signed-in people only', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/calendar/years', cookie: await t.login('editor') });
    expect(res.statusCode).toBe(200);
    expect((res.json().items as { year: number }[]).map((y) => y.year)).toEqual(expect.arrayContaining([2024, 2025, 2026, 2027]));
    expectProblem(await t.call({ method: 'GET', url: '/api/v1/calendar/years' }), 401, 'UNAUTHENTICATED');
  });
});
