import type { Ctx } from '../http/index.js';

/**
 * One thing on a person's home page that waits for them (`GET /tasks`). Domains add their own
 * kinds; the web knows each kind (web/src/api/tasks.ts) and links it to its page.
 */
export type Task = {
  /** review · publish · fix_return · full_review · publish_snapshot (catalog) · verify (verification) · dispute (disputes). */
  kind: string;
  title: string;
  entryId?: string;
  /** Verification report to answer (kind 'verify'). */
  verificationId?: string;
  /** Share request to act on (kind 'share'). */
  shareRequestId?: string;
  /** Dispute whose current step is the actor's (kind 'dispute'). */
  disputeId?: string;
  departmentId?: string;
  /** Date (YYYY-MM-DD, Asia/Shanghai) by which it is due, when it has one. */
  dueAt?: string | null;
  /** True once the due date has passed. */
  overdue?: boolean;
  createdAt: string;
};

/** A domain's contribution to the to-do list: the tasks waiting for the actor. */
export type TaskProvider = {
  /** The domain's name, for logs. */
  name: string;
  tasks(ctx: Ctx): Promise<Task[]>;
};

/**
 * The registry of task providers. The composition root (src/app.ts) registers each domain's
 * provider once; the platform aggregates them without knowing any domain.
 */
export type TaskRegistry = {
  register(provider: TaskProvider): void;
  providers(): readonly TaskProvider[];
};

/** A new, empty registry. */
export function createTaskRegistry(providers: readonly TaskProvider[] = []): TaskRegistry {
  const list: TaskProvider[] = [];
  const registry: TaskRegistry = {
    register(p) {
      if (list.some((q) => q.name === p.name)) throw new Error(`task provider ${p.name} is registered twice`);
      list.push(p);
    },
    providers: () => list,
  };
  for (const p of providers) registry.register(p);
  return registry;
}

/** Every registered provider's tasks for the actor, in registration order. */
export async function collectTasks(registry: TaskRegistry, ctx: Ctx): Promise<Task[]> {
  const lists = await Promise.all(registry.providers().map((p) => p.tasks(ctx)));
  return lists.flat();
}
