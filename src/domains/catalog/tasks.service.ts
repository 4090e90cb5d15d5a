import { hasRole } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import type { TaskProvider } from '../../platform/tasks/index.js';
import { returnedForFix, reviewQueue } from './catalog.service.js';
import { periodOf } from './snapshots.service.js';

/** A thing on a person's home page that waits for them. */
export type Task = {
  kind: 'review' | 'publish' | 'fix_return' | 'full_review' | 'publish_snapshot';
  title: string;
  entryId?: string;
  departmentId?: string;
  dueAt?: string | null;
  createdAt: string;
};

/** Whether the department has confirmed this year's full review of its catalog. */
async function hasReviewedThisYear(ctx: Ctx, departmentId: string, year: number) {
  return Boolean(
    await ctx.app.database.db
      .selectFrom('catalog_full_reviews')
      .select('year')
      .where('department_id', '=', departmentId)
      .where('year', '=', year)
      .executeTakeFirst(),
  );
}

/** The catalog work waiting for the actor: reviews, publications, returned entries, the yearly full review. */
export async function catalogTasks(ctx: Ctx): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const e of (await reviewQueue(ctx)).items) {
    const kind = e.status === 'approved' ? 'publish' : 'review';
    tasks.push({ kind, title: `${e.name} (v${e.version})`, entryId: e.id, departmentId: e.departmentId, createdAt: e.updatedAt ?? '' });
  }
  for (const e of await returnedForFix(ctx)) {
    tasks.push({ kind: 'fix_return', title: `${e.name} (v${e.version})`, entryId: e.id, departmentId: e.departmentId, createdAt: e.updatedAt ?? '' });
  }
  const dept = ctx.actor.departmentId;
  if (dept && hasRole(ctx.actor, 'dept_admin', 'catalog_editor')) {
    const today = todayInShanghai(ctx.app.clock.now());
    const year = Number(today.slice(0, 4));
    if (!(await hasReviewedThisYear(ctx, dept, year))) {
      tasks.push({ kind: 'full_review', title: `${year}`, departmentId: dept, dueAt: `${year}-12-31`, createdAt: `${year}-01-01T00:00:00.000Z` });
    }
  }
  if (hasRole(ctx.actor, 'authority')) {
    // The authority publishes the whole catalog every half year (000-exchange §7).
    const period = periodOf(ctx.app.clock.now());
    const done = await ctx.app.database.db.selectFrom('catalog_snapshots').select('id').where('period', '=', period).executeTakeFirst();
    if (!done) {
      const year = period.slice(0, 4);
      const [start, end] = period.endsWith('H1') ? [`${year}-01-01`, `${year}-06-30`] : [`${year}-07-01`, `${year}-12-31`];
      tasks.push({ kind: 'publish_snapshot', title: period, dueAt: end, createdAt: `${start}T00:00:00.000+08:00` });
    }
  }
  return tasks;
}

/** The department confirms that it reviewed its whole catalog this year; clears the reminder. */
export async function completeFullReview(ctx: Ctx) {
  const dept = ctx.actor.departmentId;
  if (!dept || !hasRole(ctx.actor, 'dept_admin', 'catalog_editor')) throw platformError('FORBIDDEN', 'Only a department administrator or editor confirms the full review.');
  const now = ctx.app.clock.now();
  const year = Number(todayInShanghai(now).slice(0, 4));
  await inTransaction(ctx.app.database.db, async (tx) => {
    await tx
      .insertInto('catalog_full_reviews')
      .values({ department_id: dept, year, completed_at: now, completed_by: ctx.actor.id as string })
      .onConflict((oc) => oc.columns(['department_id', 'year']).doNothing())
      .execute();
    await record(tx, { actor: ctx.actor, action: 'catalog.full_review_completed', targetType: 'department', targetId: dept, requestId: ctx.requestId, at: now, details: { year } });
  });
  return { departmentId: dept, year, completedAt: now.toISOString() };
}

/** The catalog's part of the home page's to-do list (registered in src/app.ts). */
export const catalogTaskProvider: TaskProvider = { name: 'catalog', tasks: catalogTasks };
