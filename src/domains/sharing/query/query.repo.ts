import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';

/**
 * SQL of the sharing query API. It reads grants (this domain's), the catalog entry's published
 * name, the provider's name and the collected current records directly: the read path answers
 * every call of every consumer system, so it is one query per call rather than one per domain.
 */

/** A grant of a consumer department still marked active, with what serving it needs. */
export type ActiveGrantRow = {
  id: string;
  entry_id: string;
  entry_code: string;
  entry_name: string | null;
  provider_department_id: string;
  provider_name: string;
  items: unknown;
  valid_from: Date | string;
  valid_until: string;
  daily_quota: number;
  dataset_id: string | null;
  dataset_key_kind: 'subject' | 'declared' | null;
  dataset_items: unknown;
};

/** The consumer department's grants with status 'active' (time limits are checked by the caller). */
export function listActiveGrants(db: Executor, departmentId: string): Promise<ActiveGrantRow[]> {
  return db
    .selectFrom('grants as g')
    .innerJoin('catalog_entries as e', 'e.id', 'g.entry_id')
    .leftJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.published_version'))
    .innerJoin('departments as p', 'p.id', 'g.provider_department_id')
    .leftJoin('datasets as d', 'd.entry_id', 'g.entry_id')
    .select([
      'g.id',
      'g.entry_id',
      'e.code as entry_code',
      'v.name as entry_name',
      'g.provider_department_id',
      'p.name as provider_name',
      'g.items',
      'g.valid_from',
      'g.valid_until',
      'g.daily_quota',
      'd.id as dataset_id',
      'd.key_kind as dataset_key_kind',
      'd.items as dataset_items',
    ])
    .where('g.consumer_department_id', '=', departmentId)
    .where('g.status', '=', 'active')
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute();
}

/** Which of the grants are still active, and the current records of the (dataset, subject) pairs. */
export type GrantRecordsRow = {
  active: string[];
  dataset_id: string | null;
  record_key: string | null;
  normalised: unknown;
  written_at: Date | string | null;
};

/**
 * In one query: which of `grantIds` are still active (a grant revoked or lapsed since the
 * caller's cache was filled is left out, so a revocation takes effect on the very next call in
 * every process), and the current, not deleted record of each (dataset, record key) pair. Always
 * at least one row: the first carries `active` even when no record is found.
 */
export async function findGrantRecords(db: Executor, grantIds: readonly string[], pairs: readonly { datasetId: string; key: string }[]): Promise<GrantRecordsRow[]> {
  const r = await sql<GrantRecordsRow>`
    SELECT (SELECT coalesce(array_agg(id::text), '{}') FROM grants WHERE id = ANY(${[...grantIds]}::uuid[]) AND status = 'active') AS active,
      x.dataset_id, x.record_key, x.normalised, x.written_at
    FROM (SELECT 1) AS one
    LEFT JOIN (
      SELECT c.dataset_id, c.record_key, r.normalised, r.written_at
      FROM unnest(${pairs.map((p) => p.datasetId)}::uuid[], ${pairs.map((p) => p.key)}::text[]) AS q(dataset_id, record_key)
      JOIN dataset_current c ON c.dataset_id = q.dataset_id AND c.record_key = q.record_key AND NOT c.deleted
      JOIN dataset_records r ON r.dataset_id = c.dataset_id AND r.record_key = c.record_key AND r.version = c.version
    ) AS x ON true`.execute(db);
  return r.rows;
}

/** Calls already counted today for each grant (grants without a row are left out). */
export async function findUsage(db: Executor, grantIds: readonly string[], day: string): Promise<Map<string, number>> {
  if (!grantIds.length) return new Map();
  const rows = await db.selectFrom('grant_usage').select(['grant_id', 'calls']).where('grant_id', 'in', [...grantIds]).where('day', '=', day).execute();
  return new Map(rows.map((r) => [r.grant_id, Number(r.calls)]));
}

/** A client's day after a batch added to it. */
export type ClientDayRow = { client_id: string; day: string; department_id: string; subjects: number; alerted_at: string | null };

/**
 * The usage a batch of calls adds, as data-modifying CTEs for the audit batch's one statement
 * (platform/audit/audit-batcher.ts), each writing only `WHERE guard`: calls per grant and day
 * (grant_usage), the subjects each client looked up (a subject already counted that day is
 * skipped), and each client's day (distinct subjects, calls). The result gives back the new totals.
 */
export function usageStatements(
  usage: readonly { grantId: string; day: string; calls: number }[],
  subjects: readonly { clientId: string; day: string; token: string }[],
  days: readonly { clientId: string; departmentId: string; day: string; calls: number }[],
  guard: RawBuilder<unknown>,
) {
  return {
    ctes: [
      sql`query_usage AS (
        INSERT INTO grant_usage (grant_id, day, calls)
        SELECT * FROM unnest(${usage.map((x) => x.grantId)}::uuid[], ${usage.map((x) => x.day)}::date[], ${usage.map((x) => x.calls)}::int[]) WHERE ${guard}
        ON CONFLICT (grant_id, day) DO UPDATE SET calls = grant_usage.calls + excluded.calls
        RETURNING grant_id, day::text AS day, calls
      )`,
      sql`query_fresh_subjects AS (
        INSERT INTO query_client_subjects (client_id, day, subject_token)
        SELECT * FROM unnest(${subjects.map((x) => x.clientId)}::uuid[], ${subjects.map((x) => x.day)}::date[], ${subjects.map((x) => x.token)}::text[]) WHERE ${guard}
        ON CONFLICT DO NOTHING
        RETURNING client_id, day
      )`,
      sql`query_days AS (
        INSERT INTO query_client_days (client_id, day, department_id, subjects, calls)
        SELECT x.client_id, x.day, x.department_id, coalesce(f.n, 0), x.calls
        FROM unnest(${days.map((x) => x.clientId)}::uuid[], ${days.map((x) => x.day)}::date[], ${days.map((x) => x.departmentId)}::uuid[], ${days.map((x) => x.calls)}::int[])
          AS x(client_id, day, department_id, calls)
        LEFT JOIN (SELECT client_id, day, count(*)::int AS n FROM query_fresh_subjects GROUP BY client_id, day) f ON f.client_id = x.client_id AND f.day = x.day
        WHERE ${guard}
        ON CONFLICT (client_id, day) DO UPDATE
          SET subjects = query_client_days.subjects + excluded.subjects, calls = query_client_days.calls + excluded.calls
        RETURNING client_id, day::text AS day, department_id, subjects, alerted_at
      )`,
    ],
    result: sql`jsonb_build_object(
      'usage', (SELECT coalesce(jsonb_agg(u), '[]'::jsonb) FROM query_usage u),
      'days', (SELECT coalesce(jsonb_agg(d), '[]'::jsonb) FROM query_days d)
    )`,
  };
}

/** The totals usageStatements gave back. */
export function usageResult(result: unknown): { usage: { grant_id: string; day: string; calls: number }[]; days: ClientDayRow[] } {
  const r = (typeof result === 'string' ? JSON.parse(result) : result) as { usage?: unknown[]; days?: unknown[] } | null;
  const usage = ((r?.usage ?? []) as { grant_id: string; day: string; calls: number }[]).map((u) => ({ ...u, calls: Number(u.calls) }));
  const days = ((r?.days ?? []) as ClientDayRow[]).map((d) => ({ ...d, subjects: Number(d.subjects) }));
  return { usage, days };
}

/** Distinct subjects a client queried over the days from `fromDay` to `toDay` (both included). */
export async function sumClientSubjects(db: Executor, clientId: string, fromDay: string, toDay: string): Promise<number> {
  const row = await db
    .selectFrom('query_client_days')
    .select(sql<number>`coalesce(sum(subjects), 0)::int`.as('n'))
    .where('client_id', '=', clientId)
    .where('day', '>=', fromDay)
    .where('day', '<=', toDay)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks the client's day alerted unless it already is; true for the one caller that did it. */
export async function markAlerted(db: Executor, clientId: string, day: string, at: Date): Promise<boolean> {
  const r = await db
    .updateTable('query_client_days')
    .set({ alerted_at: at })
    .where('client_id', '=', clientId)
    .where('day', '=', day)
    .where('alerted_at', 'is', null)
    .returning('client_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** The provider departments whose grants served a consumer department on a day. */
export async function providersServed(db: Executor, consumerDepartmentId: string, day: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grant_usage as u')
    .innerJoin('grants as g', 'g.id', 'u.grant_id')
    .select('g.provider_department_id')
    .distinct()
    .where('g.consumer_department_id', '=', consumerDepartmentId)
    .where('u.day', '=', day)
    .execute();
  return rows.map((r) => r.provider_department_id);
}

/** Forgets which subjects clients looked up before `day` (the daily counts stay). */
export async function pruneClientSubjects(db: Executor, day: string): Promise<void> {
  await db.deleteFrom('query_client_subjects').where('day', '<', day).execute();
}
