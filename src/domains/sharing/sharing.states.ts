import type { ShareRequestStatus } from './sharing.schema.js';

/** Who takes a step: the applying department, the providing one, the authority, or the platform's sweep. */
export type Party = 'consumer' | 'provider' | 'authority' | 'platform';

/** Which deadline the new state starts (days from the policy preset), if any. */
export type DeadlineKind = 'answer' | 'provide' | 'ruling_provide' | null;

export type Transition = { from: ShareRequestStatus; action: string; to: ShareRequestStatus; by: readonly Party[]; deadline: DeadlineKind };

/**
 * The share request workflow (SPEC C1–C4, 002 §44–45), one row per allowed step. The service
 * looks a step up here and refuses any other; deadlines are working days from the preset.
 */
export const TRANSITIONS = [
  // The provider answers within the answer deadline.
  { from: 'submitted', action: 'grant', to: 'answered', by: ['provider'], deadline: null }, // agreement still to accept
  { from: 'submitted', action: 'grant_confirmed', to: 'confirmed', by: ['provider'], deadline: 'provide' }, // no agreement needed
  { from: 'submitted', action: 'refuse', to: 'refused', by: ['provider'], deadline: null },
  { from: 'submitted', action: 'auto_grant', to: 'confirmed', by: ['platform'], deadline: 'provide' }, // unconditional data, automatic preset
  // Both departments accepted the confidentiality agreement.
  { from: 'answered', action: 'confirm', to: 'confirmed', by: ['platform'], deadline: 'provide' },
  // The provider provides: the grant starts.
  { from: 'confirmed', action: 'provide', to: 'provided', by: ['provider', 'platform'], deadline: null }, // the platform provides at once when the data is there
  { from: 'ordered', action: 'provide', to: 'provided', by: ['provider'], deadline: null },
  // Escalation to the authority (C4).
  { from: 'submitted', action: 'escalate', to: 'escalated', by: ['platform'], deadline: null }, // unanswered by the due date, or not-shared data
  { from: 'confirmed', action: 'escalate', to: 'escalated', by: ['platform'], deadline: null }, // not provided by the due date
  { from: 'refused', action: 'contest', to: 'escalated', by: ['consumer'], deadline: null },
  { from: 'escalated', action: 'negotiate_share', to: 'ordered', by: ['authority'], deadline: 'provide' },
  { from: 'escalated', action: 'negotiate_refuse', to: 'refused', by: ['authority'], deadline: null },
  { from: 'escalated', action: 'negotiate_fail', to: 'joint_review', by: ['authority'], deadline: null },
  { from: 'joint_review', action: 'rule_share', to: 'ordered', by: ['authority'], deadline: 'ruling_provide' },
  { from: 'joint_review', action: 'rule_refuse', to: 'refused', by: ['authority'], deadline: null },
  // The consumer may withdraw until the data is provided.
  { from: 'submitted', action: 'withdraw', to: 'withdrawn', by: ['consumer'], deadline: null },
  { from: 'answered', action: 'withdraw', to: 'withdrawn', by: ['consumer'], deadline: null },
  { from: 'confirmed', action: 'withdraw', to: 'withdrawn', by: ['consumer'], deadline: null },
  { from: 'escalated', action: 'withdraw', to: 'withdrawn', by: ['consumer'], deadline: null },
  { from: 'joint_review', action: 'withdraw', to: 'withdrawn', by: ['consumer'], deadline: null },
] as const satisfies readonly Transition[];

export type ShareAction = (typeof TRANSITIONS)[number]['action'];

/** The step `action` from `from`, or undefined when the workflow does not allow it. */
export function findTransition(from: string, action: ShareAction): Transition | undefined {
  return TRANSITIONS.find((t) => t.from === from && t.action === action);
}

/** The actions a party may take in a state (for the UI's buttons). */
export function actionsFor(from: string, by: Party): ShareAction[] {
  return TRANSITIONS.filter((t) => t.from === from && (t.by as readonly Party[]).includes(by)).map((t) => t.action);
}

/** States in which somebody owes a step by a date the sweep watches. */
export const DEADLINE_STATES = ['submitted', 'confirmed', 'ordered'] as const satisfies readonly ShareRequestStatus[];
