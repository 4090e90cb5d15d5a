import { sql } from 'kysely';
import type { Executor, NewRow, Row } from '../../platform/db/index.js';
import type { VerificationStatus } from './verification.schema.js';

/**
 * SQL of verification reports. Lists join `basic_items` and `departments` read-only for the
 * names shown beside a report; nothing here writes another domain's tables.
 */

export type ReportRow = Row<'verification_reports'> & {
  item_name: string;
  item_name_en: string;
  item_category: string;
  item_category_en: string;
  reporter_name: string;
  reporter_name_en: string;
  responsible_name: string;
  responsible_name_en: string;
};

function reports(db: Executor) {
  return db
    .selectFrom('verification_reports as r')
    .innerJoin('basic_items as b', 'b.id', 'r.basic_item_id')
    .innerJoin('departments as rd', 'rd.id', 'r.reporter_department_id')
    .innerJoin('departments as sd', 'sd.id', 'r.responsible_department_id')
    .selectAll('r')
    .select([
      'b.name as item_name',
      'b.name_en as item_name_en',
      'b.category as item_category',
      'b.category_en as item_category_en',
      'rd.name as reporter_name',
      'rd.name_en as reporter_name_en',
      'sd.name as responsible_name',
      'sd.name_en as responsible_name_en',
    ]);
}

/** Inserts a new report. */
export async function insertReport(db: Executor, row: NewRow<'verification_reports'>) {
  await db.insertInto('verification_reports').values(row).execute();
}

/** One report with its display names, or undefined. */
export function findReport(db: Executor, id: string): Promise<ReportRow | undefined> {
  return reports(db).where('r.id', '=', id).executeTakeFirst() as Promise<ReportRow | undefined>;
}

/** Locks a report row for a transition. */
export function lockReport(db: Executor, id: string) {
  return db.selectFrom('verification_reports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Writes a transition's fields. */
export async function updateReport(db: Executor, id: string, patch: Partial<NewRow<'verification_reports'>>) {
  await db.updateTable('verification_reports').set(patch).where('id', '=', id).execute();
}

/** Reports of a department (as reporter, as responsible, or either), newest first, with the total. */
export async function listReports(
  db: Executor,
  f: { departmentId: string; role?: 'reported' | 'assigned' | undefined; status?: VerificationStatus | undefined; page: number; pageSize: number },
) {
  let q = reports(db);
  if (f.role === 'reported') q = q.where('r.reporter_department_id', '=', f.departmentId);
  else if (f.role === 'assigned') q = q.where('r.responsible_department_id', '=', f.departmentId);
  else q = q.where((eb) => eb.or([eb('r.reporter_department_id', '=', f.departmentId), eb('r.responsible_department_id', '=', f.departmentId)]));
  if (f.status) q = q.where('r.status', '=', f.status);
  const [items, total] = await Promise.all([
    q
      .orderBy('r.created_at', 'desc')
      .orderBy('r.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as ReportRow[], total: Number(total.n) };
}

/** Open reports waiting for a department's answer, earliest due first. */
export function listOpenAssigned(db: Executor, departmentId: string): Promise<ReportRow[]> {
  return reports(db)
    .where('r.responsible_department_id', '=', departmentId)
    .where('r.status', '=', 'open')
    .orderBy('r.due_on')
    .orderBy('r.created_at')
    .execute() as Promise<ReportRow[]>;
}
