import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { dibaoEntry, makeGrant } from '../../../test/sharing-fixtures.js';
import type { Actor } from '../actor.js';
import { inTransaction } from '../db/index.js';
import { citizenIdCheckChar } from '../validators/index.js';
import { subjectToken } from '../vault/index.js';
import type { AuditAction } from './actions.js';
import { record } from './audit.js';

/**
 * The access-log filters of `GET /audit`: the action prefix, the caller's department, the outcome,
 * `subject`, an identifier the server turns into its vault token (never echoed back), and `entry`,
 * a dataset the server turns into its grants.
 */

let t: TestPlatform;
let supervisor = '';
let psb = '';
let civil = '';

function citizenId(seq: number): string {
  const first17 = `44130219800101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const ALICE = citizenId(11);
const BOB = citizenId(12);
const CAROL = citizenId(13);

type Entry = { seq: number; action: string; departmentId: string | null; outcome: string; targetType: string; targetId: string | null; details: Record<string, unknown> };

async function list(query: string): Promise<{ items: Entry[]; total: number }> {
  const res = await t.call({ method: 'GET', url: `/api/v1/audit?pageSize=200&${query}`, cookie: supervisor });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** Only the entries this file wrote (the demo city has its own). */
const ours = (items: Entry[]) => items.filter((e) => (e.details as { fixture?: boolean }).fixture === true);

beforeAll(async () => {
  t = await startTestPlatform();
  supervisor = await t.login('supervisor');
  psb = await t.departmentId(DEMO.psb);
  civil = await t.departmentId(DEMO.civil);
  const token = (id: string) => subjectToken(t.app.vault, 'citizen_id', id);
  const client = (departmentId: string, name: string): Actor => ({ kind: 'client', id: crypto.randomUUID(), name, departmentId, roles: [], scopes: ['share:query'] });
  const psbSystem = client(psb, '公安局人口核查系统');
  const civilSystem = client(civil, '民政局救助系统');
  const at = t.clock.now();
  await inTransaction(t.app.database.db, async (tx) => {
    // One subject per call: the target is the subject's token, as the query API writes it.
    await record(tx, { actor: psbSystem, action: 'share.queried', targetType: 'subject', targetId: token(ALICE), at, details: { fixture: true, n: 1, purpose: '户籍核查', subjectTokens: [token(ALICE)], items: ['name'], grants: ['g1'] } });
    // Several subjects: the tokens are in details.subjectTokens only.
    await record(tx, { actor: psbSystem, action: 'share.queried', targetType: 'share_query', targetId: null, at, details: { fixture: true, n: 2, purpose: '批量核查', subjectTokens: [token(BOB), token(CAROL)], items: ['name'], grants: ['g1'] } });
    await record(tx, { actor: civilSystem, action: 'share.verified', targetType: 'subject', targetId: token(BOB), at, details: { fixture: true, n: 3, purpose: '救助核验', subjectTokens: [token(BOB)], items: ['name'], grants: ['g2'] } });
    await record(tx, { actor: psbSystem, action: 'share.query_denied', targetType: 'subject', targetId: token(CAROL), outcome: 'denied', at, details: { fixture: true, n: 4, code: 'SHARING_NO_GRANT', subjectTokens: [token(CAROL)] } });
    // Other domains name a subject as `subjectToken` in their details.
    await record(tx, { actor: psbSystem, action: 'verification.reported', targetType: 'verification', targetId: 'v1', at, details: { fixture: true, n: 5, subjectToken: token(ALICE) } });
  });
});

afterAll(async () => {
  await t?.close();
});

const numbers = (items: Entry[]) => ours(items).map((e) => (e.details as { n: number }).n).sort();

describe('GET /audit: access-log filters', () => {
  it('finds every entry about a subject by its identifier, as target or in the details', async () => {
    expect(numbers((await list(`subject=${ALICE}`)).items)).toEqual([1, 5]);
    expect(numbers((await list(`subject=${BOB}`)).items)).toEqual([2, 3]);
    expect(numbers((await list(`subject=${CAROL}`)).items)).toEqual([2, 4]);
  });

  it('accepts the identifier however it is typed (spaces, lower-case check character) and with its kind named', async () => {
    const spaced = `${ALICE.slice(0, 6)} ${ALICE.slice(6, 14)} ${ALICE.slice(14).toLowerCase()}`;
    expect(numbers((await list(`subject=${encodeURIComponent(spaced)}`)).items)).toEqual([1, 5]);
    expect(numbers((await list(`subject=${ALICE}&subjectType=citizen_id`)).items)).toEqual([1, 5]);
    expect(numbers((await list(`subject=${ALICE}&subjectType=registration_no`)).items)).toEqual([]);
  });

  it('combines the subject with the action prefix, the caller department and the outcome', async () => {
    expect(numbers((await list(`subject=${ALICE}&action=share.`)).items)).toEqual([1]);
    expect(numbers((await list('action=share.')).items)).toEqual([1, 2, 3, 4]);
    expect(numbers((await list(`action=share.&departmentId=${civil}`)).items)).toEqual([3]);
    expect(numbers((await list('action=share.&outcome=denied')).items)).toEqual([4]);
    expect(numbers((await list(`action=share.&outcome=allowed&departmentId=${psb}`)).items)).toEqual([1, 2]);
    expect(numbers((await list(`subject=${CAROL}&outcome=allowed`)).items)).toEqual([2]);
    // The prefix is literal: 'share.' does not reach share_request.* entries.
    const all = await list('action=share.');
    expect(all.items.every((e) => e.action.startsWith('share.'))).toBe(true);
    expect(all.total).toBe(all.items.length);
  });

  it('refuses an identifier that is valid as no kind with 422, without repeating it in the problem', async () => {
    const bad = '4413021980010101X9';
    const res = await t.call({ method: 'GET', url: `/api/v1/audit?subject=${bad}&subjectType=citizen_id`, cookie: supervisor });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'query.subject', rule: 'identifier' }] });
    // Nothing in the answer names the value, not even `instance` (the route, not the address sent).
    const said = (r: typeof res) => JSON.stringify(r.json());
    expect(res.json().instance).toBe('/api/v1/audit');
    expect(said(res)).not.toContain(bad);
    const junk = await t.call({ method: 'GET', url: '/api/v1/audit?subject=%E5%BC%A0%E4%B8%89', cookie: supervisor });
    expect(junk.statusCode).toBe(422);
    expect(said(junk)).not.toContain('张三');
  });

  it('is for overseers only, as the rest of the audit trail', async () => {
    const editor = await t.login('editor');
    const res = await t.call({ method: 'GET', url: `/api/v1/audit?subject=${ALICE}`, cookie: editor });
    expect(res.statusCode).toBe(403);
  });
});

describe('GET /audit: the dataset filter', () => {
  let dibao = { id: '', code: '' };
  let other = { id: '', code: '' };
  /** Entries of this block carry `byEntry` (not `fixture`, so the counts above stay as they are). */
  const marked = (items: Entry[]) =>
    items
      .filter((e) => (e.details as { byEntry?: boolean }).byEntry === true)
      .map((e) => (e.details as { n: number }).n)
      .sort((a, b) => a - b);

  beforeAll(async () => {
    const entry = await dibaoEntry(t);
    dibao = { id: entry.id, code: entry.code };
    other = await t.app.database.db
      .selectFrom('catalog_entries')
      .select(['id', 'code'])
      .where('published_version', 'is not', null)
      .where('id', '!=', entry.id)
      .orderBy('code')
      .executeTakeFirstOrThrow();
    const items = [{ nameEn: 'name', masking: 'none' as const }];
    const g1 = await makeGrant(t, { consumerDepartmentId: psb, entryId: dibao.id, items });
    const g2 = await makeGrant(t, { consumerDepartmentId: psb, entryId: dibao.id, items });
    const g3 = await makeGrant(t, { consumerDepartmentId: civil, entryId: other.id, items });
    const system: Actor = { kind: 'client', id: crypto.randomUUID(), name: '公安局人口核查系统', departmentId: psb, roles: [], scopes: ['share:query'] };
    const at = t.clock.now();
    await inTransaction(t.app.database.db, async (tx) => {
      const add = (n: number, action: AuditAction, targetType: string, targetId: string | null, details: Record<string, unknown>, outcome: 'allowed' | 'denied' = 'allowed') =>
        record(tx, { actor: system, action, targetType, targetId, outcome, at, details: { byEntry: true, n, ...details } });
      // The query API names the grants it served under in `grants`.
      await add(11, 'share.queried', 'share_query', null, { grants: [g1] });
      await add(12, 'share.verified', 'share_query', null, { grants: [g3, g2] });
      await add(13, 'share.query_denied', 'share_query', null, { grants: [g3], code: 'SHARING_ITEM_NOT_GRANTED' }, 'denied');
      // The change feed and webhooks name one grant as `grantId`; grant steps target the grant.
      await add(14, 'share.changes_read', 'grant', g2, { grantId: g2 });
      await add(15, 'share.webhook_sent', 'webhook_delivery', crypto.randomUUID(), { grantId: g1 });
      await add(16, 'grant.revoked', 'grant', g1, {});
      await add(17, 'share.subscription_changed', 'grant_subscription', crypto.randomUUID(), { grantId: g3 });
      // Named by none of them.
      await add(18, 'share.queried', 'share_query', null, { grants: [crypto.randomUUID()] });
    });
  });

  it('finds every entry about any grant of the dataset, named by its id or by its resource code', async () => {
    expect(marked((await list(`entry=${dibao.id}`)).items)).toEqual([11, 12, 14, 15, 16]);
    expect(marked((await list(`entry=${encodeURIComponent(dibao.code)}`)).items)).toEqual([11, 12, 14, 15, 16]);
    expect(marked((await list(`entry=${other.id}`)).items)).toEqual([12, 13, 17]);
  });

  it('combines the dataset with the action prefix and the outcome', async () => {
    expect(marked((await list(`entry=${dibao.id}&action=share.`)).items)).toEqual([11, 12, 14, 15]);
    expect(marked((await list(`entry=${other.id}&outcome=denied`)).items)).toEqual([13]);
    expect(marked((await list(`entry=${dibao.id}&action=grant.`)).items)).toEqual([16]);
  });

  it('answers an unknown dataset, or one without grants, with no entries rather than an error', async () => {
    expect(await list(`entry=${crypto.randomUUID()}`)).toEqual({ items: [], total: 0 });
    expect(await list('entry=nope%2F0')).toEqual({ items: [], total: 0 });
    const ungranted = await t.app.database.db
      .selectFrom('catalog_entries')
      .select('id')
      .where('id', 'not in', [dibao.id, other.id])
      .executeTakeFirstOrThrow();
    expect((await list(`entry=${ungranted.id}`)).total).toBe(0);
  });
});
