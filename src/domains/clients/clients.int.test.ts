import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

let t: TestPlatform;
const as = { admin: '', deptadmin: '', editor: '', reviewer: '', authority: '' };
let civil = '';
let psb = '';

const call = (method: string, url: string, opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
  t.call({ method, url: `/api/v1${url}`, ...opts });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

function citizenId(seq: number): string {
  const first17 = `44130219900101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

let keyCounter = 0;
/** Sends a one-record batch to the dataset as the bearer credential (or a raw Authorization header). */
function push(code: string, authorization: string, seq = keyCounter) {
  return call('POST', `/datasets/${encodeURIComponent(code)}/batches`, {
    body: { records: [{ values: { citizenId: citizenId(seq), name: `张${seq}` } }] },
    headers: { authorization, 'idempotency-key': `client-${keyCounter++}` },
  });
}

type Created = { id: string; name: string; secret: string; authorization: string; departmentId: string; scopes: string[] };
async function createClient(cookie: string, body: Record<string, unknown>): Promise<Created> {
  return ok(await call('POST', '/api-clients', { cookie, body: { name: `前置机${keyCounter++}`, scopes: ['collection:write'], ...body } }), 201);
}

let code = '';

beforeAll(async () => {
  t = await startTestPlatform();
  for (const k of Object.keys(as) as (keyof typeof as)[]) as[k] = await t.login(k);
  civil = await t.departmentId(DEMO.civil);
  psb = await t.departmentId(DEMO.psb);
  const items = [
    { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
    { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  ];
  const created = await ok(await call('POST', '/catalog/entries', { cookie: as.editor, body: entryFields({ items }) }), 201);
  for (const [cookie, action] of [
    [as.editor, 'submit'],
    [as.reviewer, 'approve'],
    [as.authority, 'publish'],
  ] as const) {
    await ok(await call('POST', `/catalog/entries/${created.id}/transitions`, { cookie, body: { action } }));
  }
  code = (await ok(await call('GET', `/catalog/entries/${created.id}`, { cookie: as.editor }))).code;
});
afterAll(async () => {
  await t.close();
});

describe('API clients', () => {
  it('shows the secret once on creation and never in the list', async () => {
    const c = await createClient(as.deptadmin, {});
    expect(c.secret).toMatch(/^htc_[A-Za-z0-9_-]{43}$/);
    expect(c.authorization).toBe(`Bearer ${c.id}.${c.secret}`);
    expect(c.departmentId).toBe(civil);
    const list = await call('GET', '/api-clients', { cookie: as.deptadmin });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(c.secret);
    expect(list.body).not.toContain('secret');
    expect(list.body).not.toContain('Hash');
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(c.id);
  });

  it('lists only the own department’s clients for a department administrator, every one for the platform administrator', async () => {
    const own = await createClient(as.deptadmin, {});
    const other = await createClient(as.admin, { departmentId: psb });
    const mine = (await ok(await call('GET', '/api-clients', { cookie: as.deptadmin }))).items.map((i: { id: string }) => i.id);
    expect(mine).toContain(own.id);
    expect(mine).not.toContain(other.id);
    const all = (await ok(await call('GET', '/api-clients', { cookie: as.admin }))).items.map((i: { id: string }) => i.id);
    expect(all).toEqual(expect.arrayContaining([own.id, other.id]));
  });

  it('lets a client send a batch to its department’s dataset and records it as the writer', async () => {
    const c = await createClient(as.deptadmin, {});
    const res = await push(code, c.authorization);
    const body = await ok(res);
    const batch = await t.app.database.db.selectFrom('collection_batches').select(['created_by']).where('id', '=', body.batchId).executeTakeFirstOrThrow();
    expect(batch.created_by).toBe(c.id);
    const entry = await t.app.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name', 'department_id'])
      .where('action', '=', 'collection.batch_applied')
      .where('actor_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(entry.actor_name).toBe(`client:${c.name}`);
    expect(entry.department_id).toBe(civil);
  });

  it('refuses a client sending to another department’s dataset with 403, audited', async () => {
    const c = await createClient(as.admin, { departmentId: psb });
    const res = await push(code, c.authorization);
    expect(res.statusCode, res.body).toBe(403);
    const denied = await t.app.database.db.selectFrom('audit_log').select(['outcome']).where('action', '=', 'access.denied').where('actor_id', '=', c.id).execute();
    expect(denied).toHaveLength(1);
  });

  it('refuses a client without the collection:write scope with 403', async () => {
    const c = await createClient(as.deptadmin, {});
    // Scopes are a closed list with one member today; a client stripped of it stands for one without.
    await t.app.database.db.updateTable('api_clients').set({ scopes: [] }).where('id', '=', c.id).execute();
    expect((await push(code, c.authorization)).statusCode).toBe(403);
  });

  it('refuses a client on routes that do not admit clients, including the catalog and API client management', async () => {
    const c = await createClient(as.deptadmin, {});
    const headers = { authorization: c.authorization };
    for (const [method, url] of [
      ['GET', '/catalog/entries'],
      ['GET', '/datasets'],
      ['GET', `/datasets/${encodeURIComponent(code)}/batches`],
      ['GET', '/api-clients'],
      ['GET', '/auth/me'],
    ] as const) {
      const res = await call(method, url, { headers });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    const res = await call('POST', '/api-clients', { headers, body: { name: 'x', scopes: ['collection:write'] } });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a revoked client with 401 AUTH_INVALID_CLIENT, audited', async () => {
    const c = await createClient(as.deptadmin, {});
    // Just used, so the client is held in memory: its revocation must still take effect at once.
    await ok(await push(code, c.authorization));
    const revoked = await ok(await call('POST', `/api-clients/${c.id}/revoke`, { cookie: as.deptadmin, body: { reason: '前置机下线' } }));
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.revokeReason).toBe('前置机下线');
    const res = await push(code, c.authorization);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('AUTH_INVALID_CLIENT');
    const failed = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'api_client.auth_failed').where('target_id', '=', c.id).execute();
    expect(failed).toHaveLength(1);
    expect(failed[0]?.outcome).toBe('denied');
    expect((await call('POST', `/api-clients/${c.id}/revoke`, { cookie: as.deptadmin, body: { reason: 'again' } })).statusCode).toBe(409);
  });

  it('refuses a wrong secret and malformed Authorization headers with 401, never 500', async () => {
    const c = await createClient(as.deptadmin, {});
    const wrong = `Bearer ${c.id}.htc_${'A'.repeat(43)}`;
    for (const header of [wrong, 'Bearer', 'Bearer ', 'Bearer x.y', `Bearer ${c.id}`, `Basic ${Buffer.from('a:b').toString('base64')}`, 'garbage', `Bearer ${c.id}.${c.secret}x`, `Bearer 00000000-0000-7000-8000-000000000000.${c.secret}`]) {
      const res = await push(code, header);
      expect(res.statusCode, header).toBe(401);
      expect(res.json().code).toBe('AUTH_INVALID_CLIENT');
    }
  });

  it('does not let a department administrator issue, list or revoke clients of another department', async () => {
    const res = await call('POST', '/api-clients', { cookie: as.deptadmin, body: { name: 'x', departmentId: psb, scopes: ['collection:write'] } });
    expect(res.statusCode).toBe(403);
    expect((await call('GET', `/api-clients?departmentId=${psb}`, { cookie: as.deptadmin })).statusCode).toBe(403);
    const other = await createClient(as.admin, { departmentId: psb });
    expect((await call('POST', `/api-clients/${other.id}/revoke`, { cookie: as.deptadmin, body: { reason: 'x' } })).statusCode).toBe(403);
  });

  it('does not let an editor manage clients', async () => {
    expect((await call('POST', '/api-clients', { cookie: as.editor, body: { name: 'x', scopes: ['collection:write'] } })).statusCode).toBe(403);
    expect((await call('GET', '/api-clients', { cookie: as.editor })).statusCode).toBe(403);
  });

  it('refuses an unknown scope and an unknown department with 422', async () => {
    expect((await call('POST', '/api-clients', { cookie: as.deptadmin, body: { name: 'x', scopes: ['catalog:write'] } })).statusCode).toBe(422);
    const res = await call('POST', '/api-clients', { cookie: as.admin, body: { name: 'x', departmentId: '00000000-0000-7000-8000-000000000000', scopes: ['collection:write'] } });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('CLIENTS_DEPARTMENT_NOT_FOUND');
  });

  it('updates last_used_at on use, at most once a minute', async () => {
    const c = await createClient(as.deptadmin, {});
    const lastUsed = async () =>
      (await t.app.database.db.selectFrom('api_clients').select('last_used_at').where('id', '=', c.id).executeTakeFirstOrThrow()).last_used_at;
    expect(await lastUsed()).toBeNull();
    await ok(await push(code, c.authorization));
    const first = await lastUsed();
    expect(first).not.toBeNull();
    t.clock.advance(30_000);
    await ok(await push(code, c.authorization));
    expect(new Date(await lastUsed() as Date).getTime()).toBe(new Date(first as Date).getTime());
    t.clock.advance(31_000);
    await ok(await push(code, c.authorization));
    expect(new Date(await lastUsed() as Date).getTime()).toBe(t.clock.now().getTime());
    const listed = (await ok(await call('GET', '/api-clients', { cookie: as.deptadmin }))).items.find((i: { id: string }) => i.id === c.id);
    expect(listed.lastUsedAt).toBe(t.clock.now().toISOString());
  });

  it('never writes a secret or its hash into the audit trail', async () => {
    const c = await createClient(as.deptadmin, {});
    await push(code, `Bearer ${c.id}.htc_${'B'.repeat(43)}`);
    await call('POST', `/api-clients/${c.id}/revoke`, { cookie: as.deptadmin, body: { reason: 'test' } });
    await push(code, c.authorization);
    const hash = (await t.app.database.db.selectFrom('api_clients').select('secret_hash').where('id', '=', c.id).executeTakeFirstOrThrow()).secret_hash;
    const rows = await t.app.database.db.selectFrom('audit_log').select(['details', 'actor_name', 'target_id']).execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(c.secret);
    expect(text).not.toContain(c.secret.slice(4));
    expect(text).not.toContain('B'.repeat(43));
    expect(text).not.toContain(hash);
    const actions = (await t.app.database.db.selectFrom('audit_log').select('action').where('target_id', '=', c.id).execute()).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['api_client.created', 'api_client.revoked', 'api_client.auth_failed']));
  });
});
