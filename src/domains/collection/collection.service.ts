import type { Transaction } from 'kysely';
import { z } from 'zod';
import { record } from '../../platform/audit/audit.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { type DB, type Executor, inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import { findPublishedEntry } from '../catalog/index.js';
import { collectionError } from './collection.errors.js';
import { canReadOwn, canWrite } from './collection.policy.js';
import * as repo from './collection.repo.js';
import { type BatchMode, type BatchResponse, type KeyKind, type QuarantineStatus, type RowError, type TSchemaItem, ZSchemaItem } from './collection.schema.js';
import { applyBatch, type LockedDataset } from './use-cases/apply-batch.js';
import { datasetStatuses } from './use-cases/quality.js';
import { presentQuarantineRows } from './use-cases/quarantine.js';

const ZItems = z.array(ZSchemaItem);
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

function forbidden(what: string) {
  return platformError('FORBIDDEN', `Not allowed: ${what}. 无权操作：${what}。`);
}

/** The published entry behind a dataset code, readable by the actor, or 404/403. */
export async function getPublishedEntry(db: Executor, code: string, may: (departmentId: string) => boolean, what: string) {
  const entry = await findPublishedEntry(db, code);
  if (!entry) throw collectionError('COLLECTION_DATASET_NOT_FOUND', `No published catalog entry ${code}. 目录未发布或不存在。`);
  if (!may(entry.departmentId)) throw forbidden(what);
  return { id: entry.id, code: entry.code, department_id: entry.departmentId, published_version: entry.publishedVersion, items: ZItems.parse(entry.fields.items) };
}

const keyKindOf = (items: TSchemaItem[]): KeyKind => (items.some((i) => i.isIdentifier) ? 'subject' : 'declared');

/**
 * The dataset of a published entry, locked for writing: created from the published version on
 * first use, and migrated to a newer published version's data items when there is one. Both
 * are audited. Records already written keep the schema version they were written under.
 */
export async function lockDatasetForWrite(tx: Transaction<DB>, ctx: Ctx, code: string): Promise<LockedDataset> {
  const entry = await getPublishedEntry(tx, code, (d) => canWrite(ctx.actor, d), 'send records to another department’s dataset 向其他部门的数据集归集');
  if (entry.items.length === 0) throw collectionError('COLLECTION_NO_ITEMS', 'The published entry defines no data items. 该目录未定义信息项。');
  const now = ctx.app.clock.now();
  if (!(await repo.findDatasetByEntry(tx, entry.id))) {
    await repo.insertDatasetIfAbsent(tx, {
      id: uuidv7(),
      entry_id: entry.id,
      code: entry.code,
      department_id: entry.department_id,
      schema_version: entry.published_version,
      items: JSON.stringify(entry.items),
      key_kind: keyKindOf(entry.items),
      created_at: now,
      updated_at: now,
    });
    const created = await repo.findDatasetByEntry(tx, entry.id);
    if (created?.schema_version === entry.published_version) {
      await record(tx, {
        actor: ctx.actor,
        action: 'collection.dataset_created',
        targetType: 'dataset',
        targetId: created.id,
        requestId: ctx.requestId,
        details: { dataset: entry.code, schemaVersion: entry.published_version, keyKind: created.key_kind },
        at: now,
      });
    }
  }
  const found = await repo.findDatasetByEntry(tx, entry.id);
  if (!found) throw collectionError('COLLECTION_DATASET_NOT_FOUND');
  const ds = await repo.lockDataset(tx, found.id);
  let items = ZItems.parse(json(ds.items));
  let schemaVersion = ds.schema_version;
  if (entry.published_version > ds.schema_version) {
    await repo.updateDataset(tx, ds.id, {
      schema_version: entry.published_version,
      items: JSON.stringify(entry.items),
      key_kind: keyKindOf(entry.items),
      updated_at: now,
    });
    await record(tx, {
      actor: ctx.actor,
      action: 'collection.schema_migrated',
      targetType: 'dataset',
      targetId: ds.id,
      requestId: ctx.requestId,
      details: { dataset: ds.code, from: ds.schema_version, to: entry.published_version, items: entry.items.map((i) => i.nameEn) },
      at: now,
    });
    items = entry.items;
    schemaVersion = entry.published_version;
  }
  return { id: ds.id, code: ds.code, department_id: ds.department_id, schema_version: schemaVersion, items };
}

/** HTTP status of a batch answer: 200 when every row went in, 207 when a partial batch left some in quarantine. */
export function batchHttpStatus(r: BatchResponse): 200 | 207 {
  return r.status === 'partial' ? 207 : 200;
}

/**
 * Receives a batch of records for a dataset: everything in one transaction, applied once per
 * Idempotency-Key. An atomic batch with bad rows is recorded as rejected (so a retry gets the
 * same answer) and answered 422 with every row error; nothing of it is applied.
 */
export async function submitBatch(ctx: Ctx, opts: { code: string; mode: BatchMode; idempotencyKey: string; records: unknown[] }) {
  const outcome = await inTransaction(ctx.app.database.db, async (tx) => {
    const dataset = await lockDatasetForWrite(tx, ctx, opts.code);
    return applyBatch(tx, ctx, { dataset, mode: opts.mode, idempotencyKey: opts.idempotencyKey, records: opts.records });
  });
  const r = outcome.response;
  if (r.status === 'rejected') {
    // RowError is a FieldError with the row number; the problem body carries it as is.
    const errors: RowError[] = r.errors;
    throw collectionError('COLLECTION_BATCH_INVALID', `${r.rejected} of ${r.received} rows failed; nothing was applied (batch ${r.batchId}). 批次含错误行，未写入任何记录。`, { errors });
  }
  return outcome;
}

/** The actor's own department's datasets, with live record counts and the last write. */
export async function listMyDatasets(ctx: Ctx) {
  const departmentId = ctx.actor.departmentId;
  if (!departmentId || !canReadOwn(ctx.actor, departmentId)) throw forbidden('read datasets 查看数据集');
  const rows = await repo.listDatasets(ctx.app.database.db, departmentId);
  const statuses = await datasetStatuses(ctx.app, rows, ctx.app.clock.now());
  return {
    items: rows.map((r) => ({
      id: r.id,
      code: r.code,
      entryId: r.entry_id,
      schemaVersion: r.schema_version,
      keyKind: r.key_kind,
      items: ZItems.parse(json(r.items)),
      recordCount: Number(r.record_count ?? 0),
      lastWrittenAt: iso(r.last_written_at),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      // Quality at a glance (use-cases/quality.ts): declared frequency, freshness, last accepted batch, open quarantine.
      updateFrequency: statuses.get(r.id)?.updateFrequency ?? null,
      freshness: statuses.get(r.id)?.freshness ?? { status: 'not_applicable' as const, dueAt: null },
      lastUpdatedAt: iso(statuses.get(r.id)?.lastUpdatedAt),
      openQuarantine: statuses.get(r.id)?.openQuarantine ?? 0,
    })),
  };
}

/** The dataset of a code for the provider's reads; undefined when no batch has been sent yet. */
export async function readableDataset(ctx: Ctx, code: string) {
  const db = ctx.app.database.db;
  const entry = await getPublishedEntry(db, code, (d) => canReadOwn(ctx.actor, d), 'read another department’s dataset 查看其他部门的数据集');
  return repo.findDatasetByEntry(db, entry.id);
}

/** A dataset's batches, newest first. */
export async function listDatasetBatches(ctx: Ctx, code: string, page: { page: number; pageSize: number }) {
  const ds = await readableDataset(ctx, code);
  if (!ds) return { items: [] };
  const rows = await repo.listBatches(ctx.app.database.db, ds.id, page.page, page.pageSize);
  return {
    items: rows.map((b) => ({
      id: b.id,
      idempotencyKey: b.idempotency_key,
      mode: b.mode,
      status: b.status,
      received: b.received,
      accepted: b.accepted,
      rejected: b.rejected,
      createdBy: b.created_by,
      createdAt: iso(b.created_at),
    })),
  };
}

/** A dataset's quarantined rows (identifier values masked) with their errors, newest first. */
export async function listDatasetQuarantine(ctx: Ctx, code: string, q: { status?: QuarantineStatus | undefined; page: number; pageSize: number }) {
  const ds = await readableDataset(ctx, code);
  if (!ds) return { items: [] };
  const db = ctx.app.database.db;
  const rows = await repo.listQuarantine(db, ds.id, q.status, q.page, q.pageSize);
  return { items: await presentQuarantineRows(db, rows, ds.key_kind) };
}

/** The dataset collected for a catalog entry (its id and how records are keyed), if data was ever sent. */
export async function datasetOfEntry(db: Executor, entryId: string): Promise<{ id: string; key_kind: 'subject' | 'declared' } | undefined> {
  const d = await repo.findDatasetByEntry(db, entryId);
  return d ? { id: d.id, key_kind: d.key_kind } : undefined;
}
