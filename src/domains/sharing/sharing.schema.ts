import { z } from 'zod';
import { isValidIsoDate } from '../../platform/calendar/calendar.js';
import { MASKINGS, type Masking } from './query/masking.js';

/** Where a share request stands (SPEC C1–C4). */
export const SHARE_REQUEST_STATUSES = [
  'submitted', // waiting for the provider's answer (due on the answer deadline)
  'answered', // granted wholly or partly; waiting for both departments to accept the confidentiality agreement
  'confirmed', // confirmed (agreement accepted, or none needed); the provider must provide (due on the provide deadline)
  'provided', // the grant is in force
  'refused', // refused with reasons and a legal basis, or by negotiation or ruling
  'escalated', // with the authority: unanswered, refusal contested, not provided, or not-shared data
  'joint_review', // negotiation failed; the joint review and the city government's ruling are pending
  'ordered', // negotiation or ruling says share: the provider must provide (due on the ruling deadline)
  'withdrawn', // the consumer withdrew it
] as const;
export type ShareRequestStatus = (typeof SHARE_REQUEST_STATUSES)[number];

/** Why a request went to the authority. */
export const ESCALATION_REASONS = ['unanswered', 'refusal_contested', 'not_provided', 'not_shared_data'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];


/** Calls a grant serves per day unless the provider sets another number. */
export const DEFAULT_DAILY_QUOTA = 10_000;

const text = (min: number, max: number) => z.string().trim().min(min, 'required 必填').max(max);
const isoDate = z.string().refine(isValidIsoDate, 'a date written YYYY-MM-DD 日期格式应为 YYYY-MM-DD');

/** `POST /share-requests`: a consumer department applies for a published entry's data items. */
export const ZShareRequestInput = z
  .strictObject({
    /** The catalog entry's id or resource code. */
    entry: text(1, 100),
    /** Each requested data item (by its English name) and the legal duty it serves (C2). */
    items: z
      .array(z.strictObject({ nameEn: text(1, 64), duty: text(2, 500) }))
      .min(1, 'choose at least one data item 至少选择一个信息项')
      .max(500),
    purpose: text(2, 1000),
    scope: text(2, 1000),
    /** Required for not-shared data: the law that entitles the consumer to it. */
    legalBasis: z.string().trim().max(2000).default(''),
    periodFrom: isoDate,
    periodUntil: isoDate,
  })
  .superRefine((r, ctx) => {
    if (isValidIsoDate(r.periodFrom) && isValidIsoDate(r.periodUntil) && r.periodFrom > r.periodUntil) {
      ctx.addIssue({ code: 'custom', path: ['periodUntil'], message: 'the period ends before it starts 使用期限结束早于开始', params: { rule: 'period_order' } });
    }
    const seen = new Set<string>();
    r.items.forEach((item, i) => {
      if (seen.has(item.nameEn)) ctx.addIssue({ code: 'custom', path: ['items', i, 'nameEn'], message: 'item requested twice 信息项重复', params: { rule: 'unique' } });
      seen.add(item.nameEn);
    });
  });
export type TShareRequestInput = z.infer<typeof ZShareRequestInput>;

const ZItemDecision = z.strictObject({ nameEn: text(1, 64), granted: z.boolean(), masking: z.enum(MASKINGS).default('none') });

/** `POST /share-requests/{id}/answer`: the provider grants (wholly or partly) or refuses. */
export const ZAnswerInput = z.strictObject({
  items: z.array(ZItemDecision).min(1).max(500),
  /** Required when any item is refused (C3). */
  reason: z.string().trim().max(2000).default(''),
  legalBasis: z.string().trim().max(2000).default(''),
  dailyQuota: z.number().int().min(1).max(10_000_000).default(DEFAULT_DAILY_QUOTA),
});
export type TAnswerInput = z.infer<typeof ZAnswerInput>;

/** `POST /share-requests/{id}/provide` after a negotiation or ruling: the technical terms of the grant. */
export const ZProvideInput = z.strictObject({
  items: z.array(z.strictObject({ nameEn: text(1, 64), masking: z.enum(MASKINGS).default('none') })).max(500).optional(),
  dailyQuota: z.number().int().min(1).max(10_000_000).optional(),
});
export type TProvideInput = z.infer<typeof ZProvideInput>;

export const ZReasonInput = z.strictObject({ reason: text(2, 2000) });
export type TReasonInput = z.infer<typeof ZReasonInput>;

/** `POST /share-requests/{id}/negotiation`: the authority records the negotiation it convened (published to all departments). */
export const ZNegotiationInput = z.strictObject({
  outcome: z.enum(['share', 'refuse', 'no_agreement']),
  record: text(2, 5000),
});
export type TNegotiationInput = z.infer<typeof ZNegotiationInput>;

/** `POST /share-requests/{id}/ruling`: the city government's ruling after the joint review, recorded by the authority. */
export const ZRulingInput = z.strictObject({
  ruling: z.enum(['share', 'refuse']),
  record: text(2, 5000),
});
export type TRulingInput = z.infer<typeof ZRulingInput>;

export const ZShareRequestQuery = z.object({
  role: z.enum(['consumer', 'provider', 'authority']).optional(),
  status: z.enum(SHARE_REQUEST_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TShareRequestQuery = z.infer<typeof ZShareRequestQuery>;

export const ZGrantQuery = z.object({
  role: z.enum(['consumer', 'provider']).optional(),
  status: z.enum(['active', 'revoked', 'lapsed']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TGrantQuery = z.infer<typeof ZGrantQuery>;

/** The stored answer of the provider. */
export type Decision = { items: { nameEn: string; granted: boolean; masking: Masking }[]; reason: string; legalBasis: string; dailyQuota: number };
/** One requested item as stored. */
export type RequestedItem = { nameEn: string; name: string; duty: string };
/** One granted item as stored. */
export type GrantItem = { nameEn: string; name: string; masking: Masking };
