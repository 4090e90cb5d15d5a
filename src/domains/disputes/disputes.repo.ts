import { sql } from 'kysely';
import type { Executor, NewRow, Row } from '../../platform/db/index.js';
import type { DisputeKind, DisputeStatus } from './disputes.schema.js';

/**
 * SQL of disputes. Reads join `departments` read-only for the names shown beside a dispute (and
 * find the authority department to notify); nothing here writes another domain's tables.
 */

export type DisputeRow = Row<'disputes'> & {
  requester_name: string;
  requester_name_en: string;
  responsible_name: string;
  responsible_name_en: string;
  has_report: boolean;
};

export type StepRow = Row<'dispute_steps'> & { department_name: string | null };

function disputes(db: Executor) {
  return db
    .selectFrom('disputes as d')
    .innerJoin('departments as rq', 'rq.id', 'd.requester_department_id')
    .innerJoin('departments as rs', 'rs.id', 'd.responsible_department_id')
    .selectAll('d')
    .select((eb) => [
      'rq.name as requester_name',
      'rq.name_en as requester_name_en',
      'rs.name as responsible_name',
      'rs.name_en as responsible_name_en',
      eb.exists(eb.selectFrom('dispute_reports as r').select('r.dispute_id').whereRef('r.dispute_id', '=', 'd.id')).as('has_report'),
    ]);
}

/** The next readable dispute number for a year: YY + year + a never-reused sequence (YY2026000012). */
export async function nextDisputeNo(db: Executor, year: string): Promise<string> {
  const row = await sql<{ n: string }>`SELECT nextval('dispute_no')::text AS n`.execute(db);
  return `YY${year}${String(row.rows[0]?.n).padStart(6, '0')}`;
}

/** Inserts a new dispute. */
export async function insertDispute(db: Executor, row: NewRow<'disputes'>) {
  await db.insertInto('disputes').values(row).execute();
}

/** One dispute with its display names, or undefined. */
export function findDispute(db: Executor, id: string): Promise<DisputeRow | undefined> {
  return disputes(db).where('d.id', '=', id).executeTakeFirst() as Promise<DisputeRow | undefined>;
}

/** Locks a dispute row for a step. */
export function lockDispute(db: Executor, id: string) {
  return db.selectFrom('disputes').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Writes a step's fields. */
export async function updateDispute(db: Executor, id: string, patch: Partial<NewRow<'disputes'>>) {
  await db.updateTable('disputes').set(patch).where('id', '=', id).execute();
}

/** Appends a step; its number follows the last one. */
export async function insertStep(db: Executor, row: Omit<NewRow<'dispute_steps'>, 'seq'>): Promise<number> {
  const last = await db.selectFrom('dispute_steps').select(sql<number>`coalesce(max(seq), 0)::int`.as('n')).where('dispute_id', '=', row.dispute_id).executeTakeFirstOrThrow();
  const seq = Number(last.n) + 1;
  await db
    .insertInto('dispute_steps')
    .values({ ...row, seq })
    .execute();
  return seq;
}

/** A dispute's steps in order, with the name of each actor's department. */
export function listSteps(db: Executor, disputeId: string): Promise<StepRow[]> {
  return db
    .selectFrom('dispute_steps as s')
    .leftJoin('departments as dp', 'dp.id', 's.department_id')
    .selectAll('s')
    .select('dp.name as department_name')
    .where('s.dispute_id', '=', disputeId)
    .orderBy('s.seq')
    .execute();
}

/** Which disputes a list shows: by the caller's department and side, status and kind. */
export type DisputeFilter = {
  departmentId: string | null;
  /** The caller acts for the platform, which handles every dispute. */
  isPlatform: boolean;
  role?: 'filed' | 'assigned' | undefined;
  status?: DisputeStatus | undefined;
  kind?: DisputeKind | undefined;
  page: number;
  pageSize: number;
};

/** Disputes a caller may list, newest first, with the total. */
export async function listDisputes(db: Executor, f: DisputeFilter) {
  let q = disputes(db);
  const dept = f.departmentId ?? '00000000-0000-0000-0000-000000000000';
  if (f.role === 'filed') q = q.where('d.requester_department_id', '=', dept);
  else if (f.role === 'assigned') {
    if (!f.isPlatform) q = q.where('d.responsible_department_id', '=', dept);
  } else if (!f.isPlatform) {
    q = q.where((eb) => eb.or([eb('d.requester_department_id', '=', dept), eb('d.responsible_department_id', '=', dept)]));
  }
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.kind) q = q.where('d.kind', '=', f.kind);
  const [items, total] = await Promise.all([
    q
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as DisputeRow[], total: Number(total.n) };
}

/** Open disputes in the given statuses (and, when given, of one responsible department), earliest due first. */
export function listOpen(db: Executor, f: { statuses: DisputeStatus[]; responsibleDepartmentId?: string }): Promise<DisputeRow[]> {
  if (f.statuses.length === 0) return Promise.resolve([]);
  let q = disputes(db).where('d.status', 'in', f.statuses);
  if (f.responsibleDepartmentId) q = q.where('d.responsible_department_id', '=', f.responsibleDepartmentId);
  return q.orderBy('d.due_on').orderBy('d.created_at').execute() as Promise<DisputeRow[]>;
}

/** Ids of open disputes whose current step is past its due date and not yet raised by the sweep. */
export async function listOverdueUnnotified(db: Executor, today: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('disputes')
    .select('id')
    .where('status', '<>', 'resolved')
    .where('due_on', '<', today)
    .where('overdue_notified_at', 'is', null)
    .orderBy('due_on')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Locks a dispute for the sweep, skipping one another process holds; undefined when taken or gone. */
export function lockForSweep(db: Executor, id: string) {
  return db.selectFrom('disputes').selectAll().where('id', '=', id).forUpdate().skipLocked().executeTakeFirst();
}

/** The department flagged as the platform's authority, if any. */
export async function findAuthorityDepartmentId(db: Executor): Promise<string | undefined> {
  const row = await db.selectFrom('departments').select('id').where('is_authority', '=', true).orderBy('created_at').executeTakeFirst();
  return row?.id;
}

/** Stores a dispute's verification report. */
export async function insertReport(db: Executor, row: NewRow<'dispute_reports'>) {
  await db.insertInto('dispute_reports').values(row).execute();
}

/** A dispute's verification report, or undefined. */
export function findReport(db: Executor, disputeId: string) {
  return db.selectFrom('dispute_reports').selectAll().where('dispute_id', '=', disputeId).executeTakeFirst();
}

/** Of the given subject tokens, those whose record in the entry's dataset carries an open objection mark. */
export async function markedTokens(db: Executor, entryId: string, tokens: readonly string[]): Promise<string[]> {
  if (tokens.length === 0) return [];
  const rows = await db
    .selectFrom('disputes')
    .select('subject_token')
    .distinct()
    .where('entry_id', '=', entryId)
    .where('subject_token', 'in', [...tokens])
    .where('marked_at', 'is not', null)
    .where('status', '<>', 'resolved')
    .execute();
  return rows.map((r) => r.subject_token as string);
}
