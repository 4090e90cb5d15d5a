import type { Transaction } from 'kysely';
import { hasRole } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import type { AuditAction } from '../../platform/audit/actions.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { type DB, type Executor, inTransaction } from '../../platform/db/index.js';
import { type FieldError, platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import { assertBasicItemsExist } from './basic-items.service.js';
import { catalogError } from './catalog.errors.js';
import { canEdit, canSeeUnpublished, seesAllDepartments } from './catalog.policy.js';
import { diffFields, fieldsOf, presentSummary, presentVersion, searchTextOf } from './catalog.present.js';
import * as repo from './catalog.repo.js';
import { type EntryStatus, type TEntryFields, type TSearchQuery, ZEntryFields } from './catalog.schema.js';
import { EDITABLE_STATUSES, type EntryAction, findTransition } from './catalog.states.js';

/** Validates entry fields outside HTTP (imports, seeding), reporting every problem by field. */
export function parseEntryFields(input: unknown, fieldPrefix = ''): { ok: true; fields: TEntryFields } | { ok: false; errors: FieldError[] } {
  const result = ZEntryFields.safeParse(input);
  if (result.success) return { ok: true, fields: result.data };
  return {
    ok: false,
    errors: result.error.issues.map((i) => ({
      field: fieldPrefix + i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n ? `.${String(p)}` : String(p))).join(''),
      rule: String((i as { params?: { rule?: string } }).params?.rule ?? i.code),
      message: i.message,
    })),
  };
}

function forbidden(what: string) {
  return platformError('FORBIDDEN', `Not allowed: ${what}. 无权操作：${what}。`);
}

async function assertNameFree(tx: Transaction<DB>, name: string, entryId?: string) {
  if (await repo.findLiveName(tx, name, entryId)) {
    throw catalogError('CATALOG_NAME_TAKEN', `Another entry is named “${name}”.`, {
      errors: [{ field: 'name', rule: 'unique', message: 'name already used in the catalog 目录名称已存在' }],
    });
  }
}

/** Reads an entry version the actor may see, or NOT_FOUND (others' unpublished work is not disclosed). */
async function getVisibleVersion(ctx: Ctx, entryId: string, version?: number) {
  const row = await repo.findEntryVersion(ctx.app.database.db, entryId, version);
  if (!row) throw catalogError('CATALOG_NOT_FOUND');
  if (!canSeeUnpublished(ctx.actor, row.department_id)) {
    const visible = row.published_version !== null && (version === undefined || row.status === 'published' || row.status === 'superseded');
    if (!visible) throw catalogError('CATALOG_NOT_FOUND');
  }
  return row;
}

/** An entry with the version the actor should see first and the version list. */
export async function getEntry(ctx: Ctx, entryId: string) {
  const latest = await getVisibleVersion(ctx, entryId);
  const own = canSeeUnpublished(ctx.actor, latest.department_id);
  // Outsiders see the published version, never a draft that follows it.
  const current = own || latest.version === latest.published_version ? latest : await getVisibleVersion(ctx, entryId, latest.published_version ?? undefined);
  const versions = (await repo.listVersions(ctx.app.database.db, entryId))
    .filter((v) => own || v.status === 'published' || v.status === 'superseded')
    .map((v) => ({
      version: v.version,
      status: v.status as EntryStatus,
      createdAt: new Date(v.created_at).toISOString(),
      createdByName: v.created_by_name,
      publishedAt: v.published_at ? new Date(v.published_at).toISOString() : null,
    }));
  return {
    id: latest.id,
    code: latest.code,
    departmentId: latest.department_id,
    departmentName: latest.department_name,
    latestVersion: own ? latest.latest_version : (latest.published_version ?? 0),
    publishedVersion: latest.published_version,
    status: current.status as EntryStatus,
    current: presentVersion(current),
    versions,
  };
}

/**
 * The published version of an entry by resource code or id, for other domains (collection
 * builds a dataset from it); undefined when there is none. No visibility check: published
 * catalog metadata is open to every department.
 */
export async function findPublishedEntry(db: Executor, codeOrId: string) {
  const row = await repo.findPublishedByCodeOrId(db, codeOrId);
  if (!row || row.published_version === null) return undefined;
  return { id: row.id, code: row.code, departmentId: row.department_id, publishedVersion: row.published_version, fields: fieldsOf(row) };
}

/** One version by number. */
export async function getVersion(ctx: Ctx, entryId: string, version: number) {
  return presentVersion(await getVisibleVersion(ctx, entryId, version));
}

/** Field-by-field comparison of two versions of an entry. */
export async function diffVersions(ctx: Ctx, entryId: string, from: number, to: number) {
  const [a, b] = await Promise.all([getVisibleVersion(ctx, entryId, from), getVisibleVersion(ctx, entryId, to)]);
  return { from, to, changes: diffFields(fieldsOf(a), fieldsOf(b)) };
}

/** Writes a draft version of an entry with the actor as its author. */
async function insertDraftVersion(tx: Transaction<DB>, ctx: Ctx, entryId: string, version: number, fields: TEntryFields) {
  const now = ctx.app.clock.now();
  await repo.insertVersion(tx, {
    id: uuidv7(),
    entry_id: entryId,
    version,
    status: 'draft',
    name: fields.name,
    data: JSON.stringify(fields),
    search_text: searchTextOf(fields),
    created_at: now,
    created_by: ctx.actor.id as string,
    edited_by: [ctx.actor.id as string],
    updated_at: now,
  });
}

/**
 * Writes a new entry (version 1, draft) for the actor's department inside the caller's
 * transaction and returns its id; its code is generated from the classification code.
 */
export async function insertNewEntry(tx: Transaction<DB>, ctx: Ctx, fields: TEntryFields): Promise<string> {
  const departmentId = ctx.actor.departmentId;
  if (!departmentId || !canEdit(ctx.actor, departmentId)) throw forbidden('draft catalog entries 编制目录');
  const now = ctx.app.clock.now();
  const id = uuidv7();
  await assertNameFree(tx, fields.name);
  await repo.lockClassCode(tx, fields.classCode);
  const seq = await repo.nextSeq(tx, fields.classCode);
  const code = `${fields.classCode}/${String(seq).padStart(6, '0')}`;
  await repo.insertEntry(tx, {
    id,
    code,
    class_code: fields.classCode,
    seq,
    department_id: departmentId,
    latest_version: 1,
    published_version: null,
    created_at: now,
    created_by: ctx.actor.id as string,
  });
  await insertDraftVersion(tx, ctx, id, 1, fields);
  await record(tx, { actor: ctx.actor, action: 'catalog.entry_created', targetType: 'catalog_entry', targetId: id, requestId: ctx.requestId, at: now, details: { code, name: fields.name } });
  return id;
}

/** Drafts a new entry (version 1) for the editor's own department. */
export async function createEntry(ctx: Ctx, fields: TEntryFields) {
  const id = await inTransaction(ctx.app.database.db, (tx) => insertNewEntry(tx, ctx, fields));
  return getEntry(ctx, id);
}

/** Replaces the content of the latest version while it is a draft or returned. */
export async function updateDraft(ctx: Ctx, entryId: string, fields: TEntryFields) {
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const entry = await repo.lockEntry(tx, entryId);
    if (!entry || !canSeeUnpublished(ctx.actor, entry.department_id) && entry.published_version === null) throw catalogError('CATALOG_NOT_FOUND');
    if (!canEdit(ctx.actor, entry.department_id)) throw forbidden("edit another department's entry 编辑其他部门目录");
    const latest = (await repo.findEntryVersion(tx, entryId)) as repo.EntryVersionRow;
    if (!EDITABLE_STATUSES.includes(latest.status as EntryStatus)) {
      throw catalogError('CATALOG_NOT_EDITABLE', `Version ${latest.version} is ${latest.status}; a published entry changes only through a new version.`, { auditDenied: true });
    }
    if (fields.classCode !== entry.class_code) {
      throw platformError('VALIDATION_FAILED', 'The classification code is part of the resource code and cannot change.', {
        errors: [{ field: 'classCode', rule: 'immutable', message: `must stay ${entry.class_code} 分类代码不可修改` }],
      });
    }
    await assertNameFree(tx, fields.name, entryId);
    const editedBy = latest.edited_by.includes(ctx.actor.id as string) ? latest.edited_by : [...latest.edited_by, ctx.actor.id as string];
    await repo.updateVersion(tx, entryId, latest.version, { name: fields.name, data: JSON.stringify(fields), search_text: searchTextOf(fields), edited_by: editedBy, updated_at: now });
    await record(tx, { actor: ctx.actor, action: 'catalog.draft_updated', targetType: 'catalog_entry', targetId: entryId, requestId: ctx.requestId, at: now, details: { version: latest.version } });
  });
  return getEntry(ctx, entryId);
}

/** Opens a new draft version copied from the published one; the published one stays in force. */
export async function openNewVersion(ctx: Ctx, entryId: string) {
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const entry = await repo.lockEntry(tx, entryId);
    if (!entry || (!canSeeUnpublished(ctx.actor, entry.department_id) && entry.published_version === null)) throw catalogError('CATALOG_NOT_FOUND');
    if (!canEdit(ctx.actor, entry.department_id)) throw forbidden("version another department's entry 修订其他部门目录");
    if (entry.published_version === null || entry.latest_version !== entry.published_version) {
      throw catalogError('CATALOG_OPEN_VERSION_EXISTS', 'Finish or publish the open version first; only a published entry gets a new version.', { auditDenied: true });
    }
    const published = (await repo.findEntryVersion(tx, entryId, entry.published_version)) as repo.EntryVersionRow;
    const fields = fieldsOf(published);
    const version = entry.latest_version + 1;
    await insertDraftVersion(tx, ctx, entryId, version, fields);
    await repo.updateEntry(tx, entryId, { latest_version: version });
    await record(tx, { actor: ctx.actor, action: 'catalog.version_created', targetType: 'catalog_entry', targetId: entryId, requestId: ctx.requestId, at: now, details: { version } });
  });
  return getEntry(ctx, entryId);
}

const ACTION_AUDIT: Record<EntryAction, AuditAction> = {
  submit: 'catalog.submitted',
  approve: 'catalog.approved',
  return: 'catalog.returned',
  publish: 'catalog.published',
};

/**
 * Moves the latest version along the workflow table: row lock, table and policy checks, new
 * status, history row and audit entry in one transaction.
 */
export async function transitionEntry(ctx: Ctx, entryId: string, input: { action: EntryAction; reason?: string | undefined }) {
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const entry = await repo.lockEntry(tx, entryId);
    if (!entry || (!canSeeUnpublished(ctx.actor, entry.department_id) && entry.published_version === null)) throw catalogError('CATALOG_NOT_FOUND');
    const latest = (await repo.findEntryVersion(tx, entryId)) as repo.EntryVersionRow;
    const from = latest.status as EntryStatus;
    const t = findTransition(from, input.action);
    if (!t) {
      throw catalogError('CATALOG_ILLEGAL_TRANSITION', `Cannot ${input.action} a version that is ${from}. 当前状态（${from}）不能执行该操作。`, { auditDenied: true });
    }
    if (!hasRole(ctx.actor, ...t.roles) || (t.sameDepartment && ctx.actor.departmentId !== entry.department_id)) {
      throw forbidden(`${input.action} this entry (needs ${t.roles.join('/')}${t.sameDepartment ? ' of the providing department' : ''}) ${input.action}`);
    }
    if (input.action === 'approve' && (latest.edited_by.includes(ctx.actor.id as string) || latest.submitted_by === ctx.actor.id)) {
      throw catalogError('CATALOG_SELF_APPROVAL', 'The reviewer must be someone other than the people who drafted, edited or submitted this version.');
    }
    if (input.action === 'return' && !input.reason) {
      throw catalogError('CATALOG_REASON_REQUIRED', undefined, { errors: [{ field: 'reason', rule: 'required', message: 'a return needs a reason 退回须说明理由' }] });
    }
    if (input.action === 'submit') await assertNameFree(tx, latest.name, entryId);
    // One data, one source: a data item may only name a basic data item that exists.
    if (input.action === 'submit' || input.action === 'publish') await assertBasicItemsExist(tx, fieldsOf(latest).items);
    const patch: Parameters<typeof repo.updateVersion>[3] = { status: t.to, updated_at: now };
    if (input.action === 'submit') Object.assign(patch, { submitted_by: ctx.actor.id, return_reason: null });
    if (input.action === 'approve') patch.approved_by = ctx.actor.id;
    if (input.action === 'return') patch.return_reason = input.reason ?? null;
    if (input.action === 'publish') Object.assign(patch, { published_at: now, published_by: ctx.actor.id });
    if (input.action === 'publish' && entry.published_version !== null) {
      await repo.updateVersion(tx, entryId, entry.published_version, { status: 'superseded', updated_at: now });
    }
    await repo.updateVersion(tx, entryId, latest.version, patch);
    if (input.action === 'publish') await repo.updateEntry(tx, entryId, { published_version: latest.version });
    await repo.insertTransition(tx, {
      id: uuidv7(),
      entry_id: entryId,
      version: latest.version,
      action: input.action,
      from_status: from,
      to_status: t.to,
      reason: input.reason ?? null,
      actor_id: ctx.actor.id as string,
      at: now,
    });
    await record(tx, {
      actor: ctx.actor,
      action: ACTION_AUDIT[input.action],
      targetType: 'catalog_entry',
      targetId: entryId,
      requestId: ctx.requestId,
      at: now,
      details: { version: latest.version, from, to: t.to, ...(input.reason ? { reason: input.reason } : {}) },
    });
  });
  return getEntry(ctx, entryId);
}

/** The working list: own department's entries in any state, others' once published. */
export async function listEntries(ctx: Ctx, f: { departmentId?: string | undefined; status?: string | undefined; page: number; pageSize: number }) {
  const [rows, total] = await repo.listWorking(ctx.app.database.db, {
    ...f,
    visibleDepartmentId: ctx.actor.departmentId,
    seesAll: seesAllDepartments(ctx.actor),
  });
  return { items: rows.map((r) => presentSummary(r)), total: Number(total.n) };
}

/** Published entries matching words and filters, most relevant first. */
export async function searchCatalog(ctx: Ctx, q: TSearchQuery) {
  const { rows, total } = await repo.searchPublished(ctx.app.database.db, q);
  return { items: rows.map((r) => presentSummary(r)), total };
}

/** Versions waiting for this actor's decision: reviewers see their department's submissions, the authority approved ones. */
export async function reviewQueue(ctx: Ctx) {
  const db = ctx.app.database.db;
  const items: repo.EntryVersionRow[] = [];
  if (hasRole(ctx.actor, 'catalog_reviewer') && ctx.actor.departmentId) items.push(...(await repo.listByLatestStatus(db, ['submitted'], ctx.actor.departmentId)));
  if (hasRole(ctx.actor, 'authority')) items.push(...(await repo.listByLatestStatus(db, ['approved'])));
  return { items: items.map((r) => presentSummary(r)) };
}

/** Returned versions of the editor's department that wait for a fix. */
export async function returnedForFix(ctx: Ctx) {
  if (!hasRole(ctx.actor, 'catalog_editor') || !ctx.actor.departmentId) return [];
  return (await repo.listByLatestStatus(ctx.app.database.db, ['returned'], ctx.actor.departmentId)).map((r) => presentSummary(r));
}

/** The declared update frequency (更新周期) of the published version of each entry, by entry id (collection's freshness checks). */
export async function publishedUpdateFrequencies(db: Executor, entryIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < entryIds.length; i += 1000) {
    const chunk = entryIds.slice(i, i + 1000);
    if (!chunk.length) continue;
    for (const r of await repo.listPublishedFrequencies(db, chunk)) if (r.update_frequency) out.set(r.id, r.update_frequency);
  }
  return out;
}
