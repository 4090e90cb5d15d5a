import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, type Page } from './client';

export type AuditOutcome = 'allowed' | 'denied';

/** One entry of the hash-chained audit log. */
export type AuditEntry = {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  departmentId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  details: unknown;
  hash: string;
};

export type AuditQuery = {
  actorId?: string;
  departmentId?: string;
  action?: string;
  outcome?: AuditOutcome;
  targetType?: string;
  from?: string;
  to?: string;
  /** An identifier: entries about that subject (the server matches its vault token and never echoes it). */
  subject?: string;
  subjectType?: 'citizen_id' | 'uscc' | 'registration_no';
  /** A catalog entry id or resource code: entries about any of its grants (none for an unknown entry). */
  entry?: string;
  page: number;
  pageSize: number;
};

/** The chain check result. */
export type AuditVerifyResult = { ok: boolean; checked: number; firstBadSeq?: number | null };

/** Query keys of the audit domain. */
export const auditKeys = {
  all: ['audit'] as const,
  list: (query: AuditQuery) => [...auditKeys.all, 'list', query] as const,
};

/** A filtered page of the audit log. */
export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<AuditEntry>>('/audit', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Re-computes the hash chain on demand. */
export function useVerifyAudit() {
  return useMutation({
    mutationFn: () => api.get<AuditVerifyResult>('/audit/verify'),
  });
}
