import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, publishEntry, startTestPlatform, type TestPlatform } from '../../../../test/harness.js';
import { citizenIdCheckChar } from '../../../platform/validators/index.js';
import { deliverWebhooks, enqueueWebhookChanges, verifyWebhook } from './index.js';
import { FEED_LAG_MS, WEBHOOK_RETRY_DELAYS_MS } from './subscriptions.service.js';

let t: TestPlatform;
const as = { editor: '', reviewer: '', authority: '', provider: '', consumer: '', stranger: '' };
let grantId = '';
let entryUrl = '';

const call = (method: string, url: string, cookie: string, body?: unknown, headers?: Record<string, string>) =>
  t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

function citizenId(seq: number): string {
  const first17 = `44130219900101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '救助金额', nameEn: 'amount', dataType: 'N', length: 10 },
];

let batchNo = 0;
/** The provider sends records; the clock then moves past the feed's lag so they are readable. */
async function collect(records: unknown[]) {
  await ok(await t.call({ method: 'POST', url: `/api/v1${entryUrl}/batches`, cookie: as.editor, headers: { 'idempotency-key': `b-${batchNo++}` }, body: { records } }));
  t.clock.advance(FEED_LAG_MS + 1000);
}

/** A receiving system: checks the signature like a real receiver, answers with the next queued status. */
function receiver() {
  const got: { body: string; valid: boolean; delivery: string }[] = [];
  const statuses: number[] = [];
  let secret = '';
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const check = verifyWebhook({ secret, header: req.headers['huitong-signature'] as string | undefined, body, now: t.clock.now() });
      got.push({ body, valid: check.ok, delivery: String(req.headers['huitong-delivery']) });
      res.statusCode = check.ok ? (statuses.shift() ?? 204) : 401;
      res.end();
    });
  });
  return {
    got,
    statuses,
    setSecret: (s: string) => {
      secret = s;
    },
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  t = await startTestPlatform({ config: { HUITONG_WEBHOOK_POLL_SECONDS: '0', HUITONG_SESSION_HOURS: '720' } });
  const civil = await t.departmentId(DEMO.civil);
  const consumerDept = await t.makeDepartment();
  as.editor = await t.login('editor');
  as.reviewer = await t.login('reviewer');
  as.authority = await t.login('authority');
  as.provider = await t.login(await t.makeUser({ roles: ['sharing_officer'], departmentId: civil }));
  as.consumer = await t.login(await t.makeUser({ roles: ['sharing_officer'], departmentId: consumerDept }));
  as.stranger = await t.login(await t.makeUser({ roles: ['sharing_officer'], departmentId: await t.makeDepartment() }));
  const entry = await publishEntry(t, as, { shareType: 'conditional', shareConditions: '核查', legalBasis: '《社会救助暂行办法》', items: ITEMS });
  entryUrl = entry.url;
  await collect([{ values: { citizenId: citizenId(1), name: '张三丰', amount: 800 } }]);
  const r = await ok(
    await call('POST', '/share-requests', as.consumer, {
      entry: entry.code,
      items: [
        { nameEn: 'citizenId', duty: '核对身份' },
        { nameEn: 'name', duty: '核对姓名' },
        { nameEn: 'amount', duty: '核对金额' },
      ],
      purpose: '救助核查',
      scope: '本局',
      periodFrom: '2026-11-01',
      periodUntil: '2027-10-31',
    }),
    201,
  );
  await ok(
    await call('POST', `/share-requests/${r.id}/answer`, as.provider, {
      items: [
        { nameEn: 'citizenId', granted: true, masking: 'partial' },
        { nameEn: 'name', granted: true, masking: 'partial' },
        { nameEn: 'amount', granted: false },
      ],
      reason: '金额不在职责范围',
      legalBasis: '002 第四十五条',
    }),
  );
  await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.provider));
  grantId = (await ok(await call('POST', `/share-requests/${r.id}/agreement/accept`, as.consumer))).grantId;
});

afterAll(async () => {
  await t?.close();
});

describe('change feed', () => {
  it('serves the granted items only, masked as granted, and pages with a cursor', async () => {
    const first = await ok(await call('GET', `/grants/${grantId}/changes?limit=1`, as.consumer));
    expect(first.changes).toHaveLength(1);
    expect(first.changes[0]).toMatchObject({ op: 'upsert', version: 1, values: { citizenId: expect.stringMatching(/^4413\*+\d{3}[\dX]$/), name: '张*丰' } });
    expect(Object.keys(first.changes[0].values).sort()).toEqual(['citizenId', 'name']);
    expect(JSON.stringify(first)).not.toContain('800');
    await collect([{ values: { citizenId: citizenId(2), name: '李四', amount: 900 } }, { values: { citizenId: citizenId(1), name: '张三丰', amount: 1000 } }]);
    const next = await ok(await call('GET', `/grants/${grantId}/changes?after=${first.next}`, as.consumer));
    expect(next.changes).toHaveLength(2);
    // The same record keeps its reference across versions.
    const again = next.changes.find((c: { version: number }) => c.version === 2);
    expect(again.ref).toBe(first.changes[0].ref);
    const none = await ok(await call('GET', `/grants/${grantId}/changes?after=${next.next}`, as.consumer));
    expect(none).toMatchObject({ changes: [], next: next.next, hasMore: false });
  });

  it('is audited with the subject tokens, and refuses other departments and bad cursors', async () => {
    const audit = await t.app.database.db.selectFrom('audit_log').select(['details']).where('action', '=', 'share.changes_read').execute();
    expect(audit.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(audit)).not.toContain(citizenId(1));
    expect((await call('GET', `/grants/${grantId}/changes`, as.stranger)).statusCode).toBe(404);
    expect((await call('GET', `/grants/${grantId}/changes?after=bm90LWEtY3Vyc29y`, as.consumer)).statusCode).toBe(422);
    const denied = await t.app.database.db.selectFrom('audit_log').select(['target_id', 'details']).where('outcome', '=', 'denied').where('target_id', '=', 'GET /api/v1/grants/:id/changes').execute();
    expect(denied.map((d) => (typeof d.details === 'string' ? JSON.parse(d.details) : d.details).code)).toContain('SHARING_GRANT_NOT_FOUND');
  });
});

describe('webhooks', () => {
  const rx = receiver();
  let url = '';

  beforeAll(async () => {
    url = await rx.start();
  });
  afterAll(async () => {
    await rx.stop();
  });

  it('pushes new changes, signed, with granted items only', async () => {
    expect((await call('POST', `/grants/${grantId}/subscription`, as.consumer, { url: 'ftp://x' })).statusCode).toBe(422);
    expect((await call('POST', `/grants/${grantId}/subscription`, as.stranger, { url })).statusCode).toBe(404);
    const s = await ok(await call('POST', `/grants/${grantId}/subscription`, as.consumer, { url }), 201);
    expect(s.secret).toMatch(/^whs_/);
    rx.setSecret(s.secret);
    expect((await call('POST', `/grants/${grantId}/subscription`, as.consumer, { url })).statusCode).toBe(409);
    // Only changes after subscribing are pushed.
    expect(await enqueueWebhookChanges(t.app, t.clock.now())).toBe(0);
    await collect([{ values: { citizenId: citizenId(3), name: '王五', amount: 700 } }]);
    expect(await enqueueWebhookChanges(t.app, t.clock.now())).toBe(1);
    expect(await enqueueWebhookChanges(t.app, t.clock.now())).toBe(0);
    expect(await deliverWebhooks(t.app, t.clock.now())).toMatchObject({ delivered: 1 });
    expect(rx.got).toHaveLength(1);
    const got = rx.got[0] as { body: string; valid: boolean };
    expect(got.valid).toBe(true);
    const body = JSON.parse(got.body);
    expect(body.changes).toHaveLength(1);
    expect(body.changes[0].values).toEqual({ citizenId: expect.stringContaining('*'), name: '王*' });
    expect(got.body).not.toContain('700');
  });

  it('retries with backoff, then dead-letters, and a dead delivery can be replayed once', async () => {
    rx.statuses.push(...Array(WEBHOOK_RETRY_DELAYS_MS.length + 1).fill(500));
    await collect([{ values: { citizenId: citizenId(4), name: '赵六', amount: 600 } }]);
    await enqueueWebhookChanges(t.app, t.clock.now());
    expect(await deliverWebhooks(t.app, t.clock.now())).toMatchObject({ failed: 1 });
    // Nothing is due before the first delay has passed.
    t.clock.advance((WEBHOOK_RETRY_DELAYS_MS[0] as number) - 1000);
    expect(await deliverWebhooks(t.app, t.clock.now())).toMatchObject({ failed: 0, delivered: 0 });
    for (const delay of WEBHOOK_RETRY_DELAYS_MS) {
      t.clock.advance(delay);
      await deliverWebhooks(t.app, t.clock.now());
    }
    const dead = await ok(await call('GET', `/grants/${grantId}/subscription/deliveries?status=dead`, as.consumer));
    expect(dead.items).toHaveLength(1);
    expect(dead.items[0]).toMatchObject({ attempts: WEBHOOK_RETRY_DELAYS_MS.length + 1, lastStatus: 500 });
    const notes = await ok(await call('GET', '/notifications', as.consumer));
    expect(notes.items.some((n: { kind: string }) => n.kind === 'share.webhook_dead')).toBe(true);
    const deadId = dead.items[0].id;
    await ok(await call('POST', `/grants/${grantId}/subscription/deliveries/${deadId}/replay`, as.consumer));
    expect(await deliverWebhooks(t.app, t.clock.now())).toMatchObject({ delivered: 1 });
    const replayAgain = await call('POST', `/grants/${grantId}/subscription/deliveries/${deadId}/replay`, as.consumer);
    expect(replayAgain.statusCode).toBe(409);
    expect(replayAgain.json().code).toBe('SHARING_DELIVERY_NOT_DEAD');
    // Every attempt that carried data is in the audit trail.
    const sent = await t.app.database.db.selectFrom('audit_log').select('seq').where('action', '=', 'share.webhook_sent').where('target_id', '=', deadId).execute();
    expect(sent).toHaveLength(WEBHOOK_RETRY_DELAYS_MS.length + 2);
  });

  it('a receiver rejects a replayed delivery once its signed timestamp is stale', async () => {
    const last = rx.got.at(-1) as { body: string };
    const header = (await import('./signature.js')).signWebhook('whs_x', last.body, new Date(t.clock.now().getTime() - 600_000));
    expect(verifyWebhook({ secret: 'whs_x', header, body: last.body, now: t.clock.now() })).toEqual({ ok: false, reason: 'stale' });
  });

  it('a rotated secret signs from then on; a revoked grant sends nothing', async () => {
    const rotated = await ok(await call('POST', `/grants/${grantId}/subscription/rotate-secret`, as.consumer));
    rx.setSecret(rotated.secret);
    await collect([{ values: { citizenId: citizenId(5), name: '孙七', amount: 500 } }]);
    await enqueueWebhookChanges(t.app, t.clock.now());
    expect(await deliverWebhooks(t.app, t.clock.now())).toMatchObject({ delivered: 1 });
    expect((rx.got.at(-1) as { valid: boolean }).valid).toBe(true);
    await collect([{ values: { citizenId: citizenId(6), name: '周八', amount: 400 } }]);
    await enqueueWebhookChanges(t.app, t.clock.now());
    await ok(await call('POST', `/grants/${grantId}/revoke`, as.provider, { reason: '停止共享' }));
    const before = rx.got.length;
    expect(await deliverWebhooks(t.app, t.clock.now())).toMatchObject({ dropped: 1, delivered: 0 });
    expect(rx.got.length).toBe(before);
    expect((await call('GET', `/grants/${grantId}/changes`, as.consumer)).statusCode).toBe(409);
  });
});
