import type { Executor, NewRow, Row } from '../../platform/db/index.js';
import { clientsError } from './clients.errors.js';

export type ApiClientRow = Row<'api_clients'>;

/** Stores a new client. */
export async function insertClient(db: Executor, row: NewRow<'api_clients'>): Promise<void> {
  await db.insertInto('api_clients').values(row).execute();
}

/** A client by id, or undefined. */
export function findClient(db: Executor, id: string): Promise<ApiClientRow | undefined> {
  return db.selectFrom('api_clients').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A client by id, locked for update; throws CLIENTS_NOT_FOUND. */
export async function lockClient(db: Executor, id: string): Promise<ApiClientRow> {
  const row = await db.selectFrom('api_clients').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!row) throw clientsError('CLIENTS_NOT_FOUND');
  return row;
}

/** Clients, newest first, of one department or of all. */
export function listClients(db: Executor, departmentId: string | undefined): Promise<ApiClientRow[]> {
  let q = db.selectFrom('api_clients').selectAll();
  if (departmentId) q = q.where('department_id', '=', departmentId);
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/** Marks a client revoked. */
export async function revokeClient(db: Executor, id: string, set: { revoked_at: Date; revoked_by: string; revoke_reason: string }): Promise<void> {
  await db.updateTable('api_clients').set(set).where('id', '=', id).execute();
}

/** Sets last_used_at unless it was set after `staleBefore`: at most one write per client per interval. */
export async function touchClient(db: Executor, id: string, now: Date, staleBefore: Date): Promise<void> {
  await db
    .updateTable('api_clients')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

/** Whether a department exists. */
export async function departmentExists(db: Executor, id: string): Promise<boolean> {
  return !!(await db.selectFrom('departments').select('id').where('id', '=', id).executeTakeFirst());
}
