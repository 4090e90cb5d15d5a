import { useQuery } from '@tanstack/react-query';
import { api } from './client';

/** The active policy preset (GET /admin/policy): each city's deadlines, in working days unless stated. */
export type PolicyPreset = {
  id: string;
  name: string;
  nameEn: string;
  source: string;
  contactReportDays: number;
  verificationAnswerDays: number;
  catalogFullReviewMonths: number;
  shareRequest: { answerDays: number; provideDays: number; conditionalAnswerDays: number; rulingProvideDays: number };
  dataDispute: { checkDays: number; technicalCorrectDays: number; departmentCorrectDays: number };
  publicObjection: { markDays: number; decideOrTransferDays: number; departmentVerifyDays: number };
  unconditionalGrant: 'automatic' | 'acknowledge';
  /** The article each field comes from, keyed by field path. */
  sources: Record<string, string>;
};

/** Query keys of the policy domain. */
export const policyKeys = { active: ['policy', 'active'] as const };

/** The preset in force. */
export function usePolicy() {
  return useQuery({
    queryKey: policyKeys.active,
    queryFn: ({ signal }) => api.get<PolicyPreset>('/admin/policy', undefined, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
