import { record } from '../../platform/audit/audit.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import { catalogError } from './catalog.errors.js';
import { canManageLists } from './catalog.policy.js';
import type { TListItemInput } from './catalog.schema.js';

/** A department's responsibility, demand and negative lists (001-data §21); readable by all departments. */
export async function listDepartmentLists(ctx: Ctx, departmentId: string) {
  const rows = await ctx.app.database.db
    .selectFrom('department_lists as l')
    .leftJoin('catalog_entries as e', 'e.id', 'l.entry_id')
    .selectAll('l')
    .select('e.code as entry_code')
    .where('l.department_id', '=', departmentId)
    .orderBy('l.kind')
    .orderBy('l.created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    title: r.title,
    description: r.description,
    entryId: r.entry_id,
    entryCode: r.entry_code,
    createdAt: new Date(r.created_at).toISOString(),
  }));
}

/** Adds an item to one of a department's lists. */
export async function addListItem(ctx: Ctx, departmentId: string, input: TListItemInput) {
  if (!canManageLists(ctx.actor, departmentId)) throw platformError('FORBIDDEN', "Only the department's administrator or editor maintains its lists. 无权维护其他部门清单。");
  const now = ctx.app.clock.now();
  return inTransaction(ctx.app.database.db, async (tx) => {
    if (!(await tx.selectFrom('departments').select('id').where('id', '=', departmentId).executeTakeFirst())) throw catalogError('CATALOG_NOT_FOUND', 'No such department.');
    if (input.entryId && !(await tx.selectFrom('catalog_entries').select('id').where('id', '=', input.entryId).executeTakeFirst())) {
      throw platformError('VALIDATION_FAILED', 'Unknown catalog entry.', { errors: [{ field: 'entryId', rule: 'exists', message: 'unknown entry 目录不存在' }] });
    }
    const id = uuidv7();
    await tx
      .insertInto('department_lists')
      .values({ id, department_id: departmentId, kind: input.kind, title: input.title, description: input.description, entry_id: input.entryId, created_at: now, created_by: ctx.actor.id as string })
      .execute();
    await record(tx, { actor: ctx.actor, action: 'list.item_added', targetType: 'department_list', targetId: id, requestId: ctx.requestId, at: now, details: { departmentId, kind: input.kind, title: input.title } });
    return { id, ...input, createdAt: now.toISOString() };
  });
}

/** Removes a list item. */
export async function removeListItem(ctx: Ctx, departmentId: string, itemId: string) {
  if (!canManageLists(ctx.actor, departmentId)) throw platformError('FORBIDDEN', "Only the department's administrator or editor maintains its lists. 无权维护其他部门清单。");
  await inTransaction(ctx.app.database.db, async (tx) => {
    const row = await tx.deleteFrom('department_lists').where('id', '=', itemId).where('department_id', '=', departmentId).returning(['kind', 'title']).executeTakeFirst();
    if (!row) throw catalogError('CATALOG_NOT_FOUND', 'No such list item.');
    await record(tx, { actor: ctx.actor, action: 'list.item_removed', targetType: 'department_list', targetId: itemId, requestId: ctx.requestId, at: ctx.app.clock.now(), details: { departmentId, ...row } });
  });
}
