import { todayInShanghai } from '../../platform/calendar/calendar.js';
import type { Ctx } from '../../platform/http/index.js';
import { disputeError } from './disputes.errors.js';
import { allowedActions, canSee } from './disputes.policy.js';
import * as repo from './disputes.repo.js';
import type { DisputeKind, DisputeStatus } from './disputes.schema.js';
import { awaitingParty } from './disputes.states.js';

/** How disputes are shown: one view for lists, the same with its steps for one dispute. */

/** A timestamp as ISO 8601, or null. */
export const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** True when an open dispute's current step is past its last day (Asia/Shanghai dates). */
export function isOverdue(d: { status: string; due_on: string | null }, now: Date): boolean {
  return d.status !== 'resolved' && d.due_on !== null && todayInShanghai(now) > d.due_on;
}

/** What the current step is, in Chinese and in English, for tasks and notifications. */
export function stepWords(kind: DisputeKind, status: DisputeStatus): { zh: string; en: string } {
  if (status === 'submitted') return kind === 'department_dispute' ? { zh: '待核查', en: 'to check' } : { zh: '待异议标注', en: 'to mark' };
  if (status === 'technical') return { zh: '待更正（技术原因）', en: 'to correct (technical cause)' };
  if (status === 'marked') return { zh: '待决定或转交', en: 'to decide or transfer' };
  if (status === 'transferred') return kind === 'department_dispute' ? { zh: '待核查更正', en: 'to check and correct' } : { zh: '待核实', en: 'to verify' };
  return { zh: '已办结', en: 'resolved' };
}

/** The current step as one bilingual phrase, Chinese first. */
export function stepLabel(kind: DisputeKind, status: DisputeStatus): string {
  const w = stepWords(kind, status);
  return `${w.zh} ${w.en}`;
}

/** A dispute as the API shows it: the subject only masked, never the identifier; `actions` are the caller's next steps. */
export function present(ctx: Ctx, d: repo.DisputeRow) {
  return {
    id: d.id,
    no: d.no,
    kind: d.kind,
    status: d.status,
    category: d.category,
    description: d.description,
    dataset: { entryId: d.entry_id, code: d.dataset_code, name: d.dataset_name, nameEn: d.dataset_name_en },
    subject: d.subject_kind ? { kind: d.subject_kind, masked: d.subject_masked as string } : null,
    channel: d.channel,
    requesterDepartment: { id: d.requester_department_id, name: d.requester_name, nameEn: d.requester_name_en },
    responsibleDepartment: { id: d.responsible_department_id, name: d.responsible_name, nameEn: d.responsible_name_en },
    receivedOn: d.received_on,
    dueOn: d.due_on,
    overdue: isOverdue(d, ctx.app.clock.now()),
    awaiting: awaitingParty(d.kind, d.status),
    marked: d.marked_at !== null && d.status !== 'resolved',
    markedAt: iso(d.marked_at),
    outcome: d.outcome,
    outcomeNote: d.outcome_note,
    resolvedAt: iso(d.resolved_at),
    reportReady: Boolean(d.has_report),
    actions: allowedActions(ctx.actor, d),
    createdAt: iso(d.created_at) as string,
    updatedAt: iso(d.updated_at) as string,
  };
}

export type DisputeView = ReturnType<typeof present>;

/** The dispute if the caller may see it; otherwise NOT_FOUND, so nobody else learns it exists. */
export async function visibleDispute(ctx: Ctx, id: string) {
  const d = await repo.findDispute(ctx.app.database.db, id);
  if (!d || !canSee(ctx.actor, d)) throw disputeError('DISPUTE_NOT_FOUND');
  return d;
}

/** One dispute with its steps, as its parties and the platform see it. */
export async function presentDetail(ctx: Ctx, d: repo.DisputeRow) {
  const steps = await repo.listSteps(ctx.app.database.db, d.id);
  return {
    ...present(ctx, d),
    steps: steps.map((s) => ({
      seq: s.seq,
      action: s.action,
      fromStatus: s.from_status,
      toStatus: s.to_status,
      note: s.note,
      outcome: s.outcome,
      dueOn: s.step_due_on,
      late: s.late,
      nextDueOn: s.next_due_on,
      actor: { id: s.actor_id, name: s.actor_name },
      department: s.department_id ? { id: s.department_id, name: s.department_name } : null,
      at: iso(s.at) as string,
    })),
  };
}

