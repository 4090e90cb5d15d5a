import { sql } from 'kysely';
import type { Executor, NewRow, Row } from '../../../platform/db/index.js';

/** A position in a dataset's history: feed order is (written_at, record_key, version). */
export type FeedPosition = { at: Date; key: string; version: number };

export type FeedRow = { record_key: string; version: number; written_at: Date | string; deleted: boolean; normalised: unknown };

/** Records of a dataset written after `after` (all when null) and no later than `until`, in feed order. */
export function readFeed(db: Executor, datasetId: string, after: FeedPosition | null, until: Date, limit: number): Promise<FeedRow[]> {
  let q = db
    .selectFrom('dataset_records')
    .select(['record_key', 'version', 'written_at', 'deleted', 'normalised'])
    .where('dataset_id', '=', datasetId)
    .where('written_at', '<=', until);
  if (after) q = q.where(sql<boolean>`(written_at, record_key, version) > (${after.at}, ${after.key}, ${after.version})`);
  return q.orderBy('written_at').orderBy('record_key').orderBy('version').limit(limit).execute() as Promise<FeedRow[]>;
}

/** The given versions of records of a dataset, for rendering a delivery. */
export async function readVersions(db: Executor, datasetId: string, refs: readonly { recordKey: string; version: number }[]): Promise<FeedRow[]> {
  if (refs.length === 0) return [];
  const keys = refs.map((r) => r.recordKey);
  const versions = refs.map((r) => r.version);
  const rows = (await db
    .selectFrom('dataset_records')
    .select(['record_key', 'version', 'written_at', 'deleted', 'normalised'])
    .where('dataset_id', '=', datasetId)
    .where(sql<boolean>`(record_key, version) IN (SELECT * FROM unnest(${keys}::text[], ${versions}::int[]))`)
    .execute()) as FeedRow[];
  const order = new Map(refs.map((r, i) => [`${r.recordKey}#${r.version}`, i]));
  return rows.sort((a, b) => (order.get(`${a.record_key}#${a.version}`) ?? 0) - (order.get(`${b.record_key}#${b.version}`) ?? 0));
}

export type SubscriptionRow = Row<'grant_subscriptions'>;

export async function insertSubscription(db: Executor, row: NewRow<'grant_subscriptions'>) {
  await db.insertInto('grant_subscriptions').values(row).execute();
}

export function findSubscriptionOfGrant(db: Executor, grantId: string) {
  return db.selectFrom('grant_subscriptions').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
}

export function lockSubscription(db: Executor, id: string) {
  return db.selectFrom('grant_subscriptions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateSubscription(db: Executor, id: string, patch: Partial<NewRow<'grant_subscriptions'>>) {
  await db.updateTable('grant_subscriptions').set(patch).where('id', '=', id).execute();
}

/** Active subscriptions whose grant is still active, for the enqueuer. */
export function listActiveSubscriptions(db: Executor) {
  return db
    .selectFrom('grant_subscriptions as s')
    .innerJoin('grants as g', 'g.id', 's.grant_id')
    .select(['s.id', 's.grant_id', 'g.entry_id', 'g.consumer_department_id'])
    .where('s.status', '=', 'active')
    .where('g.status', '=', 'active')
    .execute();
}

export async function insertDelivery(db: Executor, row: NewRow<'webhook_deliveries'>) {
  await db.insertInto('webhook_deliveries').values(row).execute();
}

/** Claims the next due pending delivery (other processes skip it), or undefined. */
export function claimDueDelivery(db: Executor, now: Date) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(1)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export function lockDelivery(db: Executor, id: string) {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateDelivery(db: Executor, id: string, patch: Partial<NewRow<'webhook_deliveries'>>) {
  await db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute();
}

export function findSubscription(db: Executor, id: string) {
  return db.selectFrom('grant_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A subscription's deliveries, newest first, optionally of one status. */
export function listDeliveries(db: Executor, subscriptionId: string, f: { status?: string | undefined; limit: number; offset: number }) {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('subscription_id', '=', subscriptionId);
  if (f.status) q = q.where('status', '=', f.status as 'pending');
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
}
