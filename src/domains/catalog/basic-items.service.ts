import { sql } from 'kysely';
import { hasRole } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { type Executor, inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import { catalogError } from './catalog.errors.js';
import type { TBasicItemClaim } from './catalog.schema.js';

/** The basic-information catalog (基准信息目录): items with their one responsible department. */
export async function listBasicItems(ctx: Ctx, f: { subject?: string | undefined; departmentId?: string | undefined; q?: string | undefined }) {
  let q = ctx.app.database.db
    .selectFrom('basic_items as b')
    .innerJoin('departments as d', 'd.id', 'b.department_id')
    .selectAll('b')
    .select('d.name as department_name');
  if (f.subject) q = q.where('b.subject', '=', f.subject);
  if (f.departmentId) q = q.where('b.department_id', '=', f.departmentId);
  if (f.q) {
    const like = `%${f.q.replace(/[%_\\]/g, '')}%`;
    q = q.where((eb) => eb.or([eb('b.name', 'ilike', like), eb('b.name_en', 'ilike', like), eb('b.category', 'ilike', like)]));
  }
  const rows = await q.orderBy('b.subject').orderBy('b.category').orderBy(sql`b.created_at`).orderBy('b.name').execute();
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    category: r.category,
    categoryEn: r.category_en,
    name: r.name,
    nameEn: r.name_en,
    departmentId: r.department_id,
    departmentName: r.department_name,
    sources: r.sources as string[],
  }));
}

/**
 * A department claims responsibility for a new basic data item. One data, one source: an item
 * that already has a responsible department is refused, naming that department.
 */
export async function claimBasicItem(ctx: Ctx, input: TBasicItemClaim & { departmentId?: string; sources?: string[] }) {
  const departmentId = input.departmentId ?? ctx.actor.departmentId;
  if (!departmentId) throw platformError('FORBIDDEN', 'Only a department can take responsibility for a data item.');
  if (ctx.actor.kind === 'user' && departmentId !== ctx.actor.departmentId && !hasRole(ctx.actor, 'authority')) {
    throw platformError('FORBIDDEN', 'Claim items only for your own department. 只能为本部门认领。');
  }
  const now = ctx.app.clock.now();
  return inTransaction(ctx.app.database.db, async (tx) => {
    const existing = await tx
      .selectFrom('basic_items as b')
      .innerJoin('departments as d', 'd.id', 'b.department_id')
      .select(['b.id', 'd.name as department_name'])
      .where('b.category', '=', input.category)
      .where('b.name', '=', input.name)
      .executeTakeFirst();
    if (existing) {
      throw catalogError('CATALOG_BASIC_ITEM_TAKEN', `“${input.category} / ${input.name}” is already the responsibility of ${existing.department_name}. 该数据项的责任部门为${existing.department_name}（一数一源）。`, {
        auditDenied: true,
        errors: [{ field: 'name', rule: 'one_source', message: `responsible department: ${existing.department_name}` }],
      });
    }
    const id = uuidv7();
    await tx
      .insertInto('basic_items')
      .values({
        id,
        subject: input.subject,
        category: input.category,
        category_en: input.categoryEn,
        name: input.name,
        name_en: input.nameEn,
        department_id: departmentId,
        sources: JSON.stringify(input.sources ?? []),
        created_at: now,
        updated_at: now,
      })
      .execute();
    await record(tx, { actor: ctx.actor, action: 'basic_item.claimed', targetType: 'basic_item', targetId: id, requestId: ctx.requestId, at: now, details: { category: input.category, name: input.name, departmentId } });
    return { id, ...input, departmentId };
  });
}

/** The authority moves an item to another responsible department, with a reason; audited. */
export async function reassignBasicItem(ctx: Ctx, id: string, input: { departmentId: string; reason: string }) {
  const now = ctx.app.clock.now();
  return inTransaction(ctx.app.database.db, async (tx) => {
    const item = await tx.selectFrom('basic_items').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!item) throw catalogError('CATALOG_NOT_FOUND', 'No such basic data item.');
    const dept = await tx.selectFrom('departments').select(['id', 'name']).where('id', '=', input.departmentId).executeTakeFirst();
    if (!dept) {
      throw platformError('VALIDATION_FAILED', 'Unknown department.', { errors: [{ field: 'departmentId', rule: 'exists', message: 'unknown department 部门不存在' }] });
    }
    await tx.updateTable('basic_items').set({ department_id: dept.id, updated_at: now }).where('id', '=', id).execute();
    await record(tx, {
      actor: ctx.actor,
      action: 'basic_item.reassigned',
      targetType: 'basic_item',
      targetId: id,
      requestId: ctx.requestId,
      at: now,
      details: { from: item.department_id, to: dept.id, reason: input.reason },
    });
    return { id, departmentId: dept.id, departmentName: dept.name };
  });
}

/**
 * Checks that every basic data item a version's data items declare (`basicItemId`) exists;
 * refuses with VALIDATION_FAILED naming each offending item. Run on submit and publish.
 */
export async function assertBasicItemsExist(db: Executor, items: readonly { basicItemId?: string | null | undefined }[]): Promise<void> {
  const ids = [...new Set(items.map((i) => i.basicItemId).filter((id): id is string => Boolean(id)))];
  if (!ids.length) return;
  const found = new Set((await db.selectFrom('basic_items').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
  const errors = items.flatMap((item, i) =>
    item.basicItemId && !found.has(item.basicItemId)
      ? [{ field: `items[${i}].basicItemId`, rule: 'exists', message: 'unknown basic data item 基准信息项不存在' }]
      : [],
  );
  if (errors.length) throw platformError('VALIDATION_FAILED', 'A data item names a basic data item that does not exist. 信息项关联的基准信息项不存在。', { errors });
}

/** One basic data item with its responsible department, or undefined. */
export async function findBasicItem(db: Executor, id: string) {
  const r = await db
    .selectFrom('basic_items as b')
    .innerJoin('departments as d', 'd.id', 'b.department_id')
    .select(['b.id', 'b.subject', 'b.category', 'b.category_en', 'b.name', 'b.name_en', 'b.department_id', 'd.name as department_name', 'd.name_en as department_name_en'])
    .where('b.id', '=', id)
    .executeTakeFirst();
  return r
    ? {
        id: r.id,
        subject: r.subject,
        category: r.category,
        categoryEn: r.category_en,
        name: r.name,
        nameEn: r.name_en,
        departmentId: r.department_id,
        departmentName: r.department_name,
        departmentNameEn: r.department_name_en,
      }
    : undefined;
}
