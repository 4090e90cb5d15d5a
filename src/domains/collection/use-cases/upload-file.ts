import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { record } from '../../../platform/audit/audit.js';
import { uuidv7 } from '../../../platform/crypto/ids.js';
import { type Executor, inTransaction } from '../../../platform/db/index.js';
import { AppError, type FieldError } from '../../../platform/errors.js';
import { FileFormatError, type ReportRow, readTable, type TableRow, writeErrorReport } from '../../../platform/files/index.js';
import type { AppContext, Ctx } from '../../../platform/http/index.js';
import { collectionError } from '../collection.errors.js';
import { canReadOwn } from '../collection.policy.js';
import { getPublishedEntry, lockDatasetForWrite } from '../collection.service.js';
import type { BatchMode, RowError, TSchemaItem } from '../collection.schema.js';
import { applyBatch } from './apply-batch.js';
import { auditOneSourceRefusal, isOneSourceRefusal } from './one-source.js';
import { checkRow, maskedRow, schemaOf } from './validate-rows.js';

/** File formats an upload may have. */
export type UploadFormat = 'csv' | 'xlsx';

/** Rows per chunk: each chunk is one applyBatch (one transaction in partial mode). */
export const UPLOAD_CHUNK_ROWS = 2000;
/** Most error rows kept for an upload's report; the counters still count every rejected row. */
export const MAX_UPLOAD_ERROR_ROWS = 10_000;
/** The column a dataset without an identifier item takes its declared record key from. */
const KEY_COLUMNS = ['key', '主键'];

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const uploadsDir = (app: AppContext) => join(app.config.dataDir, 'uploads');
const tempPath = (app: AppContext, id: string) => join(uploadsDir(app), `${id}.upload`);

/** The format of a file from its name, or undefined when it is neither CSV nor xlsx. */
export function formatOfFilename(filename: string): UploadFormat | undefined {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.xlsx')) return 'xlsx';
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  return undefined;
}

/** How each column of the file maps to the dataset: an item's English name, or the declared key. */
type ColumnMap = { header: string[]; target: Map<string, string>; keyColumn: string | undefined; nameOf: Map<string, string> };

/**
 * Maps the header to data items by English name or Chinese name. Unknown columns and missing
 * required items (the identifier included) reject the whole upload.
 */
function mapColumns(header: string[], items: TSchemaItem[]): ColumnMap {
  const target = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const hasIdentifier = items.some((i) => i.isIdentifier);
  let keyColumn: string | undefined;
  const unknown: string[] = [];
  for (const col of header) {
    const item = items.find((i) => i.nameEn === col) ?? items.find((i) => i.name === col);
    if (item && ![...target.values()].includes(item.nameEn)) {
      target.set(col, item.nameEn);
      nameOf.set(item.nameEn, col);
    } else if (!item && !hasIdentifier && KEY_COLUMNS.includes(col) && keyColumn === undefined) {
      keyColumn = col;
      nameOf.set('key', col);
    } else unknown.push(col);
  }
  const mapped = new Set(target.values());
  const missing = items.filter((i) => (i.required || i.isIdentifier) && !mapped.has(i.nameEn)).map((i) => `${i.name} (${i.nameEn})`);
  if (!hasIdentifier && keyColumn === undefined) missing.push('key (主键)');
  if (unknown.length || missing.length) {
    const parts = [
      unknown.length ? `unknown columns 未知列: ${unknown.join(', ')}` : '',
      missing.length ? `missing required columns 缺少必填列: ${missing.join(', ')}` : '',
    ].filter(Boolean);
    throw collectionError('COLLECTION_UPLOAD_COLUMNS', `The file's columns do not match the dataset. 表头与数据集信息项不符。 ${parts.join('; ')}`, {
      errors: [...unknown.map((c) => ({ field: c, rule: 'unknown_column', message: 'not a data item of this dataset 不是该数据集的信息项' })), ...missing.map((m) => ({ field: m, rule: 'missing_column', message: 'required column missing 缺少必填列' }))],
    });
  }
  return { header, target, keyColumn, nameOf };
}

/** A file row as a batch record: blank cells left out, so optional items stay absent. */
function toRecord(row: TableRow, cols: ColumnMap): { key?: string; values: Record<string, string> } {
  const values: Record<string, string> = {};
  for (const [col, nameEn] of cols.target) {
    const v = row.values[col];
    if (v !== undefined && v.trim() !== '') values[nameEn] = v;
  }
  const key = cols.keyColumn ? row.values[cols.keyColumn]?.trim() : undefined;
  return key ? { key, values } : { values };
}

/** Reads the spooled file in chunks of rows. */
async function* chunksOfFile(path: string, format: UploadFormat, cols: ColumnMap | undefined, items: TSchemaItem[]): AsyncGenerator<{ cols: ColumnMap; rows: TableRow[] }> {
  const table = await readTable(createReadStream(path), { format });
  const map = cols ?? mapColumns(table.header, items);
  let rows: TableRow[] = [];
  for await (const row of table.rows) {
    rows.push(row);
    if (rows.length >= UPLOAD_CHUNK_ROWS) {
      yield { cols: map, rows };
      rows = [];
    }
  }
  if (rows.length || !cols) yield { cols: map, rows };
}

/** One error row for the report: the row by column name with identifiers masked, its errors by column name. */
function errorRow(row: TableRow, rec: unknown, errors: RowError[], cols: ColumnMap, schema: ReturnType<typeof schemaOf>) {
  const masked = maskedRow(rec, schema) as { key?: unknown; values?: Record<string, unknown> };
  const values: Record<string, string> = {};
  for (const [col, nameEn] of cols.target) values[col] = String(masked.values?.[nameEn] ?? '');
  if (cols.keyColumn) values[cols.keyColumn] = String(masked.key ?? '');
  return {
    row_no: row.rowNo,
    values: JSON.stringify(values),
    errors: JSON.stringify(errors.map((e): FieldError => ({ field: cols.nameOf.get(e.field) ?? e.field, rule: e.rule, message: e.message }))),
  };
}

type Counters = { rowsRead: number; accepted: number; rejected: number; unchanged: number; errorRows: number };

async function insertErrorRows(db: Executor, uploadId: string, rows: { row_no: number; values: string; errors: string }[], c: Counters) {
  const room = Math.max(0, MAX_UPLOAD_ERROR_ROWS - c.errorRows);
  const kept = rows.slice(0, room);
  for (let i = 0; i < kept.length; i += 500) {
    await db
      .insertInto('collection_upload_errors')
      .values(kept.slice(i, i + 500).map((r) => ({ upload_id: uploadId, ...r })))
      .execute();
  }
  c.errorRows += kept.length;
}

function setCounters(db: Executor, uploadId: string, c: Counters) {
  return db.updateTable('collection_uploads').set({ rows_read: c.rowsRead, accepted: c.accepted, rejected: c.rejected, unchanged: c.unchanged }).where('id', '=', uploadId).execute();
}

async function finish(ctx: Ctx, db: Executor, upload: { id: string; dataset_id: string; code: string; mode: BatchMode }, status: 'done' | 'rejected' | 'failed', c: Counters, error: unknown) {
  const now = ctx.app.clock.now();
  await inTransaction(db, async (tx) => {
    await tx
      .updateTable('collection_uploads')
      .set({ status, rows_read: c.rowsRead, accepted: c.accepted, rejected: c.rejected, unchanged: c.unchanged, error: error === null ? null : JSON.stringify(error), finished_at: now })
      .where('id', '=', upload.id)
      .execute();
    await record(tx, {
      actor: ctx.actor,
      action: 'collection.upload_finished',
      targetType: 'dataset',
      targetId: upload.dataset_id,
      requestId: ctx.requestId,
      details: { dataset: upload.code, uploadId: upload.id, mode: upload.mode, status, rowsRead: c.rowsRead, accepted: c.accepted, rejected: c.rejected, unchanged: c.unchanged },
      at: now,
    });
  });
}

/** The error of a whole upload as stored: an AppError's code and message, or a generic failure. */
function errorOf(err: unknown) {
  if (err instanceof AppError) return { code: err.code, message: err.message, errors: err.errors };
  return { code: 'INTERNAL', message: 'The upload failed unexpectedly; upload the file again. 处理失败，请重新上传。' };
}

/**
 * Processes a spooled upload in the background. Partial: each chunk is its own batch and
 * transaction, so what is committed is acknowledged and counted. Atomic: a read-only pass
 * validates every row first, then all chunks are applied in ONE transaction (or nothing is).
 */
async function processUpload(ctx: Ctx, upload: { id: string; dataset_id: string; code: string; mode: BatchMode; format: UploadFormat; items: TSchemaItem[] }): Promise<void> {
  const db = ctx.app.database.db;
  const path = tempPath(ctx.app, upload.id);
  const c: Counters = { rowsRead: 0, accepted: 0, rejected: 0, unchanged: 0, errorRows: 0 };
  const schema = schemaOf(upload.items);
  const chunkKey = (n: number) => `upload:${upload.id}:${n}`;
  try {
    let cols: ColumnMap | undefined;
    if (upload.mode === 'partial') {
      let n = 0;
      for await (const chunk of chunksOfFile(path, upload.format, undefined, upload.items)) {
        if (!cols) {
          cols = chunk.cols;
          await db.updateTable('collection_uploads').set({ header: JSON.stringify(cols.header) }).where('id', '=', upload.id).execute();
        }
        if (!chunk.rows.length) continue;
        const records = chunk.rows.map((r) => toRecord(r, chunk.cols));
        const next = { ...c };
        await inTransaction(db, async (tx) => {
          const dataset = await lockDatasetForWrite(tx, ctx, upload.code);
          const { response } = await applyBatch(tx, ctx, { dataset, mode: 'partial', idempotencyKey: chunkKey(n++), records });
          next.rowsRead += records.length;
          next.accepted += response.accepted;
          next.rejected += response.rejected;
          next.unchanged += response.unchanged;
          await insertErrorRows(tx, upload.id, errorRowsOf(response.errors, chunk.rows, records, chunk.cols, schema), next);
          await setCounters(tx, upload.id, next);
        });
        Object.assign(c, next); // only once committed
      }
    } else {
      // Pass 1, read-only: every row checked, record keys compared across the whole file.
      const firstRow = new Map<string, number>();
      const now = ctx.app.clock.now();
      const bad: { row_no: number; values: string; errors: string }[] = [];
      for await (const chunk of chunksOfFile(path, upload.format, undefined, upload.items)) {
        cols ??= chunk.cols;
        chunk.rows.forEach((row, i) => {
          const rec = toRecord(row, chunk.cols);
          const checked = checkRow({ schema, keyring: ctx.app.vault, now, row: i, input: rec });
          if (checked.key !== null) {
            const first = firstRow.get(checked.key);
            if (first === undefined) firstRow.set(checked.key, row.rowNo);
            else checked.errors.push({ row: i, field: schema.identifier?.nameEn ?? 'key', rule: 'duplicate_key', message: `same record key as row ${first} 与第 ${first} 行主键重复` });
          }
          if (checked.errors.length) {
            c.rejected++;
            if (bad.length < MAX_UPLOAD_ERROR_ROWS) bad.push(errorRow(row, rec, checked.errors, chunk.cols, schema));
          }
        });
        c.rowsRead += chunk.rows.length;
        await db.updateTable('collection_uploads').set({ rows_read: c.rowsRead, rejected: c.rejected }).where('id', '=', upload.id).execute();
      }
      firstRow.clear();
      if (cols) await db.updateTable('collection_uploads').set({ header: JSON.stringify(cols.header) }).where('id', '=', upload.id).execute();
      if (c.rejected > 0) {
        await inTransaction(db, async (tx) => {
          await insertErrorRows(tx, upload.id, bad, c);
          await finish(ctx, tx, upload, 'rejected', c, {
            code: 'COLLECTION_BATCH_INVALID',
            message: `${c.rejected} of ${c.rowsRead} rows failed; nothing was applied. 含错误行，未写入任何记录。`,
          });
        });
        return;
      }
      // Pass 2: all chunks in one transaction. PGlite has a single connection, so while this
      // transaction runs every other query on the embedded database waits; pass 1 keeps it to
      // the writes alone. On PostgreSQL only writers of this dataset wait (its row lock).
      await inTransaction(db, async (tx) => {
        const total: Counters = { ...c, accepted: 0, unchanged: 0 };
        const dataset = await lockDatasetForWrite(tx, ctx, upload.code);
        let n = 0;
        for await (const chunk of chunksOfFile(path, upload.format, cols, upload.items)) {
          if (!chunk.rows.length) continue;
          const records = chunk.rows.map((r) => toRecord(r, chunk.cols));
          const { response } = await applyBatch(tx, ctx, { dataset, mode: 'atomic', idempotencyKey: chunkKey(n++), records });
          // The file changed under us or a rule differs from pass 1: roll everything back.
          if (response.status === 'rejected') throw collectionError('COLLECTION_BATCH_INVALID', 'Rows failed on applying; nothing was applied. 写入时校验未通过，未写入任何记录。');
          total.accepted += response.accepted;
          total.unchanged += response.unchanged;
        }
        await finish(ctx, tx, upload, 'done', total, null);
        Object.assign(c, total);
      });
      return;
    }
    await finish(ctx, db, upload, 'done', c, null);
  } catch (err) {
    // A file that cannot be read or mapped rejects the upload; anything else fails it. Counters
    // keep what was committed (partial chunks before the problem).
    const rejected = err instanceof FileFormatError || (err instanceof AppError && err.code === 'COLLECTION_UPLOAD_COLUMNS') || (err instanceof AppError && err.code === 'COLLECTION_BATCH_INVALID') || isOneSourceRefusal(err);
    await auditOneSourceRefusal(ctx, err, { dataset: upload.code, uploadId: upload.id }).catch((e: unknown) => ctx.app.log.error({ err: e, uploadId: upload.id }, 'could not audit a refused upload'));
    if (!rejected) ctx.app.log.error({ err, uploadId: upload.id }, 'upload failed');
    if (upload.mode === 'atomic') Object.assign(c, { accepted: 0, unchanged: 0 });
    await finish(ctx, db, upload, rejected ? 'rejected' : 'failed', c, errorOf(err)).catch((e: unknown) => ctx.app.log.error({ err: e, uploadId: upload.id }, 'could not record the end of an upload'));
  } finally {
    await rm(path, { force: true });
  }
}

/** The error rows of one applied chunk, numbered as the file shows them. */
function errorRowsOf(errors: RowError[], rows: TableRow[], records: unknown[], cols: ColumnMap, schema: ReturnType<typeof schemaOf>) {
  const byRow = new Map<number, RowError[]>();
  for (const e of errors) byRow.set(e.row, [...(byRow.get(e.row) ?? []), e]);
  return [...byRow].flatMap(([i, errs]) => {
    const row = rows[i];
    return row ? [errorRow(row, records[i], errs, cols, schema)] : [];
  });
}

/**
 * Receives a file upload: checks the actor may write the dataset (creating it on first use),
 * records the upload as receiving, spools the file to `<dataDir>/uploads/` (bounded memory),
 * then starts processing it in the background and returns its id at once.
 */
export async function receiveUpload(ctx: Ctx, opts: { code: string; mode: BatchMode; filename: string; format: UploadFormat; file: Readable; isTruncated: () => boolean }) {
  const db = ctx.app.database.db;
  const id = uuidv7();
  const now = ctx.app.clock.now();
  const dataset = await inTransaction(db, async (tx) => {
    const ds = await lockDatasetForWrite(tx, ctx, opts.code);
    await tx
      .insertInto('collection_uploads')
      .values({ id, dataset_id: ds.id, department_id: ds.department_id, filename: opts.filename.slice(0, 255), format: opts.format, mode: opts.mode, status: 'receiving', header: null, error: null, created_by: ctx.actor.id as string, created_at: now, finished_at: null })
      .execute();
    await record(tx, {
      actor: ctx.actor,
      action: 'collection.upload_received',
      targetType: 'dataset',
      targetId: ds.id,
      requestId: ctx.requestId,
      details: { dataset: ds.code, uploadId: id, filename: opts.filename.slice(0, 255), format: opts.format, mode: opts.mode },
      at: now,
    });
    return ds;
  });
  const upload = { id, dataset_id: dataset.id, code: dataset.code, mode: opts.mode, format: opts.format, items: dataset.items };
  const path = tempPath(ctx.app, id);
  try {
    await mkdir(uploadsDir(ctx.app), { recursive: true });
    await pipeline(opts.file, createWriteStream(path));
    if (opts.isTruncated()) throw collectionError('COLLECTION_UPLOAD_TOO_LARGE', `The file is larger than ${ctx.app.config.HUITONG_UPLOAD_MAX_BYTES} bytes. 文件超过大小上限。`);
  } catch (caught) {
    await rm(path, { force: true });
    const err = (caught as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' || opts.isTruncated()
      ? collectionError('COLLECTION_UPLOAD_TOO_LARGE', `The file is larger than ${ctx.app.config.HUITONG_UPLOAD_MAX_BYTES} bytes. 文件超过大小上限。`)
      : caught;
    const c = { rowsRead: 0, accepted: 0, rejected: 0, unchanged: 0, errorRows: 0 };
    await finish(ctx, db, upload, err instanceof AppError ? 'rejected' : 'failed', c, errorOf(err));
    throw err;
  }
  await db.updateTable('collection_uploads').set({ status: 'processing' }).where('id', '=', id).execute();
  // In this process, after the answer; processUpload records its own failures and never throws.
  setImmediate(() => void processUpload(ctx, upload));
  return { uploadId: id };
}

/** An upload as the API shows it. */
function present(u: { id: string; filename: string; format: string; mode: string; status: string; rows_read: number; accepted: number; rejected: number; unchanged: number; error: unknown; created_by: string; created_at: unknown; finished_at: unknown }) {
  return {
    id: u.id,
    filename: u.filename,
    format: u.format,
    mode: u.mode,
    status: u.status,
    rowsRead: u.rows_read,
    accepted: u.accepted,
    rejected: u.rejected,
    unchanged: u.unchanged,
    error: u.error === null ? null : json(u.error),
    createdBy: u.created_by,
    startedAt: iso(u.created_at as Date),
    finishedAt: iso(u.finished_at as Date | null),
  };
}

/** The upload of a dataset the actor's department may read, or 404/403. */
async function readableUpload(ctx: Ctx, code: string, uploadId: string) {
  const db = ctx.app.database.db;
  const entry = await getPublishedEntry(db, code, (d) => canReadOwn(ctx.actor, d), 'read another department’s uploads 查看其他部门的上传');
  const u = /^[0-9a-f-]{36}$/i.test(uploadId)
    ? await db.selectFrom('collection_uploads as u').innerJoin('datasets as d', 'd.id', 'u.dataset_id').selectAll('u').where('u.id', '=', uploadId).where('d.entry_id', '=', entry.id).executeTakeFirst()
    : undefined;
  if (!u) throw collectionError('COLLECTION_UPLOAD_NOT_FOUND', `No upload ${uploadId} in ${code}. 上传记录不存在。`);
  return u;
}

/** The progress of one upload. */
export async function getUpload(ctx: Ctx, code: string, uploadId: string) {
  return present(await readableUpload(ctx, code, uploadId));
}

/** A dataset's uploads, newest first. */
export async function listUploads(ctx: Ctx, code: string, page: { page: number; pageSize: number }) {
  const db = ctx.app.database.db;
  const entry = await getPublishedEntry(db, code, (d) => canReadOwn(ctx.actor, d), 'read another department’s uploads 查看其他部门的上传');
  const rows = await db
    .selectFrom('collection_uploads as u')
    .innerJoin('datasets as d', 'd.id', 'u.dataset_id')
    .selectAll('u')
    .where('d.entry_id', '=', entry.id)
    .orderBy('u.created_at', 'desc')
    .orderBy('u.id', 'desc')
    .limit(page.pageSize)
    .offset((page.page - 1) * page.pageSize)
    .execute();
  return { items: rows.map(present) };
}

/** The error report of an upload as an xlsx stream (rows read page by page, bounded memory). */
export async function uploadErrorReport(ctx: Ctx, code: string, uploadId: string): Promise<Readable> {
  const u = await readableUpload(ctx, code, uploadId);
  const db = ctx.app.database.db;
  const header = (json(u.header) as string[] | null) ?? [];
  async function* rows(): AsyncGenerator<ReportRow> {
    let after = -1;
    for (;;) {
      const page = await db.selectFrom('collection_upload_errors').selectAll().where('upload_id', '=', u.id).where('row_no', '>', after).orderBy('row_no').limit(500).execute();
      for (const r of page) yield { rowNo: r.row_no, values: json(r.values) as Record<string, string>, errors: json(r.errors) as FieldError[] };
      const last = page[page.length - 1];
      if (!last || page.length < 500) return;
      after = last.row_no;
    }
  }
  const out = new PassThrough();
  writeErrorReport(rows(), header, out).catch((err: unknown) => {
    ctx.app.log.error({ err, uploadId }, 'error report failed');
    out.destroy(err as Error);
  });
  return out;
}

/**
 * At start: uploads still receiving or processing were cut off by a restart. They are marked
 * failed (an atomic one wrote nothing, its transaction never committed; a partial one keeps its
 * committed chunks, as its counters say), and left-over temporary files are removed.
 */
export async function failInterruptedUploads(app: AppContext): Promise<number> {
  const now = app.clock.now();
  const rows = await app.database.db
    .updateTable('collection_uploads')
    .set({ status: 'failed', error: JSON.stringify({ code: 'INTERRUPTED', message: 'interrupted by a restart 因服务重启而中断，请重新上传' }), finished_at: now })
    .where('status', 'in', ['receiving', 'processing'])
    .returning('id')
    .execute();
  // Only the interrupted uploads' files: another process may share the data directory.
  for (const r of rows) await rm(tempPath(app, r.id), { force: true });
  return rows.length;
}
