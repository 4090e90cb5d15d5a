import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl, type Page } from './client';
import { useInvalidateWorkflow } from './tasks';
import type { IdType } from './verifications';

/**
 * Disputes about shared data (异议, D1–D2): `/disputes` (docs/api.md, "Disputes about shared data").
 * D1: a department disputes another department's dataset; D2: the authority's staff take a
 * person's objection to data about them. The subject's identifier is sent once when filing and
 * comes back only masked.
 */

export const DISPUTE_KINDS = ['department_dispute', 'public_objection'] as const;
/** department_dispute 部门数据异议 (D1) · public_objection 公众异议 (D2). */
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

export const DISPUTE_STATUSES = ['submitted', 'technical', 'marked', 'transferred', 'resolved'] as const;
/** submitted 已受理 · technical 技术原因更正中 · marked 已异议标注 · transferred 已转交责任部门 · resolved 已办结. */
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** What a department disputes (内容、格式、标准、更新状况). */
export const DEPARTMENT_CATEGORIES = ['content', 'format', 'standard', 'freshness'] as const;
/** What a person objects to (错误、遗漏、侵犯隐私或商业秘密). */
export const PUBLIC_CATEGORIES = ['error', 'omission', 'privacy'] as const;
export type DisputeCategory = (typeof DEPARTMENT_CATEGORIES)[number] | (typeof PUBLIC_CATEGORIES)[number];

export const DISPUTE_ACTIONS = ['find_technical', 'transfer', 'mark', 'resolve'] as const;
/** The steps a party takes; the filing shows in the history as `file`. */
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];

export const DISPUTE_OUTCOMES = ['corrected', 'confirmed'] as const;
/** corrected 已更正 · confirmed 经核实无误. */
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** The channels through which staff take a person's objection; `web` is the public portal's own. */
export const STAFF_CHANNELS = ['counter', 'phone'] as const;
export type Channel = (typeof STAFF_CHANNELS)[number] | 'web';

type DepartmentRef = { id: string; name: string; nameEn: string };

/** A dispute as lists show it; `actions` are the caller's possible next steps. */
export type Dispute = {
  id: string;
  no: string;
  kind: DisputeKind;
  status: DisputeStatus;
  category: DisputeCategory;
  description: string;
  dataset: { entryId: string; code: string; name: string; nameEn: string };
  subject: { kind: IdType; masked: string } | null;
  channel: Channel | null;
  requesterDepartment: DepartmentRef;
  responsibleDepartment: DepartmentRef;
  receivedOn: string;
  dueOn: string | null;
  overdue: boolean;
  awaiting: 'platform' | 'department' | null;
  marked: boolean;
  markedAt: string | null;
  outcome: DisputeOutcome | null;
  outcomeNote: string | null;
  resolvedAt: string | null;
  reportReady: boolean;
  actions: DisputeAction[];
  createdAt: string;
  updatedAt: string;
};

/** One step of a dispute's history. `dueOn` is the step's own deadline, `nextDueOn` the one it opened. */
export type DisputeStep = {
  seq: number;
  action: DisputeAction | 'file';
  fromStatus: DisputeStatus | null;
  toStatus: DisputeStatus;
  note: string;
  outcome: DisputeOutcome | null;
  dueOn: string | null;
  late: boolean;
  nextDueOn: string | null;
  actor: { id: string | null; name: string | null };
  department: { id: string; name: string } | null;
  at: string;
};

export type DisputeDetail = Dispute & { steps: DisputeStep[] };

export type DisputeQuery = { role?: 'filed' | 'assigned'; status?: DisputeStatus; kind?: DisputeKind; page?: number; pageSize?: number };

/** D1: a department disputes a dataset, or one record of it when idType + id name the subject. */
export type DepartmentDisputeInput = {
  kind: 'department_dispute';
  dataset: string;
  category: (typeof DEPARTMENT_CATEGORIES)[number];
  description: string;
  idType?: IdType;
  id?: string;
};

/** D2: staff file a person's objection on their behalf. */
export type PublicObjectionInput = {
  kind: 'public_objection';
  dataset: string;
  category: (typeof PUBLIC_CATEGORIES)[number];
  description: string;
  idType: IdType;
  id: string;
  channel: (typeof STAFF_CHANNELS)[number];
};

export type DisputeInput = DepartmentDisputeInput | PublicObjectionInput;

/** One step: `outcome` (and a note) with `resolve` only. */
export type DisputeStepInput = { action: DisputeAction; note?: string; outcome?: DisputeOutcome };

/** Query keys of disputes. */
export const disputeKeys = {
  all: ['disputes'] as const,
  list: (query: DisputeQuery) => [...disputeKeys.all, 'list', query] as const,
  one: (id: string) => [...disputeKeys.all, 'one', id] as const,
};

/** The caller's disputes: filed by the department, handled by its side, or both. */
export function useDisputes(query: DisputeQuery) {
  return useQuery({
    queryKey: disputeKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<Dispute>>('/disputes', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** One dispute with its steps (404 for anyone but its parties and the platform). */
export function useDispute(id: string) {
  return useQuery({
    queryKey: disputeKeys.one(id),
    queryFn: ({ signal }) => api.get<DisputeDetail>(`/disputes/${id}`, undefined, signal),
  });
}

const useInvalidateAll = () => useInvalidateWorkflow(disputeKeys.all);

/** Files a dispute (D1) or a person's objection (D2). */
export function useFileDispute() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: DisputeInput) => api.post<Dispute>('/disputes', input),
    onSuccess: invalidate,
  });
}

/** Takes one step of a dispute; the answer is the dispute with its steps. */
export function useDisputeStep(id: string) {
  const qc = useQueryClient();
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: DisputeStepInput) => api.post<DisputeDetail>(`/disputes/${id}/actions`, input),
    onSuccess: (detail) => {
      qc.setQueryData(disputeKeys.one(id), detail);
      invalidate();
    },
  });
}

/** The archived verification report (核查报告, PDF) of a resolved dispute: a plain download. */
export function disputeReportUrl(id: string): string {
  return apiUrl(`/disputes/${id}/report.pdf`);
}
