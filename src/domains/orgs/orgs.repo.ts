import { sql } from 'kysely';
import type { Executor, NewRow, Row } from '../../platform/db/index.js';

/** A department row by id, or undefined. */
export function findDepartment(db: Executor, id: string) {
  return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Departments, optionally filtered by name/code words and region. */
export function listDepartments(db: Executor, f: { q?: string | undefined; regionCode?: string | undefined }) {
  let q = db.selectFrom('departments').selectAll();
  if (f.regionCode) q = q.where('region_code', '=', f.regionCode);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('name_en', 'ilike', like), eb('uscc', 'ilike', like)]));
  }
  return q.orderBy('region_code').orderBy('name').execute();
}

/** The department flagged as the platform's authority. */
export function findAuthorityDepartment(db: Executor) {
  return db.selectFrom('departments').selectAll().where('is_authority', '=', true).executeTakeFirst();
}

export function insertDepartment(db: Executor, row: NewRow<'departments'>) {
  return db.insertInto('departments').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateDepartment(db: Executor, id: string, patch: Partial<NewRow<'departments'>>) {
  return db.updateTable('departments').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** A department with this name or credit code, other than `exceptId`. */
export function findDepartmentClash(db: Executor, name: string, uscc: string, exceptId?: string) {
  let q = db
    .selectFrom('departments')
    .select(['id', 'name', 'uscc'])
    .where((eb) => eb.or([eb('name', '=', name), eb('uscc', '=', uscc)]));
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
}

export function listRegions(db: Executor) {
  return db.selectFrom('regions').selectAll().orderBy('code').execute();
}

export function findRegion(db: Executor, code: string) {
  return db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
}

export function insertRegion(db: Executor, row: NewRow<'regions'>) {
  return db.insertInto('regions').values(row).returningAll().executeTakeFirstOrThrow();
}

/** The current contact per (department, role): the newest reported row. */
export function listCurrentContacts(db: Executor, departmentId?: string) {
  let q = db
    .selectFrom('department_contacts as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name')
    .distinctOn(['c.department_id', 'c.role'])
    .orderBy('c.department_id')
    .orderBy('c.role')
    .orderBy('c.reported_at', 'desc');
  if (departmentId) q = q.where('c.department_id', '=', departmentId);
  return q.execute();
}

export function listContactHistory(db: Executor, departmentId: string) {
  return db
    .selectFrom('department_contacts as c')
    .innerJoin('departments as d', 'd.id', 'c.department_id')
    .selectAll('c')
    .select('d.name as department_name')
    .where('c.department_id', '=', departmentId)
    .orderBy('c.reported_at', 'desc')
    .execute();
}

export function insertContact(db: Executor, row: NewRow<'department_contacts'>) {
  return db.insertInto('department_contacts').values(row).returningAll().executeTakeFirstOrThrow();
}

const userColumns = [
  'u.id',
  'u.username',
  'u.display_name',
  'u.department_id',
  'u.roles',
  'u.disabled',
  'u.failed_attempts',
  'u.locked_until',
  'u.password_hash',
] as const;

/** A user with its department's name. */
export function findUser(db: Executor, by: { id: string } | { username: string }) {
  const q = db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select(userColumns)
    .select('d.name as department_name');
  return ('id' in by ? q.where('u.id', '=', by.id) : q.where('u.username', '=', by.username)).executeTakeFirst();
}

export function listUsers(db: Executor, departmentId?: string) {
  let q = db
    .selectFrom('users as u')
    .innerJoin('departments as d', 'd.id', 'u.department_id')
    .select(userColumns)
    .select('d.name as department_name')
    .orderBy('d.name')
    .orderBy('u.username');
  if (departmentId) q = q.where('u.department_id', '=', departmentId);
  return q.execute();
}

export function insertUser(db: Executor, row: NewRow<'users'>) {
  return db.insertInto('users').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updateUser(db: Executor, id: string, patch: Partial<NewRow<'users'>>) {
  return db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Counts one failed sign-in and returns the new count. */
export async function incrementFailedAttempts(db: Executor, id: string): Promise<number> {
  const row = await db
    .updateTable('users')
    .set({ failed_attempts: sql`failed_attempts + 1` })
    .where('id', '=', id)
    .returning('failed_attempts')
    .executeTakeFirstOrThrow();
  return row.failed_attempts;
}

export function insertSession(db: Executor, row: NewRow<'sessions'>) {
  return db.insertInto('sessions').values(row).execute();
}

/** The session and its user when the session is unexpired and the user enabled. */
export function findSessionUser(db: Executor, sessionId: string, now: Date) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.display_name', 'u.department_id', 'u.roles', 'u.disabled'])
    .where('s.id', '=', sessionId)
    .where('s.expires_at', '>', now)
    .where('u.disabled', '=', false)
    .executeTakeFirst();
}

export function deleteSession(db: Executor, sessionId: string) {
  return db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export function deleteUserSessions(db: Executor, userId: string) {
  return db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUser>>>;
export type DepartmentRow = Row<'departments'>;
export type ContactRow = Awaited<ReturnType<typeof listContactHistory>>[number];
