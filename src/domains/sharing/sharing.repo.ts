import { sql } from 'kysely';
import type { Executor, NewRow, Row } from '../../platform/db/index.js';
import type { ShareRequestStatus } from './sharing.schema.js';
import { DEADLINE_STATES } from './sharing.states.js';

/**
 * SQL of share requests, their history, agreements and grants. Lists join `departments`,
 * `catalog_versions` and `datasets` read-only for the names shown beside a request.
 */

export type RequestRow = Row<'share_requests'> & {
  entry_code: string;
  entry_name: string;
  consumer_name: string;
  consumer_name_en: string;
  provider_name: string;
  provider_name_en: string;
};

function requests(db: Executor) {
  return db
    .selectFrom('share_requests as r')
    .innerJoin('catalog_entries as e', 'e.id', 'r.entry_id')
    .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'r.entry_id').onRef('v.version', '=', 'r.entry_version'))
    .innerJoin('departments as cd', 'cd.id', 'r.consumer_department_id')
    .innerJoin('departments as pd', 'pd.id', 'r.provider_department_id')
    .selectAll('r')
    .select(['e.code as entry_code', 'v.name as entry_name', 'cd.name as consumer_name', 'cd.name_en as consumer_name_en', 'pd.name as provider_name', 'pd.name_en as provider_name_en']);
}

/** The next readable request number for a year: GX2026000012. */
export async function nextRequestNo(db: Executor, year: string): Promise<string> {
  const r = await sql<{ n: string }>`SELECT nextval('share_request_no')::text AS n`.execute(db);
  return `GX${year}${String(r.rows[0]?.n).padStart(6, '0')}`;
}

export async function insertRequest(db: Executor, row: NewRow<'share_requests'>) {
  await db.insertInto('share_requests').values(row).execute();
}

export function findRequest(db: Executor, id: string): Promise<RequestRow | undefined> {
  return requests(db).where('r.id', '=', id).executeTakeFirst() as Promise<RequestRow | undefined>;
}

export function lockRequest(db: Executor, id: string) {
  return db.selectFrom('share_requests').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateRequest(db: Executor, id: string, patch: Partial<NewRow<'share_requests'>>) {
  await db.updateTable('share_requests').set(patch).where('id', '=', id).execute();
}

export async function insertEvent(db: Executor, row: NewRow<'share_request_events'>) {
  await db.insertInto('share_request_events').values(row).execute();
}

export function listEvents(db: Executor, requestId: string) {
  return db
    .selectFrom('share_request_events as ev')
    .leftJoin('users as u', 'u.id', 'ev.actor_id')
    .leftJoin('departments as d', 'd.id', 'ev.actor_department_id')
    .selectAll('ev')
    .select(['u.display_name as actor_name', 'd.name as department_name', 'd.name_en as department_name_en'])
    .where('ev.request_id', '=', requestId)
    .orderBy('ev.at')
    .orderBy('ev.id')
    .execute();
}

/** Negotiation and ruling records, which every department may read (C4), newest first. */
export function listPublicEvents(db: Executor, page: { limit: number; offset: number }) {
  return db
    .selectFrom('share_request_events as ev')
    .innerJoin('share_requests as r', 'r.id', 'ev.request_id')
    .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'r.entry_id').onRef('v.version', '=', 'r.entry_version'))
    .innerJoin('departments as cd', 'cd.id', 'r.consumer_department_id')
    .innerJoin('departments as pd', 'pd.id', 'r.provider_department_id')
    .select(['ev.id', 'ev.action', 'ev.to_status', 'ev.note', 'ev.at', 'r.id as request_id', 'r.no', 'v.name as entry_name', 'cd.name as consumer_name', 'pd.name as provider_name'])
    .where('ev.public', '=', true)
    .orderBy('ev.at', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

export type RequestFilter = {
  departmentId: string | null;
  role?: 'consumer' | 'provider' | 'authority' | undefined;
  status?: ShareRequestStatus | undefined;
  overdueOn?: string | undefined; // a date: only requests whose due date is before it
  page: number;
  pageSize: number;
};

/** Requests by filter, newest first, with the total. `departmentId` null with role 'authority' lists all. */
export async function listRequests(db: Executor, f: RequestFilter) {
  let q = requests(db);
  if (f.role === 'consumer') q = q.where('r.consumer_department_id', '=', f.departmentId ?? '');
  else if (f.role === 'provider') q = q.where('r.provider_department_id', '=', f.departmentId ?? '');
  else if (f.role !== 'authority') {
    const d = f.departmentId ?? '';
    q = q.where((eb) => eb.or([eb('r.consumer_department_id', '=', d), eb('r.provider_department_id', '=', d)]));
  }
  if (f.status) q = q.where('r.status', '=', f.status);
  if (f.overdueOn) q = q.where('r.due_on', '<', f.overdueOn).where('r.status', 'in', [...DEADLINE_STATES]);
  // Whoever must act (the provider, the authority) sees the earliest due first; the consumer, its newest requests.
  const ordered = f.role === 'provider' || f.role === 'authority' ? q.orderBy(sql`r.due_on ASC NULLS LAST`).orderBy('r.created_at', 'desc') : q.orderBy('r.created_at', 'desc');
  const [items, total] = await Promise.all([
    ordered
      .orderBy('r.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as RequestRow[], total: Number(total.n) };
}

/** Requests in a state where someone owes a step by a date, for the sweep. */
export function listWithDeadline(db: Executor, statuses: readonly string[]) {
  return db.selectFrom('share_requests').select(['id', 'status', 'due_on', 'reminded_for', 'ruling', 'violation_recorded_at']).where('status', 'in', [...statuses]).where('due_on', 'is not', null).execute();
}

/** Requests that may wait for an action of a department (the provider answers or provides, either accepts the agreement), earliest due first. */
export function listOpenFor(db: Executor, departmentId: string) {
  return requests(db)
    .where((eb) =>
      eb.or([
        eb.and([eb('r.provider_department_id', '=', departmentId), eb('r.status', 'in', ['submitted', 'answered', 'confirmed', 'ordered'])]),
        eb.and([eb('r.consumer_department_id', '=', departmentId), eb('r.status', 'in', ['answered', 'ordered'])]),
      ]),
    )
    .orderBy('r.due_on')
    .orderBy('r.created_at')
    .execute() as Promise<RequestRow[]>;
}

/** Requests the authority must act on. */
export function listForAuthority(db: Executor) {
  return requests(db).where('r.status', 'in', ['escalated', 'joint_review']).orderBy('r.updated_at').execute() as Promise<RequestRow[]>;
}

export async function insertAgreement(db: Executor, row: NewRow<'share_agreements'>) {
  await db.insertInto('share_agreements').values(row).execute();
}

export function findAgreementOf(db: Executor, requestId: string) {
  return db.selectFrom('share_agreements').selectAll().where('request_id', '=', requestId).executeTakeFirst();
}

/** The agreement with the names of the people who accepted it. */
export function findAgreementWithNames(db: Executor, requestId: string) {
  return db
    .selectFrom('share_agreements as a')
    .leftJoin('users as cu', 'cu.id', 'a.consumer_accepted_by')
    .leftJoin('users as pu', 'pu.id', 'a.provider_accepted_by')
    .selectAll('a')
    .select(['cu.display_name as consumer_accepted_name', 'pu.display_name as provider_accepted_name'])
    .where('a.request_id', '=', requestId)
    .executeTakeFirst();
}

export function lockAgreementOf(db: Executor, requestId: string) {
  return db.selectFrom('share_agreements').selectAll().where('request_id', '=', requestId).forUpdate().executeTakeFirst();
}

export async function updateAgreement(db: Executor, id: string, patch: Partial<NewRow<'share_agreements'>>) {
  await db.updateTable('share_agreements').set(patch).where('id', '=', id).execute();
}

export type GrantRow = Row<'grants'> & {
  request_no: string;
  entry_code: string;
  entry_name: string;
  consumer_name: string;
  consumer_name_en: string;
  provider_name: string;
  provider_name_en: string;
};

function grants(db: Executor) {
  return db
    .selectFrom('grants as g')
    .innerJoin('share_requests as r', 'r.id', 'g.request_id')
    .innerJoin('catalog_entries as e', 'e.id', 'g.entry_id')
    .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'r.entry_id').onRef('v.version', '=', 'r.entry_version'))
    .innerJoin('departments as cd', 'cd.id', 'g.consumer_department_id')
    .innerJoin('departments as pd', 'pd.id', 'g.provider_department_id')
    .selectAll('g')
    .select(['r.no as request_no', 'e.code as entry_code', 'v.name as entry_name', 'cd.name as consumer_name', 'cd.name_en as consumer_name_en', 'pd.name as provider_name', 'pd.name_en as provider_name_en']);
}

export async function insertGrant(db: Executor, row: NewRow<'grants'>) {
  await db.insertInto('grants').values(row).execute();
}

export function findGrant(db: Executor, id: string): Promise<GrantRow | undefined> {
  return grants(db).where('g.id', '=', id).executeTakeFirst() as Promise<GrantRow | undefined>;
}

export function lockGrant(db: Executor, id: string) {
  return db.selectFrom('grants').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateGrant(db: Executor, id: string, patch: Partial<NewRow<'grants'>>) {
  await db.updateTable('grants').set(patch).where('id', '=', id).execute();
}

/** Grants of a department as consumer, provider or either, newest first, with the total and today's calls. */
export async function listGrants(
  db: Executor,
  f: { departmentId: string | null; role?: 'consumer' | 'provider' | undefined; status?: string | undefined; today: string; page: number; pageSize: number },
) {
  let q = grants(db);
  if (f.departmentId !== null) {
    const d = f.departmentId;
    if (f.role === 'consumer') q = q.where('g.consumer_department_id', '=', d);
    else if (f.role === 'provider') q = q.where('g.provider_department_id', '=', d);
    else q = q.where((eb) => eb.or([eb('g.consumer_department_id', '=', d), eb('g.provider_department_id', '=', d)]));
  }
  if (f.status) q = q.where('g.status', '=', f.status as 'active');
  const [items, total] = await Promise.all([
    q
      .leftJoin('grant_usage as gu', (j) => j.onRef('gu.grant_id', '=', 'g.id').on('gu.day', '=', f.today))
      .select(sql<number>`coalesce(gu.calls, 0)`.as('calls_today'))
      .orderBy('g.created_at', 'desc')
      .orderBy('g.id', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: items as (GrantRow & { calls_today: number })[], total: Number(total.n) };
}

/** Active grants whose last day is before `today`, for the lapse sweep. */
export function listLapsing(db: Executor, today: string) {
  return db.selectFrom('grants').select(['id']).where('status', '=', 'active').where('valid_until', '<', today).execute();
}
