import { createHmac } from 'node:crypto';
import { record } from '../../../platform/audit/audit.js';
import { SYSTEM_ACTOR } from '../../../platform/actor.js';
import { uuidv7 } from '../../../platform/crypto/ids.js';
import { sm3Hex } from '../../../platform/crypto/sm3.js';
import { inTransaction } from '../../../platform/db/index.js';
import { platformError } from '../../../platform/errors.js';
import type { AppContext, Ctx } from '../../../platform/http/index.js';
import { revealSubjects } from '../../../platform/vault/index.js';
import { datasetOfEntry } from '../../collection/index.js';
import { grantServes } from '../grants.service.js';
import type { CachedGrant } from '../query/grant-cache.js';
import { projectValues, tokensToReveal } from '../query/projection.js';
import { queryRuntime } from '../query/runtime.js';
import { sharingError } from '../sharing.errors.js';
import { tell } from '../sharing.notify.js';
import { actsForDepartment, canSeeGrant } from '../sharing.policy.js';
import * as sharingRepo from '../sharing.repo.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook } from './signature.js';
import * as repo from './subscriptions.repo.js';
import type { TDeliveryQuery, TFeedQuery, TSubscriptionInput, TSubscriptionPatch } from './subscriptions.schema.js';

/**
 * The feed reads only records written at least this long ago, so a batch that was still
 * committing with an earlier timestamp when a reader passed by is not skipped: a batch commits
 * well within it. The price is that the feed runs this far behind.
 */
export const FEED_LAG_MS = 5_000;
/** Changes per webhook delivery. */
const DELIVERY_SIZE = 100;
/** Wait after the n-th failed attempt; after the last the delivery is dead (the dead-letter list). */
export const WEBHOOK_RETRY_DELAYS_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000];
/** A claimed delivery is someone else's to retry after this, should its process die mid-send. */
const LEASE_MS = 5 * 60_000;
const SEND_TIMEOUT_MS = 10_000;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** A cursor is the opaque form of a feed position. */
export function encodeCursor(p: repo.FeedPosition): string {
  return Buffer.from(JSON.stringify([p.at.toISOString(), p.key, p.version])).toString('base64url');
}

function decodeCursor(cursor: string): repo.FeedPosition {
  try {
    const [at, key, version] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const when = new Date(String(at));
    if (typeof at === 'string' && !Number.isNaN(when.getTime()) && typeof key === 'string' && Number.isInteger(version)) return { at: when, key, version: version as number };
  } catch {
    // falls through to the error below
  }
  throw platformError('VALIDATION_FAILED', 'The cursor is not one this feed gave out. 游标无效。', { errors: [{ field: 'after', rule: 'cursor', message: 'use the `next` of a previous answer 请使用上次返回的 next' }] });
}

/** The signing secret of a subscription: derived from the vault's HMAC key, so never stored. */
function webhookSecret(app: AppContext, subscriptionId: string, version: number): string {
  return `whs_${createHmac('sm3', app.vault.hmacKey).update(`webhook-secret:${subscriptionId}:${version}`, 'utf8').digest('base64url')}`;
}

/** A record's stable reference within one grant: lets a consumer match updates and deletions without the vault token. */
const refOf = (grantId: string, recordKey: string) => sm3Hex(`${grantId}:${recordKey}`).slice(0, 32);

/**
 * The grant if the caller's department consumes it. One the caller may not know of is NOT_FOUND;
 * one it sees but does not consume (its provider's) is FORBIDDEN, as for the request's steps.
 */
async function consumedGrant(ctx: Ctx, grantId: string, opts: { auditNotFound?: boolean } = {}) {
  const g = await sharingRepo.findGrant(ctx.app.database.db, grantId);
  if (!g || !canSeeGrant(ctx.actor, g)) throw sharingError('SHARING_GRANT_NOT_FOUND', undefined, { auditDenied: opts.auditNotFound ?? false });
  if (g.consumer_department_id !== ctx.actor.departmentId) throw platformError('FORBIDDEN', 'Only the consumer department reads a grant’s changes and manages its subscription. 仅使用部门可读取授权数据的变更、管理订阅。');
  return g;
}

/** The grant as served to its consumer department, or why not: someone else's is NOT_FOUND, a stopped one is NOT_ACTIVE. Both audited. */
async function servingGrant(ctx: Ctx, grantId: string, opts: { forManagement?: boolean } = {}) {
  const g = await consumedGrant(ctx, grantId, { auditNotFound: true });
  if (opts.forManagement && !actsForDepartment(ctx.actor)) throw platformError('FORBIDDEN', 'Only the consumer department’s sharing officer or administrator manages subscriptions. 仅使用部门共享专员或管理员可管理订阅。');
  const now = ctx.app.clock.now();
  if (!grantServes(g, now)) throw sharingError('SHARING_GRANT_NOT_ACTIVE', `The grant is ${g.status === 'active' ? 'not in force today' : g.status}. 授权当前无效。`, { auditDenied: true });
  return g;
}

/**
 * The grant with its items' shapes, as projection needs it, from the query API's per-process
 * cache of active grants; the caller has already checked on the grant's row that it serves.
 */
async function cachedGrant(app: AppContext, consumerDepartmentId: string, grantId: string): Promise<CachedGrant | undefined> {
  const grants = queryRuntime(app).grants;
  const hit = (await grants.get(consumerDepartmentId)).find((g) => g.id === grantId);
  if (hit) return hit;
  // A grant newer than the cached list (it serves, as the caller checked): read the list again.
  grants.invalidate(consumerDepartmentId);
  return (await grants.get(consumerDepartmentId)).find((g) => g.id === grantId);
}

/** Feed rows as they leave the platform: granted items only, masked as granted, identifiers never as tokens. */
async function render(app: AppContext, grant: CachedGrant, rows: repo.FeedRow[]) {
  const tokens = new Set<string>();
  for (const r of rows) for (const t of tokensToReveal(grant.items, json<Record<string, unknown>>(r.normalised) ?? {})) tokens.add(t);
  const revealed = tokens.size ? await revealSubjects(app.database.db, app.vault, [...tokens]) : new Map();
  return rows.map((r) => ({
    ref: refOf(grant.id, r.record_key),
    op: r.deleted ? ('delete' as const) : ('upsert' as const),
    version: r.version,
    writtenAt: iso(r.written_at) as string,
    values: r.deleted ? {} : projectValues(grant.items, json<Record<string, unknown>>(r.normalised) ?? {}, revealed).values,
  }));
}

/**
 * The grant's change feed: the records of its entry's dataset written after the cursor, granted
 * items only. One audit entry per call, with the subject tokens served.
 */
export async function readChanges(ctx: Ctx, grantId: string, q: TFeedQuery) {
  const g = await servingGrant(ctx, grantId);
  const after = q.after ? decodeCursor(q.after) : null;
  const db = ctx.app.database.db;
  const now = ctx.app.clock.now();
  const dataset = await datasetOfEntry(db, g.entry_id);
  const grant = await cachedGrant(ctx.app, g.consumer_department_id, grantId);
  const rows = dataset && grant ? await repo.readFeed(db, dataset.id, after, new Date(now.getTime() - FEED_LAG_MS), q.limit) : [];
  const changes = grant ? await render(ctx.app, grant, rows) : [];
  const last = rows.at(-1);
  await inTransaction(db, (tx) =>
    record(tx, {
      actor: ctx.actor,
      action: 'share.changes_read',
      targetType: 'grant',
      targetId: grantId,
      requestId: ctx.requestId,
      at: now,
      details: { grantId, count: rows.length, subjectTokens: dataset?.key_kind === 'subject' ? [...new Set(rows.map((r) => r.record_key))] : [], items: grant?.items.map((i) => i.nameEn) ?? [] },
    }),
  );
  return {
    grantId,
    changes,
    next: last ? encodeCursor({ at: new Date(last.written_at), key: last.record_key, version: last.version }) : (q.after ?? null),
    hasMore: rows.length === q.limit,
  };
}

function present(s: repo.SubscriptionRow) {
  return { id: s.id, grantId: s.grant_id, url: s.url, status: s.status, secretVersion: s.secret_version, createdAt: iso(s.created_at) as string, updatedAt: iso(s.updated_at) as string };
}

/**
 * Subscribes a webhook to the grant's changes from now on (a bulk copy of what came before needs
 * the authority's consent, C7). The signing secret is shown once. Audited.
 */
export async function createSubscription(ctx: Ctx, grantId: string, input: TSubscriptionInput) {
  const g = await servingGrant(ctx, grantId, { forManagement: true });
  const now = ctx.app.clock.now();
  const id = uuidv7();
  await inTransaction(ctx.app.database.db, async (tx) => {
    if (await repo.findSubscriptionOfGrant(tx, grantId)) throw sharingError('SHARING_SUBSCRIPTION_EXISTS');
    await repo.insertSubscription(tx, {
      id,
      grant_id: grantId,
      consumer_department_id: g.consumer_department_id,
      url: input.url,
      status: 'active',
      cursor_at: new Date(now.getTime() - FEED_LAG_MS),
      cursor_key: '',
      cursor_version: 0,
      created_by: ctx.actor.id as string,
      created_at: now,
      updated_at: now,
    });
    await record(tx, { actor: ctx.actor, action: 'share.subscription_changed', targetType: 'grant_subscription', targetId: id, requestId: ctx.requestId, at: now, details: { grantId, url: input.url, change: 'created' } });
  });
  const s = (await repo.findSubscription(ctx.app.database.db, id)) as repo.SubscriptionRow;
  return { ...present(s), secret: webhookSecret(ctx.app, id, s.secret_version) };
}

/** The grant's subscription, or NOT_FOUND. */
async function subscriptionOf(ctx: Ctx, grantId: string, opts: { forManagement?: boolean } = {}) {
  await consumedGrant(ctx, grantId);
  if (opts.forManagement && !actsForDepartment(ctx.actor)) throw platformError('FORBIDDEN', 'Only the consumer department’s sharing officer or administrator manages subscriptions. 仅使用部门共享专员或管理员可管理订阅。');
  const s = await repo.findSubscriptionOfGrant(ctx.app.database.db, grantId);
  if (!s) throw sharingError('SHARING_SUBSCRIPTION_NOT_FOUND');
  return s;
}

export async function getSubscription(ctx: Ctx, grantId: string) {
  return present(await subscriptionOf(ctx, grantId));
}

/** Changes the URL or pauses / resumes pushing. Audited. */
export async function updateSubscription(ctx: Ctx, grantId: string, input: TSubscriptionPatch) {
  const s = await subscriptionOf(ctx, grantId, { forManagement: true });
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    await repo.updateSubscription(tx, s.id, { ...(input.url ? { url: input.url } : {}), ...(input.status ? { status: input.status } : {}), updated_at: now });
    await record(tx, { actor: ctx.actor, action: 'share.subscription_changed', targetType: 'grant_subscription', targetId: s.id, requestId: ctx.requestId, at: now, details: { grantId, ...input, change: 'updated' } });
  });
  return present((await repo.findSubscription(ctx.app.database.db, s.id)) as repo.SubscriptionRow);
}

/** A new signing secret, shown once; the old one stops at once. Audited (never the secret). */
export async function rotateSecret(ctx: Ctx, grantId: string) {
  const s = await subscriptionOf(ctx, grantId, { forManagement: true });
  const now = ctx.app.clock.now();
  const version = s.secret_version + 1;
  await inTransaction(ctx.app.database.db, async (tx) => {
    await repo.updateSubscription(tx, s.id, { secret_version: version, updated_at: now });
    await record(tx, { actor: ctx.actor, action: 'share.subscription_changed', targetType: 'grant_subscription', targetId: s.id, requestId: ctx.requestId, at: now, details: { grantId, change: 'secret_rotated', secretVersion: version } });
  });
  return { ...present({ ...s, secret_version: version, updated_at: now }), secret: webhookSecret(ctx.app, s.id, version) };
}

function presentDelivery(d: Awaited<ReturnType<typeof repo.listDeliveries>>[number]) {
  return {
    id: d.id,
    status: d.status,
    changes: json<unknown[]>(d.changes).length,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    lastStatus: d.last_status,
    lastError: d.last_error,
    createdAt: iso(d.created_at) as string,
    deliveredAt: iso(d.delivered_at),
  };
}

/** The subscription's deliveries (the dead-letter list with status=dead). */
export async function listDeliveries(ctx: Ctx, grantId: string, q: TDeliveryQuery) {
  const s = await subscriptionOf(ctx, grantId);
  const rows = await repo.listDeliveries(ctx.app.database.db, s.id, { status: q.status, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { items: rows.map(presentDelivery) };
}

/** Sends a dead delivery again from the first attempt. Only dead ones: a delivered one was received (receivers dedupe by its id). Audited. */
export async function replayDelivery(ctx: Ctx, grantId: string, deliveryId: string) {
  const s = await subscriptionOf(ctx, grantId, { forManagement: true });
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const d = await repo.lockDelivery(tx, deliveryId);
    if (!d || d.subscription_id !== s.id) throw sharingError('SHARING_DELIVERY_NOT_FOUND');
    if (d.status !== 'dead') throw sharingError('SHARING_DELIVERY_NOT_DEAD', `This delivery is ${d.status}; only dead deliveries are replayed. 仅可重发失败的推送。`, { auditDenied: true });
    await repo.updateDelivery(tx, d.id, { status: 'pending', attempts: 0, next_attempt_at: now, last_error: null });
    await record(tx, { actor: ctx.actor, action: 'share.webhook_replayed', targetType: 'webhook_delivery', targetId: d.id, requestId: ctx.requestId, at: now, details: { grantId, subscriptionId: s.id } });
  });
  return { id: deliveryId, status: 'pending' as const };
}

/**
 * Turns new records of every active subscription's dataset into pending deliveries of
 * references (idempotent: the cursor moves in the same transaction as the delivery is written).
 */
export async function enqueueWebhookChanges(app: AppContext, now: Date): Promise<number> {
  const db = app.database.db;
  let queued = 0;
  for (const sub of await repo.listActiveSubscriptions(db)) {
    const dataset = await datasetOfEntry(db, sub.entry_id);
    if (!dataset) continue;
    for (let more = true; more; ) {
      more = await inTransaction(db, async (tx) => {
        const s = await repo.lockSubscription(tx, sub.id);
        if (s?.status !== 'active') return false;
        const after = s.cursor_at ? { at: new Date(s.cursor_at), key: s.cursor_key ?? '', version: s.cursor_version ?? 0 } : null;
        const rows = await repo.readFeed(tx, dataset.id, after, new Date(now.getTime() - FEED_LAG_MS), DELIVERY_SIZE);
        const last = rows.at(-1);
        if (!last) return false;
        await repo.insertDelivery(tx, {
          id: uuidv7(),
          subscription_id: s.id,
          changes: JSON.stringify(rows.map((r) => ({ recordKey: r.record_key, version: r.version }))),
          status: 'pending',
          next_attempt_at: now,
          created_at: now,
        });
        await repo.updateSubscription(tx, s.id, { cursor_at: new Date(last.written_at), cursor_key: last.record_key, cursor_version: last.version });
        queued++;
        return rows.length === DELIVERY_SIZE;
      });
    }
  }
  return queued;
}

export type WebhookRun = { delivered: number; failed: number; dead: number; dropped: number };

/**
 * Sends due deliveries, one claimed at a time (other processes skip it): the body is rendered
 * through the grant now, so a revoked or lapsed grant sends nothing (the delivery is dropped).
 * Signed; 2xx is delivered; anything else retries with backoff until dead, when the consumer is
 * told. Every attempt that sent data is audited with the subject tokens it carried.
 */
export async function deliverWebhooks(app: AppContext, now: Date, opts: { limit?: number } = {}): Promise<WebhookRun> {
  const db = app.database.db;
  const run: WebhookRun = { delivered: 0, failed: 0, dead: 0, dropped: 0 };
  for (let i = 0; i < (opts.limit ?? 50); i++) {
    const d = await inTransaction(db, async (tx) => {
      const due = await repo.claimDueDelivery(tx, now);
      if (due) await repo.updateDelivery(tx, due.id, { attempts: due.attempts + 1, next_attempt_at: new Date(now.getTime() + LEASE_MS) });
      return due ? { ...due, attempts: due.attempts + 1 } : undefined;
    });
    if (!d) break;
    const s = (await repo.findSubscription(db, d.subscription_id)) as repo.SubscriptionRow;
    const g = await sharingRepo.findGrant(db, s.grant_id);
    const grant = g && grantServes(g, now) ? await cachedGrant(app, g.consumer_department_id, g.id) : undefined;
    const dataset = g ? await datasetOfEntry(db, g.entry_id) : undefined;
    if (!g || !grant || !dataset) {
      await repo.updateDelivery(db, d.id, { status: 'dropped', last_error: 'the grant no longer serves 授权已失效' });
      run.dropped++;
      continue;
    }
    const refs = json<{ recordKey: string; version: number }[]>(d.changes);
    const rows = await repo.readVersions(db, dataset.id, refs);
    const body = JSON.stringify({ event: 'grant.changes', deliveryId: d.id, grantId: g.id, entry: { code: g.entry_code, name: g.entry_name }, changes: await render(app, grant, rows) });
    const result = await send(s.url, body, { [SIGNATURE_HEADER]: signWebhook(webhookSecret(app, s.id, s.secret_version), body, now), [DELIVERY_HEADER]: d.id });
    await inTransaction(db, async (tx) => {
      const ok = result.status !== null && result.status >= 200 && result.status < 300;
      const dead = !ok && d.attempts > WEBHOOK_RETRY_DELAYS_MS.length;
      await repo.updateDelivery(tx, d.id, {
        status: ok ? 'delivered' : dead ? 'dead' : 'pending',
        delivered_at: ok ? now : null,
        last_status: result.status,
        last_error: ok ? null : result.error,
        next_attempt_at: ok || dead ? now : new Date(now.getTime() + (WEBHOOK_RETRY_DELAYS_MS[d.attempts - 1] as number)),
      });
      await record(tx, {
        actor: SYSTEM_ACTOR,
        action: 'share.webhook_sent',
        targetType: 'webhook_delivery',
        targetId: d.id,
        outcome: 'allowed',
        at: now,
        details: { grantId: g.id, subscriptionId: s.id, attempt: d.attempts, status: result.status, delivered: ok, count: rows.length, subjectTokens: dataset.key_kind === 'subject' ? [...new Set(rows.map((r) => r.record_key))] : [] },
      });
      if (dead) {
        await tell(tx, g.consumer_department_id, {
          kind: 'share.webhook_dead',
          title: `订阅推送多次失败，已转入失败列表，可重发：${g.entry_name} Webhook delivery failed repeatedly and is in the dead-letter list: ${g.entry_name}`,
          link: `/sharing/grants/${g.id}`,
          at: now,
        });
      }
      if (ok) run.delivered++;
      else if (dead) run.dead++;
      else run.failed++;
    });
  }
  return run;
}

/** POSTs a body; the status, or null with the reason when no answer came. Redirects are not followed. */
async function send(url: string, body: string, headers: Record<string, string>): Promise<{ status: number | null; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Huitong-Webhook/1', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.body?.cancel();
    return { status: res.status, error: res.status >= 200 && res.status < 300 ? null : `HTTP ${res.status}` };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { status: null, error: cause ?? (err as Error).name ?? 'send failed' };
  }
}
