import { record } from '../../../platform/audit/audit.js';
import { type Executor, inTransaction } from '../../../platform/db/index.js';
import { AppError } from '../../../platform/errors.js';
import type { Ctx } from '../../../platform/http/index.js';
import { collectionError } from '../collection.errors.js';
import type { TSchemaItem } from '../collection.schema.js';

/**
 * One data, one source (一数一源, SPEC B3): a data item that declares the basic data item it
 * carries (`basicItemId`) is written only by that basic item's responsible department. Another
 * department's batch with a non-empty value for such an item is refused as a whole, before
 * anything is written. Datasets without such items cost no query.
 */

/** True when a record carries a value for the item: present, not null, not blank text. */
function hasValue(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  return typeof v !== 'string' || v.trim() !== '';
}

/** The values object of a record as sent, when it is one (malformed rows are validate-rows' business). */
function valuesOf(rec: unknown): Record<string, unknown> | undefined {
  if (typeof rec !== 'object' || rec === null) return undefined;
  const values = (rec as { values?: unknown }).values;
  return typeof values === 'object' && values !== null && !Array.isArray(values) ? (values as Record<string, unknown>) : undefined;
}

/**
 * Refuses (422 COLLECTION_NOT_SOURCE, audited as `collection.write_refused`) a batch of
 * `departmentId` that carries values of basic data items another department is responsible
 * for; the detail names each item and its responsible department in Chinese and English.
 */
export async function assertOneSource(db: Executor, dataset: { code: string; department_id: string; items: readonly TSchemaItem[] }, records: readonly unknown[]): Promise<void> {
  const linked = dataset.items.filter((i) => i.basicItemId);
  if (!linked.length) return;
  const basics = await db
    .selectFrom('basic_items as b')
    .innerJoin('departments as d', 'd.id', 'b.department_id')
    .select(['b.id', 'b.name', 'b.name_en', 'b.department_id', 'd.name as department_name', 'd.name_en as department_name_en'])
    .where('b.id', 'in', [...new Set(linked.map((i) => i.basicItemId as string))])
    .execute();
  const byId = new Map(basics.map((b) => [b.id, b]));
  const foreign = linked.flatMap((item) => {
    const b = byId.get(item.basicItemId as string);
    return b && b.department_id !== dataset.department_id ? [{ item, basic: b }] : [];
  });
  if (!foreign.length) return;
  const offending = foreign
    .map((f) => ({ ...f, rows: records.reduce<number>((n, rec) => n + (hasValue(valuesOf(rec)?.[f.item.nameEn]) ? 1 : 0), 0) }))
    .filter((f) => f.rows > 0);
  if (!offending.length) return;
  const zh = offending.map((f) => `信息项“${f.item.name}”（基准信息“${f.basic.name}”）的责任部门为${f.basic.department_name}`).join('；');
  const en = offending
    .map((f) => `data item “${f.item.name}” (${f.item.nameEn}, basic item ${f.basic.name_en || f.basic.name}) is the responsibility of ${f.basic.department_name_en || f.basic.department_name} (${f.basic.department_name})`)
    .join('; ');
  throw collectionError(
    'COLLECTION_NOT_SOURCE',
    `数据集 ${dataset.code}：${zh}，本部门不得写入（一数一源），未写入任何记录。One data, one source (dataset ${dataset.code}): ${en}; only that department writes it, so nothing was written.`,
    {
      auditDenied: true,
      auditAction: 'collection.write_refused',
      errors: offending.map((f) => ({
        field: f.item.nameEn,
        rule: 'one_source',
        message: `responsible department: ${f.basic.department_name} 责任部门：${f.basic.department_name}（${f.rows} rows 行）`,
      })),
    },
  );
}

/** True for the refusal assertOneSource throws. */
export function isOneSourceRefusal(err: unknown): err is AppError {
  return err instanceof AppError && err.code === 'COLLECTION_NOT_SOURCE';
}

/**
 * Audits a one-source refusal that happened outside a request (a background upload), in a
 * transaction of its own since the refused work rolled back. Requests are audited by the HTTP
 * error handler. Does nothing for other errors.
 */
export async function auditOneSourceRefusal(ctx: Ctx, err: unknown, target: { dataset: string; uploadId: string }): Promise<void> {
  if (!isOneSourceRefusal(err)) return;
  await inTransaction(ctx.app.database.db, (tx) =>
    record(tx, {
      actor: ctx.actor,
      action: 'collection.write_refused',
      targetType: 'upload',
      targetId: target.uploadId,
      outcome: 'denied',
      requestId: ctx.requestId,
      details: { code: err.code, detail: err.message, dataset: target.dataset },
      at: ctx.app.clock.now(),
    }),
  );
}
