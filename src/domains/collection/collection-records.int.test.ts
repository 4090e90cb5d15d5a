import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, publishEntry as publishEntryVia, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

let t: TestPlatform;
const as = { editor: '', reviewer: '', deptadmin: '', authority: '', psbEditor: '', psbAdmin: '' };

const call = (method: string, url: string, cookie: string, body?: unknown, headers?: Record<string, string>) =>
  t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

/** A valid citizen ID number with a sequence number; check character computed. */
function citizenId(seq: number, birth = '19850101'): string {
  const first17 = `441302${birth}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

let keyCounter = 0;
/** Sends a batch a minute after the previous one, so "newest first" has an order to show. */
function send(url: string, records: unknown[], cookie = as.editor, authorization?: string) {
  t.clock.advance(60_000);
  const headers = { 'idempotency-key': `rec-${keyCounter++}`, ...(authorization ? { authorization } : {}) };
  return call('POST', `${url}/batches`, authorization ? '' : cookie, { records }, headers);
}

const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '配偶身份证号', nameEn: 'spouseId', dataType: 'C', length: 18 },
  { name: '子女数', nameEn: 'children', dataType: 'I', length: 2 },
];

let people: { id: string; code: string; url: string };
let declared: { id: string; code: string; url: string };
const alice = citizenId(101);
const spouse = citizenId(102);
const bob = citizenId(103);
const masked = (id: string) => `${id.slice(0, 4)}**********${id.slice(14)}`;

beforeAll(async () => {
  t = await startTestPlatform();
  for (const [k, username] of Object.entries({ editor: 'editor', reviewer: 'reviewer', deptadmin: 'deptadmin', authority: 'authority', psbEditor: 'psb.editor' })) {
    as[k as keyof typeof as] = await t.login(username);
  }
  as.psbAdmin = await t.login(await t.makeUser({ roles: ['dept_admin'], departmentId: await t.departmentId(DEMO.psb) }));
  people = await publishEntryVia(t, as, { items: ITEMS });
  declared = await publishEntryVia(t, as, {
    items: [
      { name: '事项编号', nameEn: 'itemNo', dataType: 'C', length: 20, required: true },
      { name: '状态', nameEn: 'status', dataType: 'C', length: 4, codeList: '正常/注销', required: true },
    ],
  });
  const client = await ok(await call('POST', '/api-clients', as.deptadmin, { name: '民政前置机', scopes: ['collection:write'] }), 201);
  // Alice: written, changed by the department administrator, changed again by the API client, then deleted. Bob: written once.
  await ok(await send(people.url, [{ values: { citizenId: alice, name: '王一', spouseId: spouse, children: 1 } }]));
  await ok(await send(people.url, [{ values: { citizenId: alice, name: '王一', spouseId: spouse, children: 2 } }], as.deptadmin));
  await ok(await send(people.url, [{ values: { citizenId: bob, name: '赵二' } }]));
  await ok(await send(people.url, [{ values: { citizenId: alice, name: '王一', children: 3 } }], '', client.authorization));
  await ok(await send(people.url, [{ values: { citizenId: alice }, deleted: true }]));
  await ok(await send(declared.url, [{ key: 'SX-0001', values: { itemNo: 'SX-0001', status: '正常' } }]));
});
afterAll(async () => {
  await t.close();
});

describe('listing records', () => {
  it('lists current records newest first with masked identifiers only, never the raw number or the token as key', async () => {
    const res = await call('GET', `${people.url}/records`, as.editor);
    const body = await ok(res);
    expect(body.total).toBe(1);
    expect(body.items).toHaveLength(1);
    const [item] = body.items;
    expect(item).toMatchObject({ key: masked(bob), version: 1, deleted: false, values: { citizenId: masked(bob), name: '赵二' } });
    expect(item.ref).toMatch(/^[0-9a-f]{64}$/);
    expect(item.key).not.toBe(item.ref);
    for (const raw of [alice, bob, spouse]) expect(res.body).not.toContain(raw);
  });

  it('includes tombstoned records on request', async () => {
    const res = await call('GET', `${people.url}/records?includeDeleted=true`, as.editor);
    const body = await ok(res);
    expect(body.total).toBe(2);
    expect(body.items[0]).toMatchObject({ key: masked(alice), version: 4, deleted: true });
    expect(body.items[1]).toMatchObject({ key: masked(bob), deleted: false });
    for (const raw of [alice, bob, spouse]) expect(res.body).not.toContain(raw);
  });

  it('finds a record by its full identifier, and by its ref', async () => {
    const res = await call('GET', `${people.url}/records?includeDeleted=true&q=${alice}`, as.deptadmin);
    const body = await ok(res);
    expect(body).toMatchObject({ total: 1, items: [{ key: masked(alice) }] });
    expect(res.body).not.toContain(alice);
    const byRef = await ok(await call('GET', `${people.url}/records?includeDeleted=true&q=${body.items[0].ref}`, as.editor));
    expect(byRef.items.map((i: { key: string }) => i.key)).toEqual([masked(alice)]);
    expect(await ok(await call('GET', `${people.url}/records?q=${citizenId(999)}`, as.editor))).toEqual({ items: [], total: 0 });
    expect(await ok(await call('GET', `${people.url}/records?q=${alice.slice(0, 10)}`, as.editor))).toEqual({ items: [], total: 0 });
  });

  it('lists and finds records of a declared-key dataset by key', async () => {
    const body = await ok(await call('GET', `${declared.url}/records?q=SX-0001`, as.editor));
    expect(body).toMatchObject({ total: 1, items: [{ key: 'SX-0001', ref: 'SX-0001', values: { itemNo: 'SX-0001', status: '正常' } }] });
  });

  it('refuses another department and roles outside the providers', async () => {
    expect((await call('GET', `${people.url}/records`, as.psbEditor)).statusCode).toBe(403);
    expect((await call('GET', `${people.url}/records`, as.reviewer)).statusCode).toBe(403);
  });

  it('answers bad paging with a problem, never 500', async () => {
    for (const qs of ['page=0', 'pageSize=1000', 'includeDeleted=maybe', `q=${'x'.repeat(300)}`]) {
      const res = await call('GET', `${people.url}/records?${qs}`, as.editor);
      expect(res.statusCode, qs).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, qs).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('record history', () => {
  it('shows every version with writer, batch and schema version, after two changes and a deletion', async () => {
    const res = await call('GET', `${people.url}/records/${alice}/history`, as.editor);
    const body = await ok(res);
    expect(body.key).toBe(masked(alice));
    expect(body.versions.map((v: { version: number; deleted: boolean }) => [v.version, v.deleted])).toEqual([
      [4, true],
      [3, false],
      [2, false],
      [1, false],
    ]);
    const v1 = body.versions[3];
    expect(v1).toMatchObject({ schemaVersion: 1, writtenBy: { name: '民政局编目员 李娜', kind: 'user' }, values: { citizenId: masked(alice), spouseId: masked(spouse), children: 1 } });
    expect(body.versions[2].writtenBy.name).toBe('民政局管理员 黄丽');
    expect(body.versions[1]).toMatchObject({ writtenBy: { name: '民政前置机', kind: 'client' }, values: { children: 3 } });
    expect(body.versions[1].values).not.toHaveProperty('spouseId');
    expect(new Set(body.versions.map((v: { batchId: string }) => v.batchId)).size).toBe(4);
    for (const v of body.versions) expect(v.batchId).toMatch(/^[0-9a-f-]{36}$/);
    for (const raw of [alice, spouse]) expect(res.body).not.toContain(raw);
  });

  it('accepts the ref instead of the identifier', async () => {
    const list = await ok(await call('GET', `${people.url}/records?includeDeleted=true&q=${alice}`, as.editor));
    const body = await ok(await call('GET', `${people.url}/records/${list.items[0].ref}/history`, as.editor));
    expect(body.versions).toHaveLength(4);
  });

  it('answers 404 for an unknown or invalid identifier, and 403 for another department', async () => {
    for (const ref of [citizenId(998), 'not-an-id', 'f'.repeat(64)]) {
      const res = await call('GET', `${people.url}/records/${encodeURIComponent(ref)}/history`, as.editor);
      expect(res.statusCode, ref).toBe(404);
      expect(res.json().code).toBe('COLLECTION_RECORD_NOT_FOUND');
    }
    expect((await call('GET', `${people.url}/records/${bob}/history`, as.psbEditor)).statusCode).toBe(403);
  });
});

describe('revealing a full identifier', () => {
  let ref = '';
  beforeAll(async () => {
    const list = await ok(await call('GET', `${people.url}/records?q=${bob}`, as.editor));
    ref = list.items[0].ref;
  });

  it('reveals the number to the department administrator with a reason and audits it without the number', async () => {
    const res = await call('POST', `${people.url}/records/reveal`, as.deptadmin, { key: ref, reason: '核对群众来电身份' });
    expect(await ok(res)).toEqual({ identifier: bob });
    expect(res.headers['cache-control']).toBe('no-store');
    const rows = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'collection.identifier_revealed').execute();
    expect(rows).toHaveLength(1);
    const row = rows[0];
    const details = typeof row?.details === 'string' ? JSON.parse(row.details) : row?.details;
    expect(details).toMatchObject({ dataset: people.code, ref, reason: '核对群众来电身份' });
    expect(row?.outcome).toBe('allowed');
    expect(JSON.stringify(row)).not.toContain(bob);
  });

  it('refuses the catalog editor and other departments with 403, audited as denied', async () => {
    const before = await t.app.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'access.denied').execute();
    for (const cookie of [as.editor, as.psbAdmin, as.psbEditor, as.authority]) {
      const res = await call('POST', `${people.url}/records/reveal`, cookie, { key: ref, reason: '核对' });
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain(bob);
    }
    const after = await t.app.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'access.denied').execute();
    expect(after.length - before.length).toBe(4);
  });

  it('refuses a missing or too short reason and unknown refs with 4xx problems', async () => {
    const cases: [unknown, number][] = [
      [{ key: ref }, 400],
      [{ key: ref, reason: 'x' }, 400],
      [{ key: ref, reason: 'x'.repeat(201) }, 400],
      [{ key: ref, reason: '核对', extra: 1 }, 400],
      [{ key: 'f'.repeat(64), reason: '核对' }, 404],
      [{ key: bob, reason: '核对' }, 404],
    ];
    for (const [body, status] of cases) {
      const res = await call('POST', `${people.url}/records/reveal`, as.deptadmin, body);
      expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, JSON.stringify(body)).toBeLessThan(500);
      if (status === 404) expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const n = await t.app.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'collection.identifier_revealed').execute();
    expect(n).toHaveLength(1);
  });

  it('has nothing to reveal in a declared-key dataset', async () => {
    expect((await call('POST', `${declared.url}/records/reveal`, as.deptadmin, { key: 'SX-0001', reason: '核对' })).statusCode).toBe(404);
  });
});
