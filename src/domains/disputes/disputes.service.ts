import { hasRole } from '../../platform/actor.js';
import type { Executor } from '../../platform/db/index.js';
import type { Ctx } from '../../platform/http/index.js';
import type { Task, TaskProvider } from '../../platform/tasks/index.js';
import { disputeError } from './disputes.errors.js';
import { allowedActions, DISPUTE_DEPARTMENT_ROLES, isPlatform } from './disputes.policy.js';
import { iso, isOverdue, present, presentDetail, stepLabel, visibleDispute } from './disputes.present.js';
import * as repo from './disputes.repo.js';
import { DISPUTE_STATUSES, type TDisputeQuery } from './disputes.schema.js';

/** Disputes about shared data (异议, SPEC D1–D2): the use cases; filing and steps live in use-cases/. */

export { fileDispute } from './use-cases/file-dispute.js';
export { takeStep } from './use-cases/take-step.js';

/** One dispute with its steps, for a party or the platform. */
export async function getDispute(ctx: Ctx, id: string) {
  return presentDetail(ctx, await visibleDispute(ctx, id));
}

/** The caller's disputes: filed by their department, handled by their side (`assigned`; the platform handles all), or both. */
export async function listDisputes(ctx: Ctx, q: TDisputeQuery) {
  const platform = isPlatform(ctx.actor);
  if (!ctx.actor.departmentId && !platform) return { items: [], total: 0 };
  const { items, total } = await repo.listDisputes(ctx.app.database.db, {
    departmentId: ctx.actor.departmentId,
    isPlatform: platform,
    role: q.role,
    status: q.status,
    kind: q.kind,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: items.map((d) => present(ctx, d)), total };
}

/** The archived verification report of a resolved dispute, for a party or the platform. */
export async function getDisputeReport(ctx: Ctx, id: string): Promise<{ filename: string; pdf: Buffer }> {
  const d = await visibleDispute(ctx, id);
  const report = await repo.findReport(ctx.app.database.db, id);
  if (!report) throw disputeError('DISPUTE_REPORT_NOT_READY', 'The verification report is made when the dispute is resolved. 异议办结后生成核查报告。');
  return { filename: `核查报告-${d.no}.pdf`, pdf: Buffer.from(report.pdf) };
}

const OPEN_STATUSES = DISPUTE_STATUSES.filter((s) => s !== 'resolved');

/** Disputes whose current step is the actor's, as home-page tasks (kind `dispute`) with their due date. */
export async function disputeTasks(ctx: Ctx): Promise<Task[]> {
  const actor = ctx.actor;
  if (actor.kind !== 'user') return [];
  const platform = isPlatform(actor);
  const department = actor.departmentId !== null && hasRole(actor, ...DISPUTE_DEPARTMENT_ROLES);
  if (!platform && !department) return [];
  const db = ctx.app.database.db;
  const rows = platform ? await repo.listOpen(db, { statuses: OPEN_STATUSES }) : await repo.listOpen(db, { statuses: OPEN_STATUSES, responsibleDepartmentId: actor.departmentId as string });
  const now = ctx.app.clock.now();
  return rows
    .filter((d) => allowedActions(actor, d).length > 0)
    .map((d) => ({
      kind: 'dispute',
      title: `${d.no} ${stepLabel(d.kind, d.status)} · ${d.dataset_name}${d.subject_masked ? ` · ${d.subject_masked}` : ''} (${d.requester_name})`,
      disputeId: d.id,
      departmentId: d.requester_department_id,
      dueAt: d.due_on,
      overdue: isOverdue(d, now),
      createdAt: iso(d.created_at) as string,
    }));
}

/** Disputes' part of the home page's to-do list (registered in src/app.ts). */
export const disputeTaskProvider: TaskProvider = { name: 'disputes', tasks: disputeTasks };

/**
 * Of the given subject tokens, those whose record in a dataset (by its catalog entry) carries an
 * open objection mark (异议标注, 001-data §33): a consumer's view of the records shows them as disputed.
 */
export async function disputedSubjects(db: Executor, entryId: string, subjectTokens: readonly string[]): Promise<Set<string>> {
  return new Set(await repo.markedTokens(db, entryId, subjectTokens));
}
