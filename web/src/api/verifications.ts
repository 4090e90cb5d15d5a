import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, type Page } from './client';
import { useInvalidateWorkflow } from './tasks';

/** Identifier kinds the vault accepts (`idType`). */
export const ID_TYPES = ['citizen_id', 'uscc', 'registration_no'] as const;
export type IdType = (typeof ID_TYPES)[number];

export const VERIFICATION_STATUSES = ['open', 'answered'] as const;
/** open: waiting for the responsible department · answered: confirmed or corrected. */
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const VERIFICATION_OUTCOMES = ['confirmed', 'corrected'] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

type DepartmentRef = { id: string; name: string; nameEn: string };

/** A 多源校核 report; the subject's identifier only ever masked. */
export type Verification = {
  id: string;
  basicItem: { id: string; name: string; nameEn: string; category: string; categoryEn: string };
  subjectKind: IdType;
  subjectMasked: string;
  reporterDepartment: DepartmentRef;
  responsibleDepartment: DepartmentRef;
  reportedValue: string;
  note: string;
  status: VerificationStatus;
  dueOn: string;
  overdue: boolean;
  outcome: VerificationOutcome | null;
  answerValue: string | null;
  answerNote: string | null;
  answeredAt: string | null;
  createdAt: string;
  canAnswer: boolean;
  /** Only on `GET /verifications/{id}` for the responsible department: what its datasets hold for this subject. */
  platformValues?: { dataset: string; item: string; itemEn: string; value: string | null; updatedAt: string }[] | null;
};

export type VerificationQuery = { role?: 'reported' | 'assigned'; status?: VerificationStatus; page?: number; pageSize?: number };
export type ReportInput = { basicItemId: string; idType: IdType; id: string; reportedValue: string; note?: string };
export type AnswerInput = { outcome: VerificationOutcome; value: string; note?: string };

/** Query keys of verification. */
export const verificationKeys = {
  all: ['verifications'] as const,
  list: (query: VerificationQuery) => [...verificationKeys.all, 'list', query] as const,
  one: (id: string) => [...verificationKeys.all, 'one', id] as const,
};

/** Reports of the caller's department. */
export function useVerifications(query: VerificationQuery) {
  return useQuery({
    queryKey: verificationKeys.list(query),
    queryFn: ({ signal }) => api.get<Page<Verification>>('/verifications', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** One report (404 for departments that are not a party). */
export function useVerification(id: string) {
  return useQuery({
    queryKey: verificationKeys.one(id),
    queryFn: ({ signal }) => api.get<Verification>(`/verifications/${id}`, undefined, signal),
  });
}

const useInvalidateAll = () => useInvalidateWorkflow(verificationKeys.all);

/** Reports that the department's copy of a basic data item differs. */
export function useReportDifference() {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: ReportInput) => api.post<Verification>('/verifications', input),
    onSuccess: invalidate,
  });
}

/** The responsible department's answer. */
export function useAnswerVerification(id: string) {
  const invalidate = useInvalidateAll();
  return useMutation({
    mutationFn: (input: AnswerInput) => api.post<Verification>(`/verifications/${id}/answer`, input),
    onSuccess: invalidate,
  });
}
