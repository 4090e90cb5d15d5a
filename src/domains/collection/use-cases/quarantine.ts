import { record } from '../../../platform/audit/audit.js';
import { type Executor, inTransaction } from '../../../platform/db/index.js';
import type { FieldError } from '../../../platform/errors.js';
import type { Ctx } from '../../../platform/http/index.js';
import { hasSubject, revealSubject, } from '../../../platform/vault/index.js';
import { collectionError } from '../collection.errors.js';
import type { RowError, TQuarantineFix } from '../collection.schema.js';
import { lockDatasetForWrite, readableDataset } from '../collection.service.js';
import { isBlank } from '../record-values.js';
import { applyBatch, } from './apply-batch.js';
import { checkRow, schemaOf } from './validate-rows.js';

/**
 * Fixing quarantined rows (B4, 003 §13: anomalies go back to the provider to fix and
 * resubmit). A fixed row is applied as a batch of its own through the batch use-case, so
 * history, idempotency, audit and the one-source checks all apply to it as to any batch.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

type StoredRow = { key?: unknown; values?: Record<string, unknown>; deleted?: unknown; unreadable?: true };

function notFound(id: string) {
  return collectionError('COLLECTION_QUARANTINE_NOT_FOUND', `No quarantined row ${id} in this dataset. 该数据集中没有此隔离记录。`);
}

function findRow(db: Executor, datasetId: string, id: string) {
  return db.selectFrom('collection_quarantine').selectAll().where('dataset_id', '=', datasetId).where('id', '=', id).executeTakeFirst();
}

type QuarantineRowDb = NonNullable<Awaited<ReturnType<typeof findRow>>>;

/** A quarantined row as the API shows it; `identifierRecoverable`: a fix may leave the identifier out. */
async function present(db: Executor, r: QuarantineRowDb, keyKind: 'subject' | 'declared') {
  return {
    id: r.id,
    batchId: r.batch_id,
    row: r.row_no,
    raw: json(r.raw) as StoredRow,
    errors: json(r.errors) as RowError[],
    status: r.status,
    createdAt: iso(r.created_at),
    identifierRecoverable: keyKind === 'subject' && r.record_key !== null && (await hasSubject(db, r.record_key)),
    resubmittedBatchId: r.resubmitted_batch_id,
    resolvedAt: iso(r.resolved_at),
  };
}

/** One quarantined row of a dataset (identifier values masked), for its providers. */
export async function getQuarantineRow(ctx: Ctx, code: string, id: string) {
  const ds = await readableDataset(ctx, code);
  if (!ds || !UUID.test(id)) throw notFound(id);
  const db = ctx.app.database.db;
  const r = await findRow(db, ds.id, id);
  if (!r) throw notFound(id);
  return present(db, r, ds.key_kind);
}

/** True when a sent identifier value means "keep the one the row had": absent, blank, or the masked form. */
function keepsIdentifier(sent: unknown, shown: unknown): boolean {
  return isBlank(sent) || (typeof sent === 'string' && (sent === shown || sent.includes('*')));
}

/**
 * Fixes a quarantined row: rebuilds the record from the corrected values (the identifier from
 * the vault by the row's token when left out or sent masked), checks it against the dataset's
 * schema and, when valid, applies it as a single-row atomic batch; the row becomes
 * 'resubmitted' and links to that batch. Still invalid: 422 with the field errors, nothing changes.
 */
export async function fixQuarantineRow(ctx: Ctx, code: string, id: string, body: TQuarantineFix) {
  return inTransaction(ctx.app.database.db, async (tx) => {
    const dataset = await lockDatasetForWrite(tx, ctx, code);
    if (!UUID.test(id)) throw notFound(id);
    const row = await tx.selectFrom('collection_quarantine').selectAll().where('dataset_id', '=', dataset.id).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound(id);
    if (row.status !== 'open') throw collectionError('COLLECTION_QUARANTINE_CLOSED', `This row was ${row.status} already. 该隔离记录已处理。`);
    const stored = json(row.raw) as StoredRow;
    const schema = schemaOf(dataset.items);
    const values: Record<string, unknown> = { ...body.values };
    const invalid = (errors: FieldError[]) =>
      collectionError('COLLECTION_QUARANTINE_INVALID', 'The corrected row still fails the dataset’s checks; it stays in quarantine. 修正后的记录仍未通过校验，仍保留在隔离区。', { errors });

    if (schema.identifier) {
      const name = schema.identifier.nameEn;
      if (keepsIdentifier(values[name], stored.values?.[name])) {
        if (!row.record_key || !(await hasSubject(tx, row.record_key))) {
          throw invalid([{ field: name, rule: 'required', message: `${schema.identifier.name} (${name}): the identifier of this row cannot be recovered; type the full value 无法恢复原标识号码，请输入完整号码` }]);
        }
        values[name] = (await revealSubject(tx, ctx.app.vault, row.record_key)).value;
      }
    }
    const key = schema.identifier ? undefined : (body.key ?? row.record_key ?? (typeof stored.key === 'string' ? stored.key : undefined));
    const input = { ...(key !== undefined ? { key } : {}), values, ...(stored.deleted === true ? { deleted: true } : {}) };

    // Checked first so that a still-bad row leaves no rejected batch behind.
    const checked = checkRow({ schema, keyring: ctx.app.vault, now: ctx.app.clock.now(), row: 0, input });
    if (checked.errors.length) throw invalid(checked.errors.map(({ field, rule, message }) => ({ field, rule, message })));
    const { response } = await applyBatch(tx, ctx, { dataset, mode: 'atomic', idempotencyKey: `quarantine:${row.id}`, records: [input] });
    if (response.status === 'rejected') throw invalid(response.errors.map(({ field, rule, message }) => ({ field, rule, message })));

    const now = ctx.app.clock.now();
    await tx
      .updateTable('collection_quarantine')
      .set({ status: 'resubmitted', resubmitted_batch_id: response.batchId, resolved_by: ctx.actor.id, resolved_at: now })
      .where('id', '=', row.id)
      .execute();
    await record(tx, {
      actor: ctx.actor,
      action: 'collection.quarantine_resubmitted',
      targetType: 'dataset',
      targetId: dataset.id,
      requestId: ctx.requestId,
      details: { dataset: dataset.code, quarantineId: row.id, fromBatchId: row.batch_id, batchId: response.batchId },
      at: now,
    });
    return { status: 'resubmitted' as const, batchId: response.batchId };
  });
}

/** Discards an open quarantined row (it is kept, marked 'discarded'), audited. */
export async function discardQuarantineRow(ctx: Ctx, code: string, id: string) {
  return inTransaction(ctx.app.database.db, async (tx) => {
    const dataset = await lockDatasetForWrite(tx, ctx, code);
    if (!UUID.test(id)) throw notFound(id);
    const row = await tx.selectFrom('collection_quarantine').select(['id', 'status', 'batch_id']).where('dataset_id', '=', dataset.id).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound(id);
    if (row.status !== 'open') throw collectionError('COLLECTION_QUARANTINE_CLOSED', `This row was ${row.status} already. 该隔离记录已处理。`);
    const now = ctx.app.clock.now();
    await tx.updateTable('collection_quarantine').set({ status: 'discarded', resolved_by: ctx.actor.id, resolved_at: now }).where('id', '=', row.id).execute();
    await record(tx, {
      actor: ctx.actor,
      action: 'collection.quarantine_discarded',
      targetType: 'dataset',
      targetId: dataset.id,
      requestId: ctx.requestId,
      details: { dataset: dataset.code, quarantineId: row.id, fromBatchId: row.batch_id },
      at: now,
    });
    return { status: 'discarded' as const };
  });
}

/** Presents a page of quarantined rows (the list endpoint). */
export async function presentQuarantineRows(db: Executor, rows: QuarantineRowDb[], keyKind: 'subject' | 'declared') {
  const out = [];
  for (const r of rows) out.push(await present(db, r, keyKind));
  return out;
}
