import { z } from 'zod';
import { SUBJECT_KINDS } from '../../platform/vault/index.js';

/** Where a verification report stands. */
export const VERIFICATION_STATUSES = [
  'open', // waiting for the responsible department's answer (overdue once past due_on)
  'answered', // the responsible department confirmed its value or corrected it
] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

/** How the responsible department answered. */
export const VERIFICATION_OUTCOMES = [
  'confirmed', // its value stands; the reporter's copy should follow it
  'corrected', // its value was wrong and is corrected to `value`
] as const;
export type VerificationOutcome = (typeof VERIFICATION_OUTCOMES)[number];

const text = (min: number, max: number) => z.string().trim().min(min, 'required 必填').max(max);

/** `POST /verifications`: the reporter's copy of one subject's basic data item differs. */
export const ZVerificationReport = z.strictObject({
  basicItemId: z.uuid(),
  idType: z.enum(SUBJECT_KINDS),
  /** The raw identifier: tokenised by the vault at once, never stored or echoed. */
  id: z.string().min(1, 'required 必填').max(200),
  reportedValue: text(1, 2000),
  note: z.string().trim().max(2000).default(''),
});
export type TVerificationReport = z.infer<typeof ZVerificationReport>;

/** `POST /verifications/{id}/answer`. */
export const ZVerificationAnswer = z.strictObject({
  outcome: z.enum(VERIFICATION_OUTCOMES),
  /** The value the responsible department holds after checking (confirmed or corrected). */
  value: text(1, 2000),
  note: z.string().trim().max(2000).default(''),
});
export type TVerificationAnswer = z.infer<typeof ZVerificationAnswer>;

/** `GET /verifications` filters: reported by my department, or assigned to it; by status. */
export const ZVerificationQuery = z.object({
  role: z.enum(['reported', 'assigned']).optional(),
  status: z.enum(VERIFICATION_STATUSES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TVerificationQuery = z.infer<typeof ZVerificationQuery>;
