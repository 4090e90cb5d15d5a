import { z } from 'zod';
import { SUBJECT_KINDS } from '../../platform/vault/index.js';

/** The two kinds of dispute, one workflow each (disputes.states.ts). */
export const DISPUTE_KINDS = [
  'department_dispute', // D1: a consumer department disputes shared data (002 §56, 004 §44)
  'public_objection', // D2: a person disputes data about themselves (001-data §33)
] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

/** Where a dispute stands; which statuses a kind passes through is in disputes.states.ts. */
export const DISPUTE_STATUSES = [
  'submitted', // received: the platform checks it (D1) or marks the record (D2)
  'technical', // D1: the platform found a technical cause and corrects it
  'marked', // D2: the record carries the disputed mark; the authority decides or transfers
  'transferred', // the responsible department checks (D1) or verifies (D2) and corrects
  'resolved', // closed with an outcome; the verification report is archived
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** What a consumer department disputes (002 §56: 内容、格式、标准、更新状况). */
export const DEPARTMENT_CATEGORIES = ['content', 'format', 'standard', 'freshness'] as const;
/** What a person objects to (001-data §33: 错误、遗漏, or an infringement of privacy or trade secrets). */
export const PUBLIC_CATEGORIES = ['error', 'omission', 'privacy'] as const;
export type DisputeCategory = (typeof DEPARTMENT_CATEGORIES)[number] | (typeof PUBLIC_CATEGORIES)[number];

/** The steps a party takes on a dispute; the filing is the step `file`. */
export const DISPUTE_ACTIONS = [
  'find_technical', // D1, platform: the difference has a technical cause; the platform corrects it
  'transfer', // platform: hand the dispute to the responsible department
  'mark', // D2, platform: mark the disputed record (异议标注)
  'resolve', // close with an outcome: by the platform (technical cause, D2 decision) or the responsible department
] as const;
export type DisputeAction = (typeof DISPUTE_ACTIONS)[number];

/** How a dispute ends. */
export const DISPUTE_OUTCOMES = [
  'corrected', // the data was wrong and has been corrected
  'confirmed', // the data was checked and is correct as it stands
] as const;
export type DisputeOutcome = (typeof DISPUTE_OUTCOMES)[number];

/** How a person's objection reached the platform; `web` is the public portal's own (with real-name login). */
export const CHANNELS = ['counter', 'phone', 'web'] as const;
/** The channels through which staff take an objection on a person's behalf. */
export const STAFF_CHANNELS = ['counter', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

const text = (min: number, max: number) => z.string().trim().min(min, 'required 必填').max(max);
/** The dataset: its resource code (e.g. 301001/000001) or its catalog entry id. */
const dataset = z.string().trim().min(1, 'required 必填').max(100);
/** A raw identifier: tokenised by the vault at once, never stored or echoed. */
const rawId = z.string().min(1, 'required 必填').max(200);

/** D1: a department disputes a dataset, or one record of it when idType + id name the subject. */
export const ZDepartmentDisputeInput = z.strictObject({
  kind: z.literal('department_dispute'),
  dataset,
  category: z.enum(DEPARTMENT_CATEGORIES),
  description: text(1, 4000),
  idType: z.enum(SUBJECT_KINDS).optional(),
  id: rawId.optional(),
});

/** D2: the authority's staff file a person's objection to data about them. */
export const ZPublicObjectionInput = z.strictObject({
  kind: z.literal('public_objection'),
  dataset,
  category: z.enum(PUBLIC_CATEGORIES),
  description: text(1, 4000),
  idType: z.enum(SUBJECT_KINDS),
  id: rawId,
  channel: z.enum(STAFF_CHANNELS),
});

/** `POST /disputes`. */
export const ZDisputeInput = z.discriminatedUnion('kind', [ZDepartmentDisputeInput, ZPublicObjectionInput]);
export type TDisputeInput = z.infer<typeof ZDisputeInput>;

/** `POST /disputes/{id}/actions`: one step; `outcome` (and a note) with `resolve` only. */
export const ZDisputeStep = z.strictObject({
  action: z.enum(DISPUTE_ACTIONS),
  note: z.string().trim().max(4000).default(''),
  outcome: z.enum(DISPUTE_OUTCOMES).optional(),
});
export type TDisputeStep = z.infer<typeof ZDisputeStep>;

/** `GET /disputes` filters: filed by my department, or handled by my side; by status and kind. */
export const ZDisputeQuery = z.object({
  role: z.enum(['filed', 'assigned']).optional(),
  status: z.enum(DISPUTE_STATUSES).optional(),
  kind: z.enum(DISPUTE_KINDS).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TDisputeQuery = z.infer<typeof ZDisputeQuery>;
