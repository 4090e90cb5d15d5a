import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishEntry as publishEntryVia, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';
import { sweepOverdueDatasets } from './use-cases/quality.js';

let t: TestPlatform;
let dept: string;
const users = { editor: '', reviewer: '' };
const as = { editor: '', reviewer: '', authority: '', admin: '', supervisor: '', civilEditor: '' };

/** Signs everyone in again (after the fake clock moved past the session lifetime). */
async function loginAll() {
  as.editor = await t.login(users.editor);
  as.reviewer = await t.login(users.reviewer);
  as.authority = await t.login('authority');
  as.admin = await t.login('admin');
  as.supervisor = await t.login('supervisor');
  as.civilEditor = await t.login('editor');
}

beforeAll(async () => {
  t = await startTestPlatform();
  dept = await t.makeDepartment({ name: '质量测试局' });
  users.editor = await t.makeUser({ roles: ['catalog_editor'], departmentId: dept });
  users.reviewer = await t.makeUser({ roles: ['catalog_reviewer'], departmentId: dept });
  await loginAll();
});
afterAll(async () => {
  await t.close();
});

const call = (method: string, url: string, cookie: string, body?: unknown, headers?: Record<string, string>) =>
  t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

/** A valid citizen ID number; check character computed. */
function citizenId(seq: number): string {
  const first17 = `441302${'19850101'}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '联系电话', nameEn: 'phone', dataType: 'C', length: 20 },
  { name: '子女数', nameEn: 'children', dataType: 'I', length: 2 },
];

const publishEntry = (updateFrequency: string, items: unknown[] = ITEMS) => publishEntryVia(t, as, { items, updateFrequency });

let n = 0;
function send(url: string, records: unknown[], mode: 'atomic' | 'partial' = 'atomic') {
  return call('POST', `${url}/batches?mode=${mode}`, as.editor, { records }, { 'idempotency-key': `q-${n++}` });
}
const person = (seq: number, extra: Record<string, unknown> = {}) => ({ values: { citizenId: citizenId(seq), name: `王${seq}`, ...extra } });

let people: Awaited<ReturnType<typeof publishEntry>>;
let monthly: Awaited<ReturnType<typeof publishEntry>>;
let staticData: Awaited<ReturnType<typeof publishEntry>>;

beforeAll(async () => {
  people = await publishEntry('monthly');
  monthly = await publishEntry('monthly');
  staticData = await publishEntry('irregular');
});

describe('dataset quality', () => {
  it('answers zeros and never for a published entry without a batch', async () => {
    const q = await ok(await call('GET', `${people.url}/quality`, as.editor));
    expect(q).toMatchObject({ datasetCode: people.code, recordCount: 0, deletedCount: 0, lastUpdatedAt: null, updateFrequency: 'monthly', freshness: { status: 'never', dueAt: null }, completeness: null, validity: null, duplicates: null, openQuarantine: 0 });
    expect(q.batchesLast30Days).toHaveLength(30);
  });

  it('measures completeness, validity and duplicates of a small known dataset', async () => {
    // 5 received: 3 accepted; row 3 has a bad number, row 4 repeats row 0's key.
    await ok(await send(people.url, [person(1, { phone: '0752-1', children: 2 }), person(2), person(3, { phone: '0752-3' }), person(4, { children: 'x' }), person(1)], 'partial'), 207);
    // 2 received: 王2 unchanged, 王5 new.
    await ok(await send(people.url, [person(2), person(5)]));
    // 2 received, atomic and rejected: one row has an error, the other would have been fine.
    expect((await send(people.url, [person(6), { values: { citizenId: citizenId(7), name: '' } }])).statusCode).toBe(422);
    // 1 received: a deletion.
    await ok(await send(people.url, [{ values: { citizenId: citizenId(3) }, deleted: true }]));

    const q = await ok(await call('GET', `${people.url}/quality`, as.editor));
    expect(q).toMatchObject({
      datasetCode: people.code,
      recordCount: 3, // 王1, 王2, 王5
      deletedCount: 1,
      lastUpdatedAt: TEST_NOW,
      updateFrequency: 'monthly',
      freshness: { status: 'ok', dueAt: '2026-12-23T15:59:59.999Z' },
      completeness: 0.6667, // (4 + 2 + 2) filled of 3 records × 4 items
      validity: 0.7, // 10 received, 3 failed (2 quarantined, 1 in the rejected batch)
      duplicates: 0.2, // 1 repeated key + 1 unchanged resend, of 10
      openQuarantine: 2,
    });
    expect(q.items).toEqual([
      { name: 'citizenId', title: '公民身份号码', completeness: 1 },
      { name: 'name', title: '姓名', completeness: 1 },
      { name: 'phone', title: '联系电话', completeness: 0.3333 },
      { name: 'children', title: '子女数', completeness: 0.3333 },
    ]);
    expect(q.batchesLast30Days[29]).toEqual({ date: '2026-11-23', accepted: 6, rejected: 4 });
    expect(q.batchesLast30Days[0]).toEqual({ date: '2026-10-25', accepted: 0, rejected: 0 });
  });

  it('lets the authority and platform administrators read it, not another department', async () => {
    await ok(await call('GET', `${people.url}/quality`, as.authority));
    await ok(await call('GET', `${people.url}/quality`, as.admin));
    expect((await call('GET', `${people.url}/quality`, as.civilEditor)).statusCode).toBe(403);
    expect((await call('GET', `${people.url}/quality`, as.supervisor)).statusCode).toBe(403);
    expect((await call('GET', '/datasets/999999%2F999999/quality', as.authority)).statusCode).toBe(404);
  });

  it('shows freshness, record count and open quarantine in the provider’s dataset list', async () => {
    const list = await ok(await call('GET', '/datasets', as.editor));
    expect(list.items.find((d: { code: string }) => d.code === people.code)).toMatchObject({
      recordCount: 3,
      openQuarantine: 2,
      updateFrequency: 'monthly',
      freshness: { status: 'ok', dueAt: '2026-12-23T15:59:59.999Z' },
      lastUpdatedAt: TEST_NOW,
    });
  });
});

describe('the authority’s overview', () => {
  it('gives one line per department with datasets', async () => {
    const body = await ok(await call('GET', '/collection/overview', as.authority));
    expect(body.items.find((i: { departmentId: string }) => i.departmentId === dept)).toEqual({
      departmentId: dept,
      departmentName: '质量测试局',
      datasets: 1,
      records: 3,
      overdue: 0,
      openQuarantine: 2,
      completeness: 0.6667,
      validity: 0.7,
      lastUpdatedAt: TEST_NOW,
    });
    await ok(await call('GET', '/collection/overview', as.supervisor));
    await ok(await call('GET', '/collection/overview', as.admin));
  });

  it('refuses a department’s editor', async () => {
    const res = await call('GET', '/collection/overview', as.editor);
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

type QRow = { id: string; row: number; status: string; raw: { values: Record<string, unknown> }; errors: { field: string; rule: string }[]; identifierRecoverable: boolean; resubmittedBatchId: string | null };

async function openRows(url: string): Promise<QRow[]> {
  return (await ok(await call('GET', `${url}/quarantine?status=open`, as.editor))).items;
}

describe('fixing quarantined rows', () => {
  it('resubmits a fixed row with the identifier recovered from its token', async () => {
    const rows = await openRows(people.url);
    const row = rows.find((r) => r.errors.some((e) => e.field === 'children')) as QRow;
    expect(row.raw.values.citizenId).toMatch(/\*{6,}/);
    expect(row.identifierRecoverable).toBe(true);
    const one = await ok(await call('GET', `${people.url}/quarantine/${row.id}`, as.editor));
    expect(one).toMatchObject({ id: row.id, status: 'open', identifierRecoverable: true, resubmittedBatchId: null });

    const fixed = await ok(await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { name: '王4', children: 2 } }));
    expect(fixed).toEqual({ status: 'resubmitted', batchId: expect.any(String) });
    const after = await ok(await call('GET', `${people.url}/quarantine/${row.id}`, as.editor));
    expect(after).toMatchObject({ status: 'resubmitted', resubmittedBatchId: fixed.batchId, resolvedAt: TEST_NOW });
    // A new version under the row's own key, written by the new batch.
    const rec = await t.app.database.db.selectFrom('dataset_records').select(['record_key', 'normalised']).where('batch_id', '=', fixed.batchId).execute();
    expect(rec).toHaveLength(1);
    const stored = await t.app.database.db.selectFrom('collection_quarantine').select('record_key').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(rec[0]?.record_key).toBe(stored.record_key);
    const values = typeof rec[0]?.normalised === 'string' ? JSON.parse(rec[0].normalised) : rec[0]?.normalised;
    expect(values).toMatchObject({ name: '王4', children: 2 });
    const batches = await ok(await call('GET', `${people.url}/batches`, as.editor));
    expect(batches.items[0]).toMatchObject({ id: fixed.batchId, idempotencyKey: `quarantine:${row.id}`, status: 'applied', received: 1, accepted: 1 });
    const audit = await t.app.database.db.selectFrom('audit_log').select('details').where('action', '=', 'collection.quarantine_resubmitted').execute();
    expect(JSON.stringify(audit)).toContain(row.id);
    expect(JSON.stringify(audit)).not.toContain(citizenId(4));
    // Fixed once: a second fix is refused.
    expect((await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { name: '王4' } })).statusCode).toBe(409);
  });

  it('answers 422 with field errors when the fix is still invalid, and keeps the row open', async () => {
    const row = (await openRows(people.url)).find((r) => r.errors.some((e) => e.rule === 'duplicate_key')) as QRow;
    // The masked identifier sent back unchanged stands for the row's own.
    const res = await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { citizenId: row.raw.values.citizenId as string, name: '王1', children: 'many' } });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'COLLECTION_QUARANTINE_INVALID', errors: [{ field: 'children', rule: 'type' }] });
    expect(res.body).not.toContain(citizenId(1));
    expect(await ok(await call('GET', `${people.url}/quarantine/${row.id}`, as.editor))).toMatchObject({ status: 'open' });
  });

  it('asks for the full identifier when the identifier itself was the error', async () => {
    const good = citizenId(8);
    const bad = `${good.slice(0, 17)}${good.endsWith('1') ? '2' : '1'}`;
    await ok(await send(people.url, [{ values: { citizenId: bad, name: '王8' } }, person(9)], 'partial'), 207);
    const row = (await openRows(people.url)).find((r) => r.errors.some((e) => e.field === 'citizenId' && e.rule !== 'duplicate_key')) as QRow;
    expect(row.identifierRecoverable).toBe(false);
    const missing = await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { name: '王8' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([expect.objectContaining({ field: 'citizenId', rule: 'required' })]);
    const stillBad = await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { citizenId: bad, name: '王8' } });
    expect(stillBad.statusCode).toBe(422);
    expect(stillBad.body).not.toContain(bad);
    await ok(await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { citizenId: good, name: '王8' } }));
  });

  it('discards a row, audited, once', async () => {
    const row = (await openRows(people.url)).find((r) => r.errors.some((e) => e.rule === 'duplicate_key')) as QRow;
    expect(await ok(await call('DELETE', `${people.url}/quarantine/${row.id}`, as.editor))).toEqual({ status: 'discarded' });
    expect(await ok(await call('GET', `${people.url}/quarantine/${row.id}`, as.editor))).toMatchObject({ status: 'discarded' });
    const discarded = await ok(await call('GET', `${people.url}/quarantine?status=discarded`, as.editor));
    expect(discarded.items.map((r: QRow) => r.id)).toEqual([row.id]);
    expect((await call('DELETE', `${people.url}/quarantine/${row.id}`, as.editor)).statusCode).toBe(409);
    expect((await call('PUT', `${people.url}/quarantine/${row.id}`, as.editor, { values: { name: 'x' } })).statusCode).toBe(409);
    const audit = await t.app.database.db.selectFrom('audit_log').select('details').where('action', '=', 'collection.quarantine_discarded').execute();
    expect(JSON.stringify(audit)).toContain(row.id);
    expect((await ok(await call('GET', `${people.url}/quality`, as.editor))).openQuarantine).toBe(0);
  });

  it('fixes a row of a dataset keyed by a declared key under the row’s own key', async () => {
    const declared = await publishEntry('weekly', [
      { name: '事项编号', nameEn: 'itemNo', dataType: 'C', length: 20, required: true },
      { name: '状态', nameEn: 'status', dataType: 'C', length: 4, codeList: '正常/注销', required: true },
    ]);
    await ok(await send(declared.url, [{ key: 'A-1', values: { itemNo: 'A-1', status: '未知' } }], 'partial'), 207);
    const row = (await openRows(declared.url))[0] as QRow;
    expect(row.identifierRecoverable).toBe(false);
    const fixed = await ok(await call('PUT', `${declared.url}/quarantine/${row.id}`, as.editor, { values: { itemNo: 'A-1', status: '正常' } }));
    const rec = await t.app.database.db.selectFrom('dataset_records').select('record_key').where('batch_id', '=', fixed.batchId).execute();
    expect(rec.map((r) => r.record_key)).toEqual(['A-1']);
    expect((await ok(await call('GET', `${declared.url}/quality`, as.editor))).recordCount).toBe(1);
  });

  it('refuses another department and the authority, and finds no row of another dataset', async () => {
    await ok(await send(monthly.url, [person(20, { children: 'x' }), person(22)], 'partial'), 207);
    const row = (await openRows(monthly.url))[0] as QRow;
    expect((await call('GET', `${monthly.url}/quarantine/${row.id}`, as.civilEditor)).statusCode).toBe(403);
    expect((await call('PUT', `${monthly.url}/quarantine/${row.id}`, as.civilEditor, { values: { name: 'x' } })).statusCode).toBe(403);
    expect((await call('DELETE', `${monthly.url}/quarantine/${row.id}`, as.civilEditor)).statusCode).toBe(403);
    expect((await call('PUT', `${monthly.url}/quarantine/${row.id}`, as.authority, { values: { name: 'x' } })).statusCode).toBe(403);
    expect((await call('GET', `${people.url}/quarantine/${row.id}`, as.editor)).statusCode).toBe(404);
    expect((await call('DELETE', `${people.url}/quarantine/${row.id}`, as.editor)).statusCode).toBe(404);
    expect(await ok(await call('GET', `${monthly.url}/quarantine/${row.id}`, as.editor))).toMatchObject({ status: 'open' });
  });

  it('answers bad input with 4xx, never 500', async () => {
    const row = (await openRows(monthly.url))[0] as QRow;
    const url = `${monthly.url}/quarantine/${row.id}`;
    for (const [method, path, body] of [
      ['GET', `${monthly.url}/quarantine/not-a-uuid`, undefined],
      ['PUT', `${monthly.url}/quarantine/not-a-uuid`, { values: {} }],
      ['DELETE', `${monthly.url}/quarantine/00000000-0000-0000-0000-000000000000`, undefined],
      ['PUT', url, { values: { name: { nested: true } } }],
      ['PUT', url, { values: ['x'] }],
      ['PUT', url, {}],
      ['PUT', url, { values: { name: 'x' }, extra: 1 }],
      ['PUT', url, { values: { unknownField: 'x' } }],
      ['PUT', url, 'not json'],
      ['PUT', url, { values: { name: 'x'.repeat(20_000) } }],
    ] as const) {
      const res = await call(method, path, as.editor, body);
      expect(res.statusCode, `${method} ${path} ${JSON.stringify(body)} → ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, res.body).toBeLessThan(500);
    }
    expect(await ok(await call('GET', url, as.editor))).toMatchObject({ status: 'open' });
  });
});

describe('freshness over time', () => {
  afterAll(async () => {
    t.clock.set(TEST_NOW);
    await loginAll();
  });

  const freshness = async (url: string) => (await ok(await call('GET', `${url}/quality`, as.editor))).freshness;
  const overdueNotices = () =>
    t.app.database.db.selectFrom('notifications').select(['title', 'link']).where('department_id', '=', dept).where('kind', '=', 'collection.dataset_overdue').execute();
  const noticesFor = async (code: string) => (await overdueNotices()).filter((x) => x.link === `/collection/datasets/${encodeURIComponent(code)}?tab=quality`);

  it('turns a monthly dataset due soon, then overdue, and notifies its department once', async () => {
    await ok(await send(staticData.url, [person(30)]));
    t.clock.set('2026-12-21T02:00:00.000Z');
    await loginAll();
    expect(await freshness(monthly.url)).toEqual({ status: 'due_soon', dueAt: '2026-12-23T15:59:59.999Z' });
    expect((await freshness(staticData.url)).status).toBe('ok');
    await sweepOverdueDatasets(t.app, t.clock.now());
    expect(await noticesFor(monthly.code)).toHaveLength(0);

    t.clock.set('2026-12-24T02:00:00.000Z');
    await loginAll();
    expect(await freshness(monthly.url)).toEqual({ status: 'overdue', dueAt: '2026-12-23T15:59:59.999Z' });
    const list = await ok(await call('GET', '/datasets', as.editor));
    expect(list.items.find((d: { code: string }) => d.code === monthly.code)).toMatchObject({ freshness: { status: 'overdue' }, openQuarantine: 1 });
    await sweepOverdueDatasets(t.app, t.clock.now());
    await sweepOverdueDatasets(t.app, t.clock.now());
    const notices = await noticesFor(monthly.code);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.title).toContain('2026-12-23');
    const overview = await ok(await call('GET', '/collection/overview', as.authority));
    expect(overview.items.find((i: { departmentId: string }) => i.departmentId === dept)).toMatchObject({ datasets: 4, overdue: 3 });
  });

  it('dues static data on the 10th of the first month of the next quarter', async () => {
    t.clock.set('2027-01-08T02:00:00.000Z');
    await loginAll();
    expect(await freshness(staticData.url)).toEqual({ status: 'due_soon', dueAt: '2027-01-10T15:59:59.999Z' });
    t.clock.set('2027-01-10T15:00:00.000Z');
    await loginAll();
    expect((await freshness(staticData.url)).status).toBe('due_soon');
    t.clock.set('2027-01-11T02:00:00.000Z');
    await loginAll();
    expect(await freshness(staticData.url)).toEqual({ status: 'overdue', dueAt: '2027-01-10T15:59:59.999Z' });
    await sweepOverdueDatasets(t.app, t.clock.now());
    expect(await noticesFor(staticData.code)).toHaveLength(1);
    expect(await noticesFor(monthly.code)).toHaveLength(1);
  });

  it('is ok again after a new batch, and notifies again only for the next missed due date', async () => {
    await ok(await send(monthly.url, [person(21)]));
    expect(await freshness(monthly.url)).toEqual({ status: 'ok', dueAt: '2027-02-11T15:59:59.999Z' });
    // An unchanged resend confirms static data for the quarter.
    expect((await ok(await send(staticData.url, [person(30)]))).unchanged).toBe(1);
    expect(await freshness(staticData.url)).toEqual({ status: 'ok', dueAt: '2027-04-10T15:59:59.999Z' });
    t.clock.set('2027-02-12T02:00:00.000Z');
    await sweepOverdueDatasets(t.app, t.clock.now());
    expect(await noticesFor(monthly.code)).toHaveLength(2);
    expect(await noticesFor(staticData.code)).toHaveLength(1);
    const audit = await t.app.database.db.selectFrom('audit_log').select('details').where('action', '=', 'collection.dataset_overdue').execute();
    expect(audit.filter((a) => JSON.stringify(a.details).includes(monthly.code))).toHaveLength(2);
  });
});
