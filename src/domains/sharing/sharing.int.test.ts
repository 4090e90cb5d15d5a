import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, publishEntry, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';
import { sweepLapsedGrants, sweepShareRequests } from './index.js';

let t: TestPlatform;
const as = { editor: '', reviewer: '', authority: '', provider: '', consumer: '', consumerEditor: '', stranger: '', supervisor: '' };
let consumerDept = '';

const call = (method: string, url: string, cookie: string, body?: unknown) => t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}) });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

/** 2026-mm-dd at 10:00 in Asia/Shanghai. */
const on = (date: string) => `${date}T02:00:00.000Z`;

const users: Record<keyof typeof as, string> = { editor: 'editor', reviewer: 'reviewer', authority: 'authority', provider: '', consumer: '', consumerEditor: '', stranger: '', supervisor: 'supervisor' };
let signedInAt = 0;

/** Moves the clock to 10:00 on a date; signs everyone in again when their sessions would have expired. */
async function at(date: string) {
  t.clock.set(on(date));
  const now = t.clock.now().getTime();
  if (Math.abs(now - signedInAt) < 20 * 86_400_000) return;
  for (const key of Object.keys(as) as (keyof typeof as)[]) as[key] = await t.login(users[key]);
  signedInAt = now;
}

function citizenId(seq: number): string {
  const first17 = `44130219850101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '家庭住址', nameEn: 'address', dataType: 'C', length: 100 },
  { name: '救助金额', nameEn: 'amount', dataType: 'N', length: 10 },
];

const CONDITIONAL = { shareType: 'conditional', shareConditions: '用于社会救助资格核查', legalBasis: '《社会救助暂行办法》第十一条', items: ITEMS };

/** A published entry of the civil affairs bureau with one collected record (so it can be provided). */
async function entryWithData(overrides: Record<string, unknown>) {
  const entry = await publishEntry(t, as, overrides);
  await ok(
    await t.call({
      method: 'POST',
      url: `/api/v1${entry.url}/batches`,
      cookie: as.editor,
      headers: { 'idempotency-key': `k-${entry.code}` },
      body: { records: [{ values: { citizenId: citizenId(1), name: '张三', address: '惠州市惠城区江北街道 1 号', amount: 800 } }] },
    }),
  );
  return entry;
}

const apply = (entry: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/share-requests', as.consumer, {
    entry,
    items: [
      { nameEn: 'citizenId', duty: '核对救助对象身份' },
      { nameEn: 'name', duty: '核对救助对象姓名' },
      { nameEn: 'address', duty: '入户核查' },
    ],
    purpose: '社会救助资格联合核查',
    scope: '本局救助科',
    periodFrom: '2026-10-01',
    periodUntil: '2027-09-30',
    ...extra,
  });

beforeAll(async () => {
  t = await startTestPlatform({ config: { HUITONG_SESSION_HOURS: '720' } });
  const civil = await t.departmentId(DEMO.civil);
  consumerDept = await t.makeDepartment({ name: '惠州市测试申请局' });
  users.provider = await t.makeUser({ roles: ['sharing_officer'], departmentId: civil });
  users.consumer = await t.makeUser({ roles: ['sharing_officer'], departmentId: consumerDept });
  users.consumerEditor = await t.makeUser({ roles: ['catalog_editor'], departmentId: consumerDept });
  users.stranger = await t.makeUser({ roles: ['sharing_officer'], departmentId: await t.makeDepartment({ name: '惠州市测试旁观局' }) });
  await at('2026-09-28');
});

afterAll(async () => {
  await t?.close();
});

describe('share requests: conditional data', () => {
  let entry: { id: string; code: string };
  let id = '';

  beforeAll(async () => {
    await at('2026-09-28');
    entry = await entryWithData(CONDITIONAL);
  });

  it('falls due five working days after submission, across the National Day break and its adjusted Saturday', async () => {
    await at('2026-09-29');
    const r = await ok(await apply(entry.code), 201);
    id = r.id;
    expect(r.status).toBe('submitted');
    expect(r.no).toMatch(/^GX2026\d{6}$/);
    // 09-30 (1), 10-01..07 holiday, 10-08 (2), 10-09 (3), Sat 10-10 adjusted working day (4), Mon 10-12 (5).
    expect(r.dueOn).toBe('2026-10-12');
    expect(r.workingDaysLeft).toBe(5);
    expect(r.items.map((i: { name: string }) => i.name)).toEqual(['公民身份号码', '姓名', '家庭住址']);
    // The provider's sharing officer is told in-app and, on its published contact list, by email.
    const emails = await t.app.database.db.selectFrom('email_outbox').select(['to_addresses', 'subject']).where('kind', '=', 'share_request.submitted').execute();
    expect(emails.some((e) => e.subject.includes(r.no))).toBe(true);
  });

  it('is visible to both departments and overseers only, and only the provider answers', async () => {
    await ok(await call('GET', `/share-requests/${id}`, as.provider));
    await ok(await call('GET', `/share-requests/${id}`, as.authority));
    await ok(await call('GET', `/share-requests/${id}`, as.supervisor));
    expect((await call('GET', `/share-requests/${id}`, as.stranger)).statusCode).toBe(404);
    expect((await call('POST', `/share-requests/${id}/answer`, as.stranger, { items: [{ nameEn: 'name', granted: true }] })).statusCode).toBe(404);
    expect((await call('POST', `/share-requests/${id}/answer`, as.consumer, { items: [{ nameEn: 'name', granted: true }] })).statusCode).toBe(403);
    expect((await call('POST', `/share-requests/${id}/answer`, as.consumerEditor, { items: [{ nameEn: 'name', granted: true }] })).statusCode).toBe(403);
  });

  it('reminds the provider once on the last working day before the due date, then escalates the day after it', async () => {
    await at('2026-10-09');
    expect(await sweepShareRequests(t.app, t.clock.now())).toEqual({ escalated: 0, reminded: 0, violations: 0 });
    await at('2026-10-10'); // the adjusted Saturday: one working day left
    expect((await sweepShareRequests(t.app, t.clock.now())).reminded).toBe(1);
    expect((await sweepShareRequests(t.app, t.clock.now())).reminded).toBe(0);
    await at('2026-10-12'); // the due date itself: still in time
    expect((await sweepShareRequests(t.app, t.clock.now())).escalated).toBe(0);
    await at('2026-10-13');
    const overdue = await ok(await call('GET', '/share-requests?role=provider&overdue=true', as.provider));
    expect(overdue.items.map((r: { id: string }) => r.id)).toContain(id);
    expect((await sweepShareRequests(t.app, t.clock.now())).escalated).toBe(1);
    expect((await sweepShareRequests(t.app, t.clock.now())).escalated).toBe(0);
    const r = await ok(await call('GET', `/share-requests/${id}`, as.consumer));
    expect(r.status).toBe('escalated');
    expect(r.escalationReason).toBe('unanswered');
    const tasks = await ok(await call('GET', '/tasks', as.authority));
    expect(tasks.items.some((x: { shareRequestId?: string }) => x.shareRequestId === id)).toBe(true);
  });

  it('goes from negotiation to joint review to a ruling that starts a five-working-day clock', async () => {
    expect((await call('POST', `/share-requests/${id}/negotiation`, as.provider, { outcome: 'share', record: '协调' })).statusCode).toBe(403);
    await at('2026-10-13');
    let r = await ok(await call('POST', `/share-requests/${id}/negotiation`, as.authority, { outcome: 'no_agreement', record: '双方未达成一致，转联合审查。' }));
    expect(r.status).toBe('joint_review');
    const published = await ok(await call('GET', '/share-negotiations', as.stranger));
    expect(published.items[0]).toMatchObject({ requestId: id, record: '双方未达成一致，转联合审查。' });
    await at('2026-10-14');
    r = await ok(await call('POST', `/share-requests/${id}/ruling`, as.authority, { ruling: 'share', record: '市政府裁定予以共享。' }));
    expect(r.status).toBe('ordered');
    // 10-15 (1), 10-16 (2), 10-19 (3), 10-20 (4), 10-21 (5).
    expect(r.dueOn).toBe('2026-10-21');
    expect(r.agreement.text).toContain('保密协议');
  });

  it('records a provider that lets the ruling deadline pass, once', async () => {
    await at('2026-10-22');
    expect((await sweepShareRequests(t.app, t.clock.now())).violations).toBe(1);
    expect((await sweepShareRequests(t.app, t.clock.now())).violations).toBe(0);
    const r = await ok(await call('GET', `/share-requests/${id}`, as.authority));
    expect(r.violationRecordedAt).not.toBeNull();
    expect(r.history.map((h: { action: string }) => h.action)).toContain('ruling_ignored');
  });

  it('cannot provide an ordered request before both accept the agreement; then the grant starts', async () => {
    expect((await call('POST', `/share-requests/${id}/provide`, as.provider, {})).json().code).toBe('SHARING_AGREEMENT_PENDING');
    await ok(await call('POST', `/share-requests/${id}/agreement/accept`, as.consumer));
    await ok(await call('POST', `/share-requests/${id}/agreement/accept`, as.provider));
    const r = await ok(await call('POST', `/share-requests/${id}/provide`, as.provider, { items: [{ nameEn: 'address', masking: 'partial' }], dailyQuota: 500 }));
    expect(r.status).toBe('provided');
    const grant = await ok(await call('GET', `/grants/${r.grantId}`, as.consumer));
    expect(grant).toMatchObject({ status: 'active', dailyQuota: 500, validUntil: '2027-09-30', serving: true });
    expect(grant.items).toEqual([
      { nameEn: 'citizenId', name: '公民身份号码', masking: 'none' },
      { nameEn: 'name', name: '姓名', masking: 'none' },
      { nameEn: 'address', name: '家庭住址', masking: 'partial' },
    ]);
  });
});

describe('share requests: answered in time', () => {
  let entry: { id: string; code: string };

  beforeAll(async () => {
    await at('2026-11-02');
    entry = await entryWithData(CONDITIONAL);
  });

  it('a partial grant needs reasons and a legal basis; the agreement gates the grant; both accept; the grant starts', async () => {
    await at('2026-11-03');
    const r = await ok(await apply(entry.code), 201);
    const partial = { items: [{ nameEn: 'citizenId', granted: true }, { nameEn: 'name', granted: true, masking: 'partial' }, { nameEn: 'address', granted: false }] };
    const refused = await call('POST', `/share-requests/${r.id}/answer`, as.provider, partial);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['legalBasis', 'reason']);
    const answered = await ok(await call('POST', `/share-requests/${r.id}/answer`, as.provider, { ...partial, reason: '住址属个人敏感信息', legalBasis: '《个人信息保护法》第二十八条', dailyQuota: 100 }));
    expect(answered.status).toBe('answered');
    expect(answered.agreement.text).toContain('惠州市测试申请局');
    expect(answered.agreement.text).not.toContain('家庭住址');
    expect(answered.actions).toContain('accept_agreement');
    const hasTask = async (cookie: string) => (await ok(await call('GET', '/tasks', cookie))).items.some((x: { shareRequestId?: string }) => x.shareRequestId === r.id);
    expect(await hasTask(as.provider)).toBe(true);
    await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.provider));
    expect(await hasTask(as.provider)).toBe(false);
    expect(await hasTask(as.consumer)).toBe(true);
    expect((await call('POST', `/share-requests/${r.id}/agreement/accept`, as.provider)).statusCode).toBe(409);
    expect((await call('POST', `/share-requests/${r.id}/agreement/accept`, as.stranger)).statusCode).toBe(404);
    const done = await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.consumer));
    expect(done.status).toBe('provided');
    expect(await hasTask(as.consumer)).toBe(false);
    const grant = await ok(await call('GET', `/grants/${done.grantId}`, as.provider));
    expect(grant.items.map((i: { nameEn: string }) => i.nameEn)).toEqual(['citizenId', 'name']);
    expect(grant.agreementId).toBe(done.agreement.id);
    expect(done.agreement.consumerAcceptedBy).toBeTruthy();
    expect(done.agreement.providerAcceptedBy).toBeTruthy();
    const mine = await ok(await call('GET', '/grants?role=consumer', as.consumer));
    expect(mine.items.map((g: { id: string }) => g.id)).toContain(done.grantId);
    const holders = await ok(await call('GET', '/grants?role=provider', as.provider));
    expect(holders.items.map((g: { id: string }) => g.id)).toContain(done.grantId);
    expect((await call('GET', `/grants/${done.grantId}`, as.stranger)).statusCode).toBe(404);
  });

  it('a refusal can be contested once; a negotiated refusal is final', async () => {
    const r = await ok(await apply(entry.code), 201);
    const refused = await ok(
      await call('POST', `/share-requests/${r.id}/answer`, as.provider, { items: [{ nameEn: 'citizenId', granted: false }], reason: '超出职责范围', legalBasis: '002 第四十五条' }),
    );
    expect(refused.status).toBe('refused');
    const contested = await ok(await call('POST', `/share-requests/${r.id}/contest`, as.consumer, { reason: '确为法定职责所需' }));
    expect(contested).toMatchObject({ status: 'escalated', escalationReason: 'refusal_contested' });
    await ok(await call('POST', `/share-requests/${r.id}/negotiation`, as.authority, { outcome: 'refuse', record: '经协调，不予共享。' }));
    const again = await call('POST', `/share-requests/${r.id}/contest`, as.consumer, { reason: '再次异议' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('SHARING_REQUEST_NOT_PENDING');
  });

  it('revoking a grant stops it and notifies the consumer; only the provider or the authority may', async () => {
    const r = await ok(await apply(entry.code), 201);
    await ok(await call('POST', `/share-requests/${r.id}/answer`, as.provider, { items: [{ nameEn: 'citizenId', granted: true }, { nameEn: 'name', granted: true }, { nameEn: 'address', granted: true }] }));
    await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.provider));
    const done = await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.consumer));
    expect((await call('POST', `/grants/${done.grantId}/revoke`, as.consumer, { reason: '不需要了' })).statusCode).toBe(403);
    const revoked = await ok(await call('POST', `/grants/${done.grantId}/revoke`, as.provider, { reason: '对方超范围使用' }));
    expect(revoked).toMatchObject({ status: 'revoked', serving: false, revokeReason: '对方超范围使用' });
    expect((await call('POST', `/grants/${done.grantId}/revoke`, as.authority, { reason: 'again' })).statusCode).toBe(409);
    const notes = await ok(await call('GET', '/notifications', as.consumer));
    expect(notes.items.some((n: { kind: string }) => n.kind === 'grant.revoked')).toBe(true);
  });

  it('a grant lapses after its last day', async () => {
    const r = await ok(await apply(entry.code, { periodFrom: '2026-11-03', periodUntil: '2026-11-30' }), 201);
    await ok(await call('POST', `/share-requests/${r.id}/answer`, as.provider, { items: [{ nameEn: 'citizenId', granted: true }, { nameEn: 'name', granted: true }, { nameEn: 'address', granted: true }] }));
    await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.provider));
    const done = await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.consumer));
    await at('2026-11-30');
    expect(await sweepLapsedGrants(t.app, t.clock.now())).toBe(0);
    await at('2026-12-01');
    expect((await ok(await call('GET', `/grants/${done.grantId}`, as.consumer))).serving).toBe(false);
    expect(await sweepLapsedGrants(t.app, t.clock.now())).toBeGreaterThanOrEqual(1);
    expect((await ok(await call('GET', `/grants/${done.grantId}`, as.consumer))).status).toBe('lapsed');
  });
});

describe('share requests: unconditional and not-shared data', () => {
  it('unconditional data is provided as soon as the provider acknowledges it (huizhou preset)', async () => {
    await at('2026-11-09');
    const entry = await entryWithData({ items: ITEMS });
    const r = await ok(await apply(entry.code), 201);
    // Ten working days for catalog data: 11-10 … 11-23.
    expect(r.dueOn).toBe('2026-11-23');
    const done = await ok(await call('POST', `/share-requests/${r.id}/answer`, as.provider, { items: [{ nameEn: 'citizenId', granted: true }, { nameEn: 'name', granted: true }, { nameEn: 'address', granted: true }] }));
    expect(done.status).toBe('provided');
    expect(done.agreement).toBeNull();
  });

  it('waits for the provider to provide when no data is collected yet, and escalates when it does not', async () => {
    await at('2026-11-09');
    const entry = await publishEntry(t, as, { items: ITEMS });
    const r = await ok(await apply(entry.code), 201);
    const confirmed = await ok(await call('POST', `/share-requests/${r.id}/answer`, as.provider, { items: [{ nameEn: 'citizenId', granted: true }, { nameEn: 'name', granted: true }, { nameEn: 'address', granted: true }] }));
    expect(confirmed.status).toBe('confirmed');
    expect(confirmed.dueOn).toBe('2026-11-16');
    expect((await call('POST', `/share-requests/${r.id}/provide`, as.provider, {})).json().code).toBe('SHARING_NO_DATA');
    await at('2026-11-17');
    await sweepShareRequests(t.app, t.clock.now());
    expect((await ok(await call('GET', `/share-requests/${r.id}`, as.consumer))).escalationReason).toBe('not_provided');
  });

  it('not-shared data needs a legal basis and goes to the authority', async () => {
    await at('2026-11-09');
    const entry = await entryWithData({ shareType: 'none', legalBasis: '涉及国家秘密', items: ITEMS });
    const missing = await apply(entry.code);
    expect(missing.statusCode).toBe(422);
    expect(missing.json().code).toBe('SHARING_LEGAL_BASIS_REQUIRED');
    const r = await ok(await apply(entry.code, { legalBasis: '《社会救助暂行办法》第五十九条' }), 201);
    expect(r).toMatchObject({ status: 'escalated', escalationReason: 'not_shared_data', dueOn: null });
  });

  it('refuses bad requests with clear errors', async () => {
    const entry = await entryWithData({ items: ITEMS });
    const unknown = await call('POST', '/share-requests', as.consumer, { entry: entry.code, items: [{ nameEn: 'salary', duty: '核查' }], purpose: '核查', scope: '本局', periodFrom: '2026-11-01', periodUntil: '2026-12-01' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('items.0.nameEn');
    const own = await call('POST', '/share-requests', as.provider, { entry: entry.code, items: [{ nameEn: 'name', duty: '核查' }], purpose: '核查', scope: '本局', periodFrom: '2026-11-01', periodUntil: '2026-12-01' });
    expect(own.json().code).toBe('SHARING_OWN_ENTRY');
    const period = await call('POST', '/share-requests', as.consumer, { entry: entry.code, items: [{ nameEn: 'name', duty: '核查' }], purpose: '核查', scope: '本局', periodFrom: '2026-12-01', periodUntil: '2026-11-01' });
    expect(period.statusCode).toBe(422);
    expect((await call('POST', '/share-requests', as.consumer, { entry: 'nope', items: [{ nameEn: 'name', duty: '核查' }], purpose: '核查', scope: '本局', periodFrom: '2026-11-01', periodUntil: '2026-12-01' })).statusCode).toBe(404);
    expect((await call('POST', '/share-requests', as.consumerEditor, { entry: entry.code, items: [{ nameEn: 'name', duty: '核查' }], purpose: '核查', scope: '本局', periodFrom: '2026-11-01', periodUntil: '2026-12-01' })).statusCode).toBe(403);
    expect((await call('POST', '/share-requests/not-a-uuid/answer', as.provider, { items: [] })).statusCode).toBe(422);
  });
});

describe('share requests: automatic preset', () => {
  it('grants unconditional data without waiting for the provider (wuhu preset)', async () => {
    const w = await startTestPlatform({ config: { HUITONG_POLICY: 'wuhu' } });
    try {
      const civil = await w.departmentId(DEMO.civil);
      const people = { editor: await w.login('editor'), reviewer: await w.login('reviewer'), authority: await w.login('authority') };
      const consumer = await w.login(await w.makeUser({ roles: ['sharing_officer'], departmentId: await w.makeDepartment({ name: '芜湖测试局' }) }));
      expect(civil).toBeTruthy();
      const entry = await publishEntry(w, people, { items: ITEMS });
      const res = await w.call({
        method: 'POST',
        url: '/api/v1/share-requests',
        cookie: consumer,
        body: { entry: entry.code, items: [{ nameEn: 'name', duty: '核查' }], purpose: '核查', scope: '本局', periodFrom: '2026-11-01', periodUntil: '2026-12-31' },
      });
      const r = await ok(res, 201);
      // No data is collected yet, so it waits for the provider to provide.
      expect(r.status).toBe('confirmed');
      expect(r.history.map((h: { action: string }) => h.action)).toEqual(['submit', 'auto_grant']);
    } finally {
      await w.close();
    }
  });
});
