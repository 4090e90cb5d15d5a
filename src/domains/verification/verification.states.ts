import type { VerificationStatus } from './verification.schema.js';

/** The report's workflow: one answer closes it. */
export const TRANSITIONS = {
  open: ['answered'],
  answered: [],
} as const satisfies Record<VerificationStatus, readonly VerificationStatus[]>;

/** True when a report in `from` may move to `to`. */
export function canMove(from: VerificationStatus, to: VerificationStatus): boolean {
  return (TRANSITIONS[from] as readonly VerificationStatus[]).includes(to);
}
