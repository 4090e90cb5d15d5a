import type { PolicyPreset } from '../../platform/policy.js';
import type { DisputeAction, DisputeKind, DisputeStatus } from './disputes.schema.js';

/** Who takes a step: the platform (users holding the authority role) or the dataset's responsible department. */
export type Party = 'platform' | 'department';

/**
 * How long the step that a state opens may take: a number of working days from the policy
 * preset, counted from the day of receipt (`receipt`) or from the day of the step (`step`); the
 * start day itself is not counted.
 */
export type Deadline =
  | { policy: 'dataDispute'; days: keyof PolicyPreset['dataDispute']; from: 'receipt' | 'step' }
  | { policy: 'publicObjection'; days: keyof PolicyPreset['publicObjection']; from: 'receipt' | 'step' };

/** One allowed step: from a status, an action by a party leads to a status with its deadline (none once resolved). */
export type Transition = { from: DisputeStatus; action: DisputeAction; to: DisputeStatus; by: Party; deadline: Deadline | null };

/** A kind's workflow: the status a filing starts in with its deadline, and the allowed steps. */
export type Workflow = { start: { status: DisputeStatus; by: Party; deadline: Deadline }; transitions: readonly Transition[] };

/**
 * The workflows as data.
 * D1 (002 §56): the platform checks within checkDays of receipt; a technical cause it corrects
 * within technicalCorrectDays of finding it; otherwise the responsible department checks and
 * corrects within departmentCorrectDays of the transfer.
 * D2 (001-data §33): marked within markDays of receipt; decided or transferred within
 * decideOrTransferDays of receipt; verified by the department within departmentVerifyDays of the transfer.
 */
export const WORKFLOWS = {
  department_dispute: {
    start: { status: 'submitted', by: 'platform', deadline: { policy: 'dataDispute', days: 'checkDays', from: 'receipt' } },
    transitions: [
      { from: 'submitted', action: 'find_technical', to: 'technical', by: 'platform', deadline: { policy: 'dataDispute', days: 'technicalCorrectDays', from: 'step' } },
      { from: 'submitted', action: 'transfer', to: 'transferred', by: 'platform', deadline: { policy: 'dataDispute', days: 'departmentCorrectDays', from: 'step' } },
      { from: 'technical', action: 'resolve', to: 'resolved', by: 'platform', deadline: null },
      { from: 'transferred', action: 'resolve', to: 'resolved', by: 'department', deadline: null },
    ],
  },
  public_objection: {
    start: { status: 'submitted', by: 'platform', deadline: { policy: 'publicObjection', days: 'markDays', from: 'receipt' } },
    transitions: [
      { from: 'submitted', action: 'mark', to: 'marked', by: 'platform', deadline: { policy: 'publicObjection', days: 'decideOrTransferDays', from: 'receipt' } },
      { from: 'marked', action: 'resolve', to: 'resolved', by: 'platform', deadline: null },
      { from: 'marked', action: 'transfer', to: 'transferred', by: 'platform', deadline: { policy: 'publicObjection', days: 'departmentVerifyDays', from: 'step' } },
      { from: 'transferred', action: 'resolve', to: 'resolved', by: 'department', deadline: null },
    ],
  },
} as const satisfies Record<DisputeKind, Workflow>;

/** The step `action` allows from `from` in a kind's workflow, or undefined when it is not allowed there. */
export function findTransition(kind: DisputeKind, from: DisputeStatus, action: DisputeAction): Transition | undefined {
  return (WORKFLOWS[kind].transitions as readonly Transition[]).find((t) => t.from === from && t.action === action);
}

/** The steps allowed from a status. */
export function transitionsFrom(kind: DisputeKind, from: DisputeStatus): Transition[] {
  return (WORKFLOWS[kind].transitions as readonly Transition[]).filter((t) => t.from === from);
}

/** The party who must take the next step, or null once resolved. */
export function awaitingParty(kind: DisputeKind, status: DisputeStatus): Party | null {
  return transitionsFrom(kind, status)[0]?.by ?? null;
}

/** Every status a kind passes through, in workflow order. */
export function statusesOf(kind: DisputeKind): DisputeStatus[] {
  const w = WORKFLOWS[kind];
  const out: DisputeStatus[] = [w.start.status];
  for (const t of w.transitions as readonly Transition[]) if (!out.includes(t.to)) out.push(t.to);
  return out;
}

/** The number of working days a deadline allows under a preset. */
export function deadlineDays(policy: PolicyPreset, d: Deadline): number {
  return d.policy === 'dataDispute' ? policy.dataDispute[d.days] : policy.publicObjection[d.days];
}
