import { type QueryKey, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ItemsOf } from './client';
import { notificationKeys } from './notifications';

export const TASK_KINDS = ['review', 'publish', 'fix_return', 'full_review', 'publish_snapshot', 'verify', 'share', 'dispute'] as const;
/** review: submitted entry awaiting my decision · publish: approved entry awaiting the authority ·
 * fix_return: my returned entry · full_review: yearly full review due · publish_snapshot: the half-yearly publication snapshot is due (authority) ·
 * verify: a 多源校核 report my department must answer by `dueAt` ·
 * share: a share request waiting for my department (answer, agreement, provide) or, for the authority, an escalation ·
 * dispute: a dispute (异议) whose current step is mine (the authority checks, marks, transfers; the responsible department corrects) by `dueAt` */
export type TaskKind = (typeof TASK_KINDS)[number];

/** One item of the caller's to-do list (`GET /tasks`). */
export type Task = {
  kind: TaskKind;
  title: string;
  entryId?: string | null;
  /** The verification report to answer (kind 'verify'). */
  verificationId?: string | null;
  /** The share request to act on (kind 'share'). */
  shareRequestId?: string | null;
  /** The dispute to act on (kind 'dispute'). */
  disputeId?: string | null;
  departmentId?: string | null;
  dueAt?: string | null;
  /** Set by the server when the due date has passed. */
  overdue?: boolean;
  createdAt: string;
};

/** Query keys of the tasks domain. */
export const taskKeys = {
  all: ['tasks'] as const,
  list: () => [...taskKeys.all, 'list'] as const,
};

/** After a step of a workflow: its domain's queries, the to-do list and the notifications are stale. */
export function useInvalidateWorkflow(domainKey: QueryKey) {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: domainKey });
    void qc.invalidateQueries({ queryKey: taskKeys.all });
    void qc.invalidateQueries({ queryKey: notificationKeys.all });
  };
}

/** The caller's tasks. */
export function useTasks() {
  return useQuery({
    queryKey: taskKeys.list(),
    queryFn: ({ signal }) => api.get<ItemsOf<Task>>('/tasks', undefined, signal),
    refetchInterval: 60_000,
  });
}

/**
 * Confirms the department's yearly full review of its catalog (clears the `full_review` task).
 * `POST /catalog/full-review` is served by the backend but not yet listed in docs/api.md.
 */
export function useCompleteFullReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>('/catalog/full-review'),
    onSuccess: () => qc.invalidateQueries({ queryKey: taskKeys.all }),
  });
}
