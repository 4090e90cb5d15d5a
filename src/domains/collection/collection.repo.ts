import { sql } from 'kysely';
import type { Executor, NewRow } from '../../platform/db/index.js';

/** Rows per multi-row INSERT: well under the 65,535 bind parameters a statement may carry. */
const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** The dataset of a catalog entry. */
export function findDatasetByEntry(db: Executor, entryId: string) {
  return db.selectFrom('datasets').selectAll().where('entry_id', '=', entryId).executeTakeFirst();
}

/** Creates the dataset unless a concurrent writer did first. */
export function insertDatasetIfAbsent(db: Executor, row: NewRow<'datasets'>) {
  return db
    .insertInto('datasets')
    .values(row)
    .onConflict((oc) => oc.column('entry_id').doNothing())
    .execute();
}

/** Locks a dataset row: batches of one dataset are applied one after another. */
export function lockDataset(db: Executor, datasetId: string) {
  return db.selectFrom('datasets').selectAll().where('id', '=', datasetId).forUpdate().executeTakeFirstOrThrow();
}

export function updateDataset(db: Executor, datasetId: string, patch: Partial<NewRow<'datasets'>>) {
  return db.updateTable('datasets').set(patch).where('id', '=', datasetId).execute();
}

/** The batch sent earlier with this Idempotency-Key. */
export function findBatchByKey(db: Executor, datasetId: string, idempotencyKey: string) {
  return db.selectFrom('collection_batches').selectAll().where('dataset_id', '=', datasetId).where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export function insertBatch(db: Executor, row: NewRow<'collection_batches'>) {
  return db.insertInto('collection_batches').values(row).execute();
}

/** The current version of each of these keys. */
export async function findCurrent(db: Executor, datasetId: string, keys: string[]) {
  const rows: { record_key: string; version: number; fingerprint: string; deleted: boolean }[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    if (!chunk.length) continue;
    rows.push(
      ...(await db
        .selectFrom('dataset_current')
        .select(['record_key', 'version', 'fingerprint', 'deleted'])
        .where('dataset_id', '=', datasetId)
        .where('record_key', 'in', chunk)
        .execute()),
    );
  }
  return new Map(rows.map((r) => [r.record_key, r]));
}

export function insertRecords(db: Executor, rows: NewRow<'dataset_records'>[]) {
  return insertChunked(rows, (chunk) => db.insertInto('dataset_records').values(chunk).execute());
}

/** Points the current-state table at the newly written versions. */
export function upsertCurrent(db: Executor, rows: NewRow<'dataset_current'>[]) {
  return insertChunked(rows, (chunk) =>
    db
      .insertInto('dataset_current')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['dataset_id', 'record_key']).doUpdateSet((eb) => ({
          version: eb.ref('excluded.version'),
          fingerprint: eb.ref('excluded.fingerprint'),
          deleted: eb.ref('excluded.deleted'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute(),
  );
}

export function insertQuarantine(db: Executor, rows: NewRow<'collection_quarantine'>[]) {
  return insertChunked(rows, (chunk) => db.insertInto('collection_quarantine').values(chunk).execute());
}

/** Closes the open quarantine rows of keys that a later batch has now written. */
export async function closeQuarantine(db: Executor, datasetId: string, keys: string[]) {
  for (let i = 0; i < keys.length; i += CHUNK) {
    const chunk = keys.slice(i, i + CHUNK);
    if (!chunk.length) continue;
    await db
      .updateTable('collection_quarantine')
      .set({ status: 'resubmitted' })
      .where('dataset_id', '=', datasetId)
      .where('status', '=', 'open')
      .where('record_key', 'in', chunk)
      .execute();
  }
}

/** A department's datasets with their live record counts and last write. */
export function listDatasets(db: Executor, departmentId: string) {
  return db
    .selectFrom('datasets as d')
    .select([
      'd.id',
      'd.code',
      'd.entry_id',
      'd.schema_version',
      'd.key_kind',
      'd.items',
      'd.created_at',
      'd.updated_at',
      (eb) =>
        eb
          .selectFrom('dataset_current as c')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('c.dataset_id', '=', 'd.id')
          .where('c.deleted', '=', false)
          .as('record_count'),
      (eb) => eb.selectFrom('dataset_current as c').select(sql<Date>`max(c.updated_at)`.as('m')).whereRef('c.dataset_id', '=', 'd.id').as('last_written_at'),
    ])
    .where('d.department_id', '=', departmentId)
    .orderBy('d.code')
    .execute();
}

/** A dataset by resource code or entry id. */
export function findDataset(db: Executor, codeOrId: string) {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(codeOrId);
  return db
    .selectFrom('datasets')
    .selectAll()
    .where(isUuid ? 'entry_id' : 'code', '=', codeOrId)
    .executeTakeFirst();
}

/** A dataset's batches, newest first. */
export function listBatches(db: Executor, datasetId: string, page: number, pageSize: number) {
  return db
    .selectFrom('collection_batches')
    .select(['id', 'idempotency_key', 'mode', 'status', 'received', 'accepted', 'rejected', 'created_by', 'created_at'])
    .where('dataset_id', '=', datasetId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
}

/** A dataset's quarantined rows, newest first, optionally by status. */
export function listQuarantine(db: Executor, datasetId: string, status: string | undefined, page: number, pageSize: number) {
  let q = db.selectFrom('collection_quarantine').select(['id', 'batch_id', 'row_no', 'raw', 'errors', 'status', 'created_at']).where('dataset_id', '=', datasetId);
  if (status) q = q.where('status', '=', status as 'open' | 'resubmitted');
  return q.orderBy('created_at', 'desc').orderBy('row_no').limit(pageSize).offset((page - 1) * pageSize).execute();
}

/** Every version of one record, oldest first (history reads and tests). */
export function listRecordVersions(db: Executor, datasetId: string, recordKey: string) {
  return db.selectFrom('dataset_records').selectAll().where('dataset_id', '=', datasetId).where('record_key', '=', recordKey).orderBy('version').execute();
}
