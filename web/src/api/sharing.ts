import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ItemsOf, isApiError, type Page } from './client';
import type { ShareType } from './catalog';
import { useInvalidateWorkflow } from './tasks';

/**
 * Share requests (共享申请), their confidentiality agreements, the published negotiation records
 * and grants (授权): `/share-requests`, `/share-negotiations`, `/grants` (docs/api.md, sharing).
 */

export const SHARE_REQUEST_STATUSES = [
  'submitted',
  'answered',
  'confirmed',
  'provided',
  'refused',
  'escalated',
  'joint_review',
  'ordered',
  'withdrawn',
] as const;
/** submitted 待答复 · answered 待确认协议 · confirmed 待提供 · provided 已提供 · refused 已拒绝 ·
 * escalated 协调中 · joint_review 联合审查 · ordered 责令提供 · withdrawn 已撤回 */
export type ShareRequestStatus = (typeof SHARE_REQUEST_STATUSES)[number];

/** States in which somebody owes a step by a due date. */
export const DEADLINE_STATUSES: readonly ShareRequestStatus[] = ['submitted', 'confirmed', 'ordered'];

export const MASKINGS = ['none', 'partial'] as const;
/** How a granted item is served: as held, or partly masked (张*三). */
export type Masking = (typeof MASKINGS)[number];

export const ESCALATION_REASONS = ['unanswered', 'refusal_contested', 'not_provided', 'not_shared_data'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

/** What the caller may do next on a request (`actions` of the answer). */
export type ShareAction =
  | 'grant'
  | 'grant_confirmed'
  | 'refuse'
  | 'provide'
  | 'contest'
  | 'withdraw'
  | 'negotiate_share'
  | 'negotiate_refuse'
  | 'negotiate_fail'
  | 'rule_share'
  | 'rule_refuse'
  | 'accept_agreement';

/** Calls a grant serves per day unless the provider sets another number (as the server's default). */
export const DEFAULT_DAILY_QUOTA = 10_000;

type DepartmentRef = { id: string; name: string; nameEn: string };

/** One requested data item and the legal duty it serves. */
export type RequestedItem = { nameEn: string; name: string; duty: string };

/** The provider's answer. */
export type Decision = {
  items: { nameEn: string; granted: boolean; masking: Masking }[];
  reason: string;
  legalBasis: string;
  dailyQuota: number;
};

/** A share request as lists show it. */
export type ShareRequest = {
  id: string;
  no: string;
  entry: { id: string; code: string; name: string; version: number };
  consumer: DepartmentRef;
  provider: DepartmentRef;
  shareType: ShareType;
  items: RequestedItem[];
  purpose: string;
  scope: string;
  legalBasis: string;
  periodFrom: string;
  periodUntil: string;
  status: ShareRequestStatus;
  dueOn: string | null;
  /** Working days to the due date (negative once overdue); null when no step is owed or it cannot be counted. */
  workingDaysLeft: number | null;
  overdue: boolean;
  decision: Decision | null;
  escalationReason: EscalationReason | null;
  ruling: 'share' | 'refuse' | null;
  violationRecordedAt: string | null;
  grantId: string | null;
  createdAt: string;
  updatedAt: string;
  actions: ShareAction[];
};

/** One step in a request's history. */
export type ShareEvent = {
  action: string;
  from: ShareRequestStatus | null;
  to: ShareRequestStatus;
  actor: string | null;
  department: { name: string; nameEn: string } | null;
  note: string;
  details: Record<string, unknown>;
  public: boolean;
  at: string;
};

/** The confidentiality agreement (保密协议) both departments accept. */
export type ShareAgreement = {
  id: string;
  text: string;
  textHash: string;
  consumerAcceptedAt: string | null;
  providerAcceptedAt: string | null;
};

/** `GET /share-requests/{id}`: the request with its history and agreement. */
export type ShareRequestDetail = ShareRequest & { history: ShareEvent[]; agreement: ShareAgreement | null };

export type ShareRequestQuery = {
  role?: 'consumer' | 'provider' | 'authority';
  status?: ShareRequestStatus;
  overdue?: 'true';
  page?: number;
  pageSize?: number;
};

export type ShareRequestInput = {
  entry: string;
  items: { nameEn: string; duty: string }[];
  purpose: string;
  scope: string;
  legalBasis: string;
  periodFrom: string;
  periodUntil: string;
};

export type AnswerInput = {
  items: { nameEn: string; granted: boolean; masking: Masking }[];
  reason: string;
  legalBasis: string;
  dailyQuota: number;
};

export type ProvideInput = { items?: { nameEn: string; masking: Masking }[]; dailyQuota?: number };
export type NegotiationInput = { outcome: 'share' | 'refuse' | 'no_agreement'; record: string };
export type RulingInput = { ruling: 'share' | 'refuse'; record: string };

/** One published negotiation or ruling record (C4). */
export type NegotiationRecord = {
  id: string;
  requestId: string;
  no: string;
  entryName: string;
  consumer: string;
  provider: string;
  action: string;
  to: ShareRequestStatus;
  record: string;
  at: string;
};

export const GRANT_STATUSES = ['active', 'revoked', 'lapsed'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** A grant: which items of which entry a consumer department may query, until when, how often. */
export type Grant = {
  id: string;
  requestId: string;
  requestNo: string;
  entry: { id: string; code: string; name: string };
  consumer: DepartmentRef;
  provider: DepartmentRef;
  items: { nameEn: string; name: string; masking: Masking }[];
  purpose: string;
  legalBasis: string;
  validFrom: string;
  validUntil: string;
  dailyQuota: number;
  /** Calls counted today (lists only). */
  callsToday: number | null;
  agreementId: string | null;
  status: GrantStatus;
  /** Active, started and not past its last day. */
  serving: boolean;
  revokedAt: string | null;
  revokeReason: string | null;
  lapsedAt: string | null;
  createdAt: string;
  canRevoke: boolean;
};

export type GrantQuery = { role?: 'consumer' | 'provider'; status?: GrantStatus; page?: number; pageSize?: number };

export const SUBSCRIPTION_STATUSES = ['active', 'paused'] as const;
/** active 推送中 · paused 已暂停 */
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A grant's webhook subscription (数据订阅): changes of the granted data are pushed to `url`. */
export type Subscription = {
  id: string;
  grantId: string;
  url: string;
  status: SubscriptionStatus;
  secretVersion: number;
  createdAt: string;
  updatedAt: string;
};

/** The answer to subscribing or rotating: the signing secret, shown this once. */
export type SubscriptionWithSecret = Subscription & { secret: string };

export const DELIVERY_STATUSES = ['pending', 'delivered', 'dead', 'dropped'] as const;
/** pending 待推送 · delivered 已送达 · dead 失败（可重发） · dropped 已作废（授权失效） */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One webhook delivery: a batch of changes, its attempts and the receiver's last answer. */
export type Delivery = {
  id: string;
  status: DeliveryStatus;
  changes: number;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

export type DeliveryQuery = { status?: DeliveryStatus; page: number; pageSize: number };

/** Query keys of sharing. */
export const sharingKeys = {
  all: ['sharing'] as const,
  requests: (query: ShareRequestQuery) => [...sharingKeys.all, 'requests', query] as const,
  request: (id: string) => [...sharingKeys.all, 'request', id] as const,
  negotiations: (page: number, pageSize: number) => [...sharingKeys.all, 'negotiations', page, pageSize] as const,
  grants: (query: GrantQuery) => [...sharingKeys.all, 'grants', query] as const,
  grant: (id: string) => [...sharingKeys.all, 'grant', id] as const,
  subscription: (grantId: string) => [...sharingKeys.all, 'subscription', grantId] as const,
  deliveries: (grantId: string, query: DeliveryQuery) => [...sharingKeys.subscription(grantId), 'deliveries', query] as const,
};

/** Requests of the caller's department (as consumer or provider), or every one for the authority. */
export function useShareRequests(query: ShareRequestQuery, enabled = true) {
  return useQuery({
    queryKey: sharingKeys.requests(query),
    queryFn: ({ signal }) => api.get<Page<ShareRequest>>('/share-requests', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** One request with its history and agreement (404 for departments that are not a party). */
export function useShareRequest(id: string) {
  return useQuery({
    queryKey: sharingKeys.request(id),
    queryFn: ({ signal }) => api.get<ShareRequestDetail>(`/share-requests/${id}`, undefined, signal),
  });
}

/** The published negotiation and ruling records, newest first (the list has no total). */
export function useNegotiations(page: number, pageSize: number) {
  return useQuery({
    queryKey: sharingKeys.negotiations(page, pageSize),
    queryFn: ({ signal }) => api.get<ItemsOf<NegotiationRecord>>('/share-negotiations', { page, pageSize }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Grants of the caller's department as consumer or provider. */
export function useGrants(query: GrantQuery) {
  return useQuery({
    queryKey: sharingKeys.grants(query),
    queryFn: ({ signal }) => api.get<Page<Grant>>('/grants', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** One grant (404 for departments that are not a party). */
export function useGrant(id: string) {
  return useQuery({
    queryKey: sharingKeys.grant(id),
    queryFn: ({ signal }) => api.get<Grant>(`/grants/${id}`, undefined, signal),
  });
}

/** After any change: the lists, the to-do list and the bell. */
const useInvalidateAll = () => useInvalidateWorkflow(sharingKeys.all);

/** Applies for data items of a published entry. */
export function useSubmitShareRequest() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: ShareRequestInput) => api.post<ShareRequestDetail>('/share-requests', input),
    onSuccess: invalidate,
  });
}

/** A step on one request that answers with the request as it is now. */
function useRequestStep<I>(id: string, path: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: I) => api.post<ShareRequestDetail>(`/share-requests/${id}/${path}`, input),
    onSuccess: invalidate,
  });
}

/** The provider grants (wholly or partly) or refuses. */
export const useAnswerShareRequest = (id: string) => useRequestStep<AnswerInput>(id, 'answer');
/** The caller's department accepts the confidentiality agreement. */
export const useAcceptAgreement = (id: string) => useRequestStep<undefined>(id, 'agreement/accept');
/** The provider provides: the grant starts. */
export const useProvideShareRequest = (id: string) => useRequestStep<ProvideInput>(id, 'provide');
/** The consumer contests a refusal. */
export const useContestShareRequest = (id: string) => useRequestStep<{ reason: string }>(id, 'contest');
/** The consumer withdraws its request. */
export const useWithdrawShareRequest = (id: string) => useRequestStep<{ reason: string }>(id, 'withdraw');
/** The authority records the negotiation it convened. */
export const useRecordNegotiation = (id: string) => useRequestStep<NegotiationInput>(id, 'negotiation');
/** The authority records the city government's ruling. */
export const useRecordRuling = (id: string) => useRequestStep<RulingInput>(id, 'ruling');

/** The provider or the authority revokes a grant with a reason. */
export function useRevokeGrant() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => api.post<Grant>(`/grants/${id}/revoke`, { reason }),
    onSuccess: invalidate,
  });
}

/**
 * The grant's webhook subscription, or null when it has none (404 SHARING_SUBSCRIPTION_NOT_FOUND).
 * Only for the consumer department's sharing officer or administrator.
 */
export function useSubscription(grantId: string, enabled: boolean) {
  return useQuery({
    queryKey: sharingKeys.subscription(grantId),
    queryFn: async ({ signal }) => {
      try {
        return await api.get<Subscription>(`/grants/${grantId}/subscription`, undefined, signal);
      } catch (err) {
        if (isApiError(err, 'SHARING_SUBSCRIPTION_NOT_FOUND')) return null;
        throw err;
      }
    },
    enabled,
  });
}

/** While a delivery is pending its outcome is seconds away: the list looks again this often. */
const PENDING_REFRESH_MS = 3_000;

/**
 * The subscription's deliveries, newest first (the list has no total); `status=dead` is the
 * dead-letter list. Refreshes on its own while one shown is pending.
 */
export function useDeliveries(grantId: string, query: DeliveryQuery, enabled: boolean) {
  return useQuery({
    queryKey: sharingKeys.deliveries(grantId, query),
    queryFn: ({ signal }) => api.get<ItemsOf<Delivery>>(`/grants/${grantId}/subscription/deliveries`, query, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? PENDING_REFRESH_MS : false),
    enabled,
  });
}

/** After a change of the subscription: it and its deliveries. */
function useInvalidateSubscription(grantId: string) {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: sharingKeys.subscription(grantId) });
}

/** Subscribes a webhook to the grant's changes; the answer holds the signing secret, once. */
export function useSubscribe(grantId: string) {
  const invalidate = useInvalidateSubscription(grantId);
  return useMutation({
    mutationFn: (input: { url: string }) => api.post<SubscriptionWithSecret>(`/grants/${grantId}/subscription`, input),
    onSuccess: invalidate,
  });
}

/** Pauses or resumes pushing, or changes the address. */
export function useUpdateSubscription(grantId: string) {
  const invalidate = useInvalidateSubscription(grantId);
  return useMutation({
    mutationFn: (input: { url?: string; status?: SubscriptionStatus }) => api.patch<Subscription>(`/grants/${grantId}/subscription`, input),
    onSuccess: invalidate,
  });
}

/** A new signing secret (shown once); the old one stops signing at once. */
export function useRotateSubscriptionSecret(grantId: string) {
  const invalidate = useInvalidateSubscription(grantId);
  return useMutation({
    mutationFn: () => api.post<SubscriptionWithSecret>(`/grants/${grantId}/subscription/rotate-secret`),
    onSuccess: invalidate,
  });
}

/** Sends a dead delivery again from its first attempt. */
export function useReplayDelivery(grantId: string) {
  const invalidate = useInvalidateSubscription(grantId);
  return useMutation({
    mutationFn: (deliveryId: string) => api.post<{ id: string; status: 'pending' }>(`/grants/${grantId}/subscription/deliveries/${deliveryId}/replay`),
    onSuccess: invalidate,
  });
}
