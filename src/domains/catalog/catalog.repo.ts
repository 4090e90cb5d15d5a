import { type Expression, type SqlBool, sql } from 'kysely';
import type { Executor, NewRow } from '../../platform/db/index.js';
import type { TSearchQuery } from './catalog.schema.js';

/** An entry with one of its versions and the provider's name. */
const versionColumns = [
  'e.id',
  'e.code',
  'e.department_id',
  'e.latest_version',
  'e.published_version',
  'e.created_by as entry_created_by',
  'v.version',
  'v.status',
  'v.name',
  'v.data',
  'v.return_reason',
  'v.created_at',
  'v.created_by',
  'v.updated_at',
  'v.submitted_by',
  'v.edited_by',
  'v.approved_by',
  'v.published_at',
  'v.published_by',
  'd.name as department_name',
] as const;

function entryVersions(db: Executor) {
  return db
    .selectFrom('catalog_entries as e')
    .innerJoin('catalog_versions as v', 'v.entry_id', 'e.id')
    .innerJoin('departments as d', 'd.id', 'e.department_id');
}

/** One version of an entry (latest when version is omitted). */
export function findEntryVersion(db: Executor, entryId: string, version?: number) {
  return entryVersions(db)
    .select(versionColumns)
    .where('e.id', '=', entryId)
    .where('v.version', '=', version ?? sql<number>`e.latest_version`)
    .executeTakeFirst();
}
export type EntryVersionRow = NonNullable<Awaited<ReturnType<typeof findEntryVersion>>>;

/** The published version of an entry named by its resource code or its id. */
export function findPublishedByCodeOrId(db: Executor, codeOrId: string) {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeOrId);
  return entryVersions(db)
    .select(versionColumns)
    .whereRef('v.version', '=', 'e.published_version')
    .where(isUuid ? 'e.id' : 'e.code', '=', codeOrId)
    .executeTakeFirst();
}

/** Locks an entry row for a transition or an edit. */
export function lockEntry(db: Executor, entryId: string) {
  return db.selectFrom('catalog_entries').selectAll().where('id', '=', entryId).forUpdate().executeTakeFirst();
}

/** All versions of an entry, oldest first, with who made them. */
export function listVersions(db: Executor, entryId: string) {
  return db
    .selectFrom('catalog_versions as v')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select(['v.version', 'v.status', 'v.created_at', 'v.published_at', 'u.display_name as created_by_name'])
    .where('v.entry_id', '=', entryId)
    .orderBy('v.version')
    .execute();
}

/** The live entry (any status but superseded) that holds this name, other than `exceptEntryId`. */
export function findLiveName(db: Executor, name: string, exceptEntryId?: string) {
  let q = db
    .selectFrom('catalog_versions')
    .select(['entry_id'])
    .where('name', '=', name)
    .where('status', '!=', 'superseded');
  if (exceptEntryId) q = q.where('entry_id', '!=', exceptEntryId);
  return q.executeTakeFirst();
}

/** The next 后段码 within a classification code; the caller holds a lock that serialises this. */
export async function nextSeq(db: Executor, classCode: string): Promise<number> {
  const row = await db
    .selectFrom('catalog_entries')
    .select(sql<number>`coalesce(max(seq), 0)::int`.as('max'))
    .where('class_code', '=', classCode)
    .executeTakeFirstOrThrow();
  return Number(row.max) + 1;
}

/** Serialises code generation for one classification code until the transaction ends. */
export async function lockClassCode(db: Executor, classCode: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`catalog:${classCode}`}))`.execute(db);
}

export function insertEntry(db: Executor, row: NewRow<'catalog_entries'>) {
  return db.insertInto('catalog_entries').values(row).execute();
}

export function insertVersion(db: Executor, row: NewRow<'catalog_versions'>) {
  return db.insertInto('catalog_versions').values(row).execute();
}

export function updateVersion(db: Executor, entryId: string, version: number, patch: Partial<NewRow<'catalog_versions'>>) {
  return db.updateTable('catalog_versions').set(patch).where('entry_id', '=', entryId).where('version', '=', version).execute();
}

export function updateEntry(db: Executor, entryId: string, patch: Partial<NewRow<'catalog_entries'>>) {
  return db.updateTable('catalog_entries').set(patch).where('id', '=', entryId).execute();
}

export function insertTransition(db: Executor, row: NewRow<'catalog_transitions'>) {
  return db.insertInto('catalog_transitions').values(row).execute();
}

/** The working list: entries by department and status of the version the reader may see (latest for insiders, published for others). */
export function listWorking(
  db: Executor,
  f: { departmentId?: string | undefined; status?: string | undefined; visibleDepartmentId: string | null; seesAll: boolean; page: number; pageSize: number },
) {
  let q = entryVersions(db);
  if (f.seesAll) {
    q = q.whereRef('v.version', '=', 'e.latest_version');
  } else {
    // One's own department's entries by their latest version in every state; others' only by
    // their published version, never a draft that follows it.
    const own = f.visibleDepartmentId ?? '00000000-0000-0000-0000-000000000000';
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('e.department_id', '=', own), eb('v.version', '=', eb.ref('e.latest_version'))]),
        eb.and([eb('e.department_id', '!=', own), eb('v.version', '=', eb.ref('e.published_version'))]),
      ]),
    );
  }
  if (f.departmentId) q = q.where('e.department_id', '=', f.departmentId);
  if (f.status) q = q.where('v.status', '=', f.status);
  return Promise.all([
    q
      .select(versionColumns)
      .orderBy('v.updated_at', 'desc')
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize)
      .execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
}

/** Latest versions waiting for an action in these statuses, optionally limited to one department. */
export function listByLatestStatus(db: Executor, statuses: string[], departmentId?: string) {
  let q = entryVersions(db).whereRef('v.version', '=', 'e.latest_version').where('v.status', 'in', statuses);
  if (departmentId) q = q.where('e.department_id', '=', departmentId);
  return q.select(versionColumns).orderBy('v.updated_at').limit(500).execute();
}

/** Splits a query into terms: words, and for Chinese text also its character pairs (no segmenter needed). */
export function searchTerms(q: string): { whole: string[]; pairs: string[] } {
  const words = q
    .toLowerCase()
    .split(/[\s,，、;；]+/)
    .map((w) => w.trim())
    .filter(Boolean)
    .slice(0, 8);
  const pairs = new Set<string>();
  for (const w of words) {
    if (!/[\u3400-\u9fff]/.test(w) || w.length <= 2) continue;
    for (let i = 0; i + 2 <= w.length; i++) pairs.add(w.slice(i, i + 2));
  }
  return { whole: words, pairs: [...pairs].slice(0, 20) };
}

function like(term: string): string {
  return `%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

/**
 * Published entries ranked by relevance: a word found in the name weighs most, then in the
 * keywords and data items, then anywhere in the text; Chinese character pairs count for less.
 * A row matches when it holds a whole query word, or at least half of the query's character
 * pairs (so 户籍信息 finds 人口户籍登记信息, while the ubiquitous 信息 alone finds nothing).
 * The total comes from a window count in the same query: one scan, not two.
 */
export async function searchPublished(db: Executor, f: TSearchQuery): Promise<{ rows: (EntryVersionRow & { score: number })[]; total: number }> {
  const { whole, pairs } = searchTerms(f.q ?? '');
  const hit = (column: 'lower(v.name)' | 'v.search_text', t: string) =>
    sql<number>`(CASE WHEN ${sql.raw(column)} LIKE ${like(t)} THEN 1 ELSE 0 END)`;
  const sum = (parts: ReturnType<typeof hit>[]) => (parts.length ? sql<number>`(${sql.join(parts, sql` + `)})` : sql<number>`0`);
  const score = sum([
    ...whole.flatMap((t) => [sql<number>`10 * ${hit('lower(v.name)', t)}`, sql<number>`4 * ${hit('v.search_text', t)}`]),
    ...pairs.flatMap((t) => [sql<number>`2 * ${hit('lower(v.name)', t)}`, hit('v.search_text', t)]),
  ]);
  let q = entryVersions(db).whereRef('v.version', '=', 'e.published_version');
  if (f.departmentId) q = q.where('e.department_id', '=', f.departmentId);
  if (f.shareType) q = q.where(sql`v.data->>'shareType'`, '=', f.shareType);
  if (f.openType) q = q.where(sql`v.data->>'openType'`, '=', f.openType);
  if (f.classification) q = q.where(sql`v.data->>'classification'`, '=', f.classification);
  if (f.updateFrequency) q = q.where(sql`v.data->>'updateFrequency'`, '=', f.updateFrequency);
  if (whole.length) {
    const matches: Expression<SqlBool>[] = whole.map((t) => sql<SqlBool>`v.search_text LIKE ${like(t)}`);
    if (pairs.length) {
      const pairHits = sum(pairs.map((t) => hit('v.search_text', t)));
      matches.push(sql<SqlBool>`${pairHits} >= ${Math.ceil(pairs.length / 2)}`);
    }
    q = q.where((eb) => eb.or(matches));
  }
  const rows = await q
    .select(versionColumns)
    .select([score.as('score'), sql<number>`count(*) over ()`.as('total')])
    .orderBy('score', 'desc')
    .orderBy('v.published_at', 'desc')
    .orderBy('e.code')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  if (rows.length || f.page === 1) return { rows, total: Number(rows[0]?.total ?? 0) };
  // Past the last page the window count has no row to ride on.
  const counted = await q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(counted.n) };
}

/** Every published version in force, for snapshots and exports. */
export function listPublished(db: Executor) {
  return entryVersions(db).whereRef('v.version', '=', 'e.published_version').select(versionColumns).orderBy('e.code').execute();
}

/** The update frequency (更新周期) of the published version of each of these entries. */
export function listPublishedFrequencies(db: Executor, entryIds: string[]) {
  return db
    .selectFrom('catalog_entries as e')
    .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.published_version'))
    .select(['e.id', sql<string | null>`v.data->>'updateFrequency'`.as('update_frequency')])
    .where('e.id', 'in', entryIds)
    .execute();
}
