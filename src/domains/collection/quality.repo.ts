import { sql } from 'kysely';
import type { Executor } from '../../platform/db/index.js';

/**
 * SQL of collection quality (B4): set-based aggregates over the current versions of records
 * and over recent batches. A value counts as present when its item's key is in the record's
 * normalised values: blank values are never stored there, so presence = "filled".
 */

/** Current versions of a dataset's records (joined on the primary key of dataset_records). */
const CURRENT = sql`dataset_current c JOIN dataset_records r ON r.dataset_id = c.dataset_id AND r.record_key = c.record_key AND r.version = c.version`;

/** Live and deleted record counts of a dataset. */
export async function recordCounts(db: Executor, datasetId: string) {
  const row = await db
    .selectFrom('dataset_current')
    .select([sql<number>`count(*) FILTER (WHERE NOT deleted)::int`.as('records'), sql<number>`count(*) FILTER (WHERE deleted)::int`.as('deleted')])
    .where('dataset_id', '=', datasetId)
    .executeTakeFirstOrThrow();
  return { records: Number(row.records), deleted: Number(row.deleted) };
}

/** For each item name, how many live records hold a value for it (one pass over the current versions). */
export async function itemFillCounts(db: Executor, datasetId: string, names: string[]): Promise<number[]> {
  if (!names.length) return [];
  const cols = sql.join(names.map((n, i) => sql`count(*) FILTER (WHERE jsonb_exists(r.normalised, ${n}))::int AS ${sql.ref(`f${i}`)}`));
  const { rows } = await sql<Record<string, number>>`SELECT ${cols} FROM ${CURRENT} WHERE c.dataset_id = ${datasetId} AND NOT c.deleted`.execute(db);
  const row = rows[0] ?? {};
  return names.map((_, i) => Number(row[`f${i}`] ?? 0));
}

/**
 * Rows received since `since`, per dataset: how many, how many failed validation (in a
 * rejected atomic batch every row is counted as received but only rows with an error as
 * failed), how many were a second row with the same key in their batch, and how many were
 * accepted but identical to the current version.
 */
export async function batchWindowStats(db: Executor, since: Date, datasetId?: string) {
  let q = db
    .selectFrom('collection_batches as b')
    .select([
      'b.dataset_id',
      sql<number>`coalesce(sum(b.received), 0)::int`.as('received'),
      sql<number>`coalesce(sum(CASE WHEN b.status = 'rejected'
        THEN (SELECT count(DISTINCT e->>'row') FROM jsonb_array_elements(b.response->'errors') e)
        ELSE b.rejected END), 0)::int`.as('invalid'),
      sql<number>`coalesce(sum((SELECT count(DISTINCT e->>'row') FROM jsonb_array_elements(b.response->'errors') e WHERE e->>'rule' = 'duplicate_key')), 0)::int`.as('duplicate_keys'),
      sql<number>`coalesce(sum(CASE WHEN b.status = 'rejected' THEN 0 ELSE coalesce((b.response->>'unchanged')::int, 0) END), 0)::int`.as('unchanged'),
    ])
    .where('b.created_at', '>=', since)
    .groupBy('b.dataset_id');
  if (datasetId) q = q.where('b.dataset_id', '=', datasetId);
  const rows = await q.execute();
  return rows.map((r) => ({ datasetId: r.dataset_id, received: Number(r.received), invalid: Number(r.invalid), duplicateKeys: Number(r.duplicate_keys), unchanged: Number(r.unchanged) }));
}

/** Accepted and rejected rows per Shanghai calendar day since `since`. */
export async function batchesPerDay(db: Executor, datasetId: string, since: Date) {
  const day = sql<string>`to_char((b.created_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`;
  const rows = await db
    .selectFrom('collection_batches as b')
    .select([day.as('day'), sql<number>`sum(b.accepted)::int`.as('accepted'), sql<number>`sum(b.rejected)::int`.as('rejected')])
    .where('b.dataset_id', '=', datasetId)
    .where('b.created_at', '>=', since)
    .groupBy(day)
    .execute();
  return rows.map((r) => ({ day: r.day, accepted: Number(r.accepted), rejected: Number(r.rejected) }));
}

/** The last batch that accepted at least one row (an unchanged resend counts: it confirms the data), per dataset. */
export async function lastAcceptedAt(db: Executor, datasetIds: string[]): Promise<Map<string, Date>> {
  const out = new Map<string, Date>();
  if (!datasetIds.length) return out;
  const rows = await db
    .selectFrom('collection_batches')
    .select(['dataset_id', sql<Date>`max(created_at)`.as('at')])
    .where('dataset_id', 'in', datasetIds)
    .where('accepted', '>', 0)
    .groupBy('dataset_id')
    .execute();
  for (const r of rows) if (r.at) out.set(r.dataset_id, new Date(r.at));
  return out;
}

/** Open quarantined rows per dataset. */
export async function openQuarantineCounts(db: Executor, datasetIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!datasetIds.length) return out;
  const rows = await db
    .selectFrom('collection_quarantine')
    .select(['dataset_id', sql<number>`count(*)::int`.as('n')])
    .where('dataset_id', 'in', datasetIds)
    .where('status', '=', 'open')
    .groupBy('dataset_id')
    .execute();
  for (const r of rows) out.set(r.dataset_id, Number(r.n));
  return out;
}

/** Every dataset of the platform. */
export function listAllDatasets(db: Executor) {
  return db.selectFrom('datasets').select(['id', 'entry_id', 'code', 'department_id', 'items']).orderBy('code').execute();
}

/** Records that the sweep raised this missed due date of a dataset; false when it had already. */
export async function insertOverdueNotice(db: Executor, row: { dataset_id: string; due_at: Date; notified_at: Date }): Promise<boolean> {
  const r = await db
    .insertInto('dataset_overdue_notices')
    .values(row)
    .onConflict((oc) => oc.columns(['dataset_id', 'due_at']).doNothing())
    .returning('dataset_id')
    .executeTakeFirst();
  return r !== undefined;
}
