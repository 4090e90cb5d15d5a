/**
 * The authorization matrix of sharing: every share-request, grant, subscription and query route ×
 * the two departments of a request, a third one, the overseers, nobody and the consumer's
 * systems, with the status each cell must answer. The route list is read from the running
 * server, so a new sharing route without a row here fails the test.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { BLIND, type Cast, COLUMNS, makeCast, type Row, row as matrixRow, runMatrix, SEES } from '../../../test/authz-matrix.js';
import { publishEntry, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';
import { deliverWebhooks, enqueueWebhookChanges } from './subscriptions/index.js';
import { FEED_LAG_MS, WEBHOOK_RETRY_DELAYS_MS } from './subscriptions/subscriptions.service.js';

// ---------------------------------------------------------------------------------------------
// Fixtures: share requests of the consumer department for a conditional entry of the civil-affairs
// bureau, driven through the real API into the state a row needs: fresh for rows that change
// them (and for lists, so the newest is on the first page), once for rows that only read.

type Fixtures = {
  code: string;
  /** The citizen ID number of a record the entry's dataset holds. */
  subject: string;
  submitted(): Promise<string>;
  answered(): Promise<string>;
  refused(): Promise<string>;
  escalated(): Promise<string>;
  jointReview(): Promise<string>;
  /** Ordered by negotiation, its agreement accepted by both departments: the provider may provide. */
  ordered(): Promise<string>;
  /** A provided request and its active grant. */
  provided(): Promise<{ requestId: string; grantId: string }>;
  revokedGrant(): Promise<string>;
  readRequest(): Promise<string>;
  readAnswered(): Promise<string>;
  readProvided(): Promise<{ requestId: string; grantId: string }>;
  readRevokedGrant(): Promise<string>;
  /** An active grant with a webhook subscription. */
  subscribed(): Promise<string>;
  /** A dead delivery of the subscribed grant, a new one each time. */
  deadDelivery(): Promise<string>;
  /** A dead delivery of the subscribed grant that has been replayed (pending again). */
  replayedDelivery(): Promise<string>;
};

const once = <T>(make: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
};

const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '家庭住址', nameEn: 'address', dataType: 'C', length: 100 },
];
const CONDITIONAL = { shareType: 'conditional', shareConditions: '用于社会救助资格核查', legalBasis: '《社会救助暂行办法》第十一条', items: ITEMS };
const GRANT_ALL = { items: ITEMS.map((i) => ({ nameEn: i.nameEn, granted: true })) };
/** Nothing listens there: every push fails at once. */
const HOOK = 'http://127.0.0.1:9/huitong-hook';
const PURPOSE = { purpose: encodeURIComponent('社会救助资格联合核查') };

function citizenId(seq: number): string {
  const first17 = `44130219880101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const application = (code: string) => ({
  entry: code,
  items: ITEMS.map((i) => ({ nameEn: i.nameEn, duty: `核对救助对象${i.name}` })),
  purpose: '社会救助资格联合核查',
  scope: '本局救助科',
  periodFrom: '2026-11-01',
  periodUntil: '2027-10-31',
});

// ---------------------------------------------------------------------------------------------
// The matrix.                   consumer provider third  c.editor authority supervisor admin  anon   share:query collection:write

const row = matrixRow<Fixtures>;
/** The two departments and the overseers read it; a third department does not learn it exists. */
const PARTIES = [200, 200, 404, 200, 200, 200, 200, 401, 403, 403] as const;
/** A step only the provider takes. */
const PROVIDER_STEP = [403, 200, 404, 403, 403, 403, 403, 401, 403, 403] as const;
/** A step only the consumer takes. */
const CONSUMER_STEP = [200, 403, 404, 403, 403, 403, 403, 401, 403, 403] as const;
/** A step only the authority takes. */
const AUTHORITY_STEP = [403, 403, 403, 403, 200, 403, 403, 401, 403, 403] as const;
/** The consumer department's webhook subscription: its sharing officer manages it; the provider sees the grant but not this. */
const SUBSCRIBER = [200, 403, 404, 403, 403, 403, 403, 401, 403, 403] as const;
/** The query API: department systems holding share:query only. */
const QUERY = [403, 403, 403, 403, 403, 403, 403, 401, 200, 403] as const;

const MATRIX: readonly Row<Fixtures>[] = [
  // Share requests (共享申请).
  row('POST /api/v1/share-requests', "apply for another department's entry", async (fx) => ({ url: '/api/v1/share-requests', body: application(fx.code) }),
    [201, 422, 201, 403, 403, 403, 403, 401, 403, 403]),
  row('GET /api/v1/share-requests', "list one's department's requests", async (fx) => ({ url: '/api/v1/share-requests', find: await fx.submitted() }),
    [SEES, SEES, BLIND, SEES, BLIND, BLIND, BLIND, 401, 403, 403]),
  row('GET /api/v1/share-requests', "list every request (the overseers' view)", async (fx) => ({ url: '/api/v1/share-requests?role=authority', find: await fx.submitted() }),
    [SEES, SEES, BLIND, SEES, SEES, SEES, SEES, 401, 403, 403]),
  row('GET /api/v1/share-requests/:id', 'read a request', async (fx) => ({ url: `/api/v1/share-requests/${await fx.readRequest()}` }), PARTIES),
  row('POST /api/v1/share-requests/:id/answer', 'answer a submitted request', async (fx) => ({ url: `/api/v1/share-requests/${await fx.submitted()}/answer`, body: GRANT_ALL }), PROVIDER_STEP),
  row('POST /api/v1/share-requests/:id/answer', 'answer a request answered already', async (fx) => ({ url: `/api/v1/share-requests/${await fx.readAnswered()}/answer`, body: GRANT_ALL }),
    [403, 409, 404, 403, 403, 403, 403, 401, 403, 403]),
  row('POST /api/v1/share-requests/:id/agreement/accept', 'accept the agreement of an answered request', async (fx) => ({ url: `/api/v1/share-requests/${await fx.answered()}/agreement/accept` }),
    [200, 200, 404, 403, 403, 403, 403, 401, 403, 403]),
  row('POST /api/v1/share-requests/:id/provide', 'provide an ordered request', async (fx) => ({ url: `/api/v1/share-requests/${await fx.ordered()}/provide`, body: {} }), PROVIDER_STEP),
  row('POST /api/v1/share-requests/:id/contest', 'contest a refusal', async (fx) => ({ url: `/api/v1/share-requests/${await fx.refused()}/contest`, body: { reason: '确为法定职责所需。' } }), CONSUMER_STEP),
  row('POST /api/v1/share-requests/:id/withdraw', 'withdraw a submitted request', async (fx) => ({ url: `/api/v1/share-requests/${await fx.submitted()}/withdraw`, body: { reason: '业务调整。' } }), CONSUMER_STEP),
  row('POST /api/v1/share-requests/:id/withdraw', 'withdraw a request provided already', async (fx) => ({ url: `/api/v1/share-requests/${(await fx.readProvided()).requestId}/withdraw`, body: { reason: '业务调整。' } }),
    [409, 403, 404, 403, 403, 403, 403, 401, 403, 403]),
  row('POST /api/v1/share-requests/:id/negotiation', 'record the negotiation of an escalated request', async (fx) => ({ url: `/api/v1/share-requests/${await fx.escalated()}/negotiation`, body: { outcome: 'no_agreement', record: '双方未达成一致。' } }),
    AUTHORITY_STEP),
  row('POST /api/v1/share-requests/:id/ruling', 'record the ruling after a joint review', async (fx) => ({ url: `/api/v1/share-requests/${await fx.jointReview()}/ruling`, body: { ruling: 'share', record: '市政府裁定予以共享。' } }),
    AUTHORITY_STEP),
  // Negotiation records are published to every department (C4).
  row('GET /api/v1/share-negotiations', 'the published negotiation records', async (fx) => ({ url: '/api/v1/share-negotiations', find: await fx.jointReview() }),
    [SEES, SEES, SEES, SEES, SEES, SEES, SEES, 401, 403, 403]),

  // Grants (授权).
  row('GET /api/v1/grants', 'list grants', async (fx) => ({ url: '/api/v1/grants', find: (await fx.provided()).grantId }),
    [SEES, SEES, BLIND, SEES, SEES, SEES, SEES, 401, 403, 403]),
  row('GET /api/v1/grants/:id', 'read a grant', async (fx) => ({ url: `/api/v1/grants/${(await fx.readProvided()).grantId}` }), PARTIES),
  row('POST /api/v1/grants/:id/revoke', 'revoke an active grant', async (fx) => ({ url: `/api/v1/grants/${(await fx.provided()).grantId}/revoke`, body: { reason: '超范围使用。' } }),
    [403, 200, 404, 403, 200, 403, 403, 401, 403, 403]),
  row('POST /api/v1/grants/:id/revoke', 'revoke a revoked grant', async (fx) => ({ url: `/api/v1/grants/${await fx.readRevokedGrant()}/revoke`, body: { reason: '再次撤销。' } }),
    [403, 409, 404, 403, 409, 403, 403, 401, 403, 403]),

  // A grant's change feed and webhook subscription.
  row('GET /api/v1/grants/:id/changes', 'read the change feed of an active grant', async (fx) => ({ url: `/api/v1/grants/${(await fx.readProvided()).grantId}/changes` }),
    [200, 403, 404, 403, 403, 403, 403, 401, 200, 403]),
  row('GET /api/v1/grants/:id/changes', 'read the change feed of a revoked grant', async (fx) => ({ url: `/api/v1/grants/${await fx.readRevokedGrant()}/changes` }),
    [409, 403, 404, 403, 403, 403, 403, 401, 409, 403]),
  row('POST /api/v1/grants/:id/subscription', 'subscribe a webhook to a grant', async (fx) => ({ url: `/api/v1/grants/${(await fx.provided()).grantId}/subscription`, body: { url: HOOK } }),
    [201, 403, 404, 403, 403, 403, 403, 401, 403, 403]),
  row('GET /api/v1/grants/:id/subscription', 'read the subscription', async (fx) => ({ url: `/api/v1/grants/${await fx.subscribed()}/subscription` }), SUBSCRIBER),
  row('PATCH /api/v1/grants/:id/subscription', 'change the webhook address', async (fx) => ({ url: `/api/v1/grants/${await fx.subscribed()}/subscription`, body: { url: `${HOOK}/v2` } }), SUBSCRIBER),
  row('POST /api/v1/grants/:id/subscription/rotate-secret', 'rotate the signing secret', async (fx) => ({ url: `/api/v1/grants/${await fx.subscribed()}/subscription/rotate-secret` }), SUBSCRIBER),
  row('GET /api/v1/grants/:id/subscription/deliveries', 'list the deliveries', async (fx) => ({ url: `/api/v1/grants/${await fx.subscribed()}/subscription/deliveries` }), SUBSCRIBER),
  row('POST /api/v1/grants/:id/subscription/deliveries/:deliveryId/replay', 'replay a dead delivery', async (fx) => ({
    url: `/api/v1/grants/${await fx.subscribed()}/subscription/deliveries/${await fx.deadDelivery()}/replay`,
  }), SUBSCRIBER),
  row('POST /api/v1/grants/:id/subscription/deliveries/:deliveryId/replay', 'replay a delivery replayed already', async (fx) => ({
    url: `/api/v1/grants/${await fx.subscribed()}/subscription/deliveries/${await fx.replayedDelivery()}/replay`,
  }), [409, 403, 404, 403, 403, 403, 403, 401, 403, 403]),

  // The query API (共享查询).
  row('GET /api/v1/subjects/:idType/:id', "query one subject's shared data", async (fx) => {
    await fx.readProvided();
    return { url: `/api/v1/subjects/citizen_id/${fx.subject}`, headers: PURPOSE };
  }, QUERY),
  row('POST /api/v1/subjects:query', 'query several subjects', async (fx) => {
    await fx.readProvided();
    return { url: '/api/v1/subjects:query', headers: PURPOSE, body: { idType: 'citizen_id', subjects: [{ id: fx.subject }, { id: citizenId(999) }] } };
  }, QUERY),
  row('POST /api/v1/subjects:verify', 'verify claimed values', async (fx) => {
    await fx.readProvided();
    return { url: '/api/v1/subjects:verify', headers: PURPOSE, body: { idType: 'citizen_id', id: fx.subject, claims: { name: '张三' } } };
  }, QUERY),
];

// ---------------------------------------------------------------------------------------------

let t: TestPlatform;
let cast: Cast;
let fx: Fixtures;

beforeAll(async () => {
  // Sessions outlast the day the webhook retries take on the fake clock; this process pushes nothing by itself.
  t = await startTestPlatform({ config: { HUITONG_SESSION_HOURS: '720', HUITONG_WEBHOOK_POLL_SECONDS: '0' } });
  cast = await makeCast(t);
  const { as } = cast;

  const send = async (cookie: string, method: string, url: string, body?: unknown, status = 200) => {
    const res: LightMyRequestResponse = await t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}) });
    expect(res.statusCode, `fixture ${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const entry = await publishEntry(t, as, CONDITIONAL);
  let seq = 0;
  /** The provider collects one record; the clock then moves past the feed's lag so it is readable. */
  const collect = async () => {
    const n = ++seq;
    const res = await t.call({
      method: 'POST',
      url: `/api/v1${entry.url}/batches`,
      cookie: as.editor,
      headers: { 'idempotency-key': `matrix-${n}` },
      body: { records: [{ values: { citizenId: citizenId(n), name: '张三', address: `惠州市惠城区江北街道 ${n} 号` } }] },
    });
    expect(res.statusCode, res.body).toBe(200);
    t.clock.advance(FEED_LAG_MS + 1000);
  };
  await collect();

  const submitted = async () => (await send(as.consumerOfficer, 'POST', '/share-requests', application(entry.code), 201)).id as string;
  const answered = async () => {
    const id = await submitted();
    await send(as.providerOfficer, 'POST', `/share-requests/${id}/answer`, GRANT_ALL);
    return id;
  };
  const refused = async () => {
    const id = await submitted();
    await send(as.providerOfficer, 'POST', `/share-requests/${id}/answer`, { items: [{ nameEn: 'citizenId', granted: false }], reason: '超出职责范围。', legalBasis: '002 第四十五条' });
    return id;
  };
  const escalated = async () => {
    const id = await refused();
    await send(as.consumerOfficer, 'POST', `/share-requests/${id}/contest`, { reason: '确为法定职责所需。' });
    return id;
  };
  const provided = async () => {
    const requestId = await answered();
    await send(as.providerOfficer, 'POST', `/share-requests/${requestId}/agreement/accept`);
    const r = await send(as.consumerOfficer, 'POST', `/share-requests/${requestId}/agreement/accept`);
    expect(r.status).toBe('provided');
    return { requestId, grantId: r.grantId as string };
  };
  const revokedGrant = async () => {
    const { grantId } = await provided();
    await send(as.providerOfficer, 'POST', `/grants/${grantId}/revoke`, { reason: '停止共享。' });
    return grantId;
  };
  const subscribed = once(async () => {
    const { grantId } = await provided();
    await send(as.consumerOfficer, 'POST', `/grants/${grantId}/subscription`, { url: HOOK }, 201);
    return grantId;
  });
  /** One dead delivery per column and one more: new records pushed to a receiver that never answers, through every retry. */
  const deadDeliveries = once(async () => {
    const grantId = await subscribed();
    for (let i = 0; i <= COLUMNS.length; i++) {
      await collect();
      await enqueueWebhookChanges(t.app, t.clock.now());
    }
    await deliverWebhooks(t.app, t.clock.now());
    for (const delay of WEBHOOK_RETRY_DELAYS_MS) {
      t.clock.advance(delay);
      await deliverWebhooks(t.app, t.clock.now());
    }
    const dead = await send(as.consumerOfficer, 'GET', `/grants/${grantId}/subscription/deliveries?status=dead&pageSize=200`);
    expect(dead.items.length).toBeGreaterThan(COLUMNS.length);
    return dead.items.map((d: { id: string }) => d.id) as string[];
  });
  const deadDelivery = async () => {
    const id = (await deadDeliveries()).pop();
    expect(id, 'a dead delivery left for the cell').toBeDefined();
    return id as string;
  };

  fx = {
    code: entry.code,
    subject: citizenId(1),
    submitted,
    answered,
    refused,
    escalated,
    jointReview: async () => {
      const id = await escalated();
      await send(as.authority, 'POST', `/share-requests/${id}/negotiation`, { outcome: 'no_agreement', record: '双方未达成一致，转联合审查。' });
      return id;
    },
    ordered: async () => {
      const id = await escalated();
      await send(as.authority, 'POST', `/share-requests/${id}/negotiation`, { outcome: 'share', record: '经协调，予以共享。' });
      await send(as.consumerOfficer, 'POST', `/share-requests/${id}/agreement/accept`);
      await send(as.providerOfficer, 'POST', `/share-requests/${id}/agreement/accept`);
      return id;
    },
    provided,
    revokedGrant,
    readRequest: once(submitted),
    readAnswered: once(answered),
    readProvided: once(provided),
    readRevokedGrant: once(revokedGrant),
    subscribed,
    deadDelivery,
    replayedDelivery: once(async () => {
      const id = await deadDelivery();
      await send(as.consumerOfficer, 'POST', `/grants/${await subscribed()}/subscription/deliveries/${id}/replay`);
      return id;
    }),
  };
});
afterAll(async () => {
  await t?.close();
});

runMatrix({
  rows: MATRIX,
  prefix: / \/api\/v1\/(share-requests|share-negotiations|grants|subjects)([/:]|$)/,
  minRoutes: 24,
  env: () => ({ t, cast, fx }),
});
