import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../../test/harness.js';
import { dibaoCitizenId, dibaoEntry, makeGrant, makeQueryClient } from '../../../../test/sharing-fixtures.js';
import { verifyChain } from '../../../platform/audit/audit.js';

/** Per-client rate limit and the anomaly alert, on a platform with small limits. */

let t: TestPlatform;
let entry: { id: string; providerId: string };
let authorityDepartment = '';

beforeAll(async () => {
  t = await startTestPlatform({ config: { HUITONG_QUERY_ALERT_MIN: '3', HUITONG_QUERY_RATE_PER_MIN: '20' } });
  entry = await dibaoEntry(t);
  authorityDepartment = await t.departmentId(DEMO.authority);
});
afterAll(async () => {
  await t.close();
});

const db = () => t.app.database.db;

async function consumer() {
  const c = await makeQueryClient(t);
  await makeGrant(t, { consumerDepartmentId: c.departmentId, entryId: entry.id, items: [{ nameEn: 'name', masking: 'none' }] });
  return c;
}

function get(c: { authorization: string }, i: number) {
  return t.call({ method: 'GET', url: `/api/v1/subjects/citizen_id/${dibaoCitizenId(i)}`, headers: { authorization: c.authorization, purpose: 'limits' } });
}

const alerts = (clientId: string) => db().selectFrom('audit_log').selectAll().where('action', '=', 'share.anomaly_alert').where('target_id', '=', clientId).orderBy('seq').execute();
const notices = () => db().selectFrom('notifications').selectAll().where('kind', '=', 'share.anomaly_alert').execute();

describe('anomaly alert', () => {
  it('alerts the provider and the authority once a client passes the day’s bar of distinct subjects, once a day', async () => {
    const c = await consumer();
    try {
      for (const i of [0, 1, 2, 1, 0]) expect((await get(c, i)).statusCode).toBe(200);
      expect(await alerts(c.clientId)).toHaveLength(0); // three distinct subjects: not above the bar
      expect((await get(c, 3)).statusCode).toBe(200);
      const raised = await alerts(c.clientId);
      expect(raised).toHaveLength(1);
      expect(raised[0]).toMatchObject({ outcome: 'allowed', target_type: 'api_client' });
      const sent = (await notices()).filter((n) => n.title.includes(String(4)));
      expect(sent.map((n) => [n.department_id, n.role]).sort()).toEqual(
        [
          [entry.providerId, null],
          [authorityDepartment, 'authority'],
        ].sort(),
      );
      for (const i of [4, 5, 6]) expect((await get(c, i)).statusCode).toBe(200);
      expect(await alerts(c.clientId)).toHaveLength(1);
      const day = await db().selectFrom('query_client_days').selectAll().where('client_id', '=', c.clientId).executeTakeFirstOrThrow();
      expect(day).toMatchObject({ day: '2026-11-23', subjects: 7, calls: 9 });

      // The next day starts afresh; yesterday's seven subjects raise the bar to max(3, 5 × 7 / 7) = 5.
      t.clock.set('2026-11-24T02:00:00.000Z');
      for (const i of [10, 11, 12, 13, 14]) expect((await get(c, i)).statusCode).toBe(200);
      expect(await alerts(c.clientId)).toHaveLength(1);
      expect((await get(c, 15)).statusCode).toBe(200);
      expect(await alerts(c.clientId)).toHaveLength(2);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('sets the bar at five times the client’s average of the previous seven days', async () => {
    const c = await consumer();
    for (let d = 1; d <= 7; d++) {
      await db()
        .insertInto('query_client_days')
        .values({ client_id: c.clientId, day: `2026-11-${String(23 - d).padStart(2, '0')}`, department_id: c.departmentId, subjects: 2, calls: 2 })
        .execute();
    }
    // Average 2 a day: the bar is max(3, 10) = 10 distinct subjects.
    const batch = await t.call({
      method: 'POST',
      url: '/api/v1/subjects:query',
      headers: { authorization: c.authorization, purpose: 'limits' },
      body: { idType: 'citizen_id', subjects: Array.from({ length: 10 }, (_, i) => ({ id: dibaoCitizenId(30 + i) })) },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(await alerts(c.clientId)).toHaveLength(0);
    expect((await get(c, 40)).statusCode).toBe(200);
    expect(await alerts(c.clientId)).toHaveLength(1);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });
});

describe('rate limit per client', () => {
  it('answers 429 past the per-minute limit, audited, without slowing other clients', async () => {
    const c = await consumer();
    const other = await consumer();
    for (let i = 0; i < 20; i++) expect((await get(c, 50 + (i % 3))).statusCode).toBe(200);
    const before = await db().selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    const limited = await get(c, 50);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    const entries = await db().selectFrom('audit_log').selectAll().where('seq', '>', Number(before.seq)).execute();
    expect(entries.map((e) => [e.action, e.outcome, e.actor_id])).toEqual([['share.query_denied', 'denied', c.clientId]]);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await get(other, 50)).statusCode).toBe(200);
    // One allowance per client across the routes: the other routes are refused too.
    const batch = await t.call({ method: 'POST', url: '/api/v1/subjects:query', headers: { authorization: c.authorization, purpose: 'test' }, body: { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(50) }] } });
    expect(batch.statusCode).toBe(429);
  });
});
