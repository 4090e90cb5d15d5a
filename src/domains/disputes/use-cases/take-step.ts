import { record } from '../../../platform/audit/audit.js';
import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { sm3Hex } from '../../../platform/crypto/sm3.js';
import { type Executor, inTransaction } from '../../../platform/db/index.js';
import { platformError } from '../../../platform/errors.js';
import { type CjkFont, CjkFontMissingError, resolveCjkFont } from '../../../platform/files/index.js';
import type { Ctx } from '../../../platform/http/index.js';
import { emailDepartmentContact } from '../../../platform/notifications/index.js';
import { disputeError } from '../disputes.errors.js';
import { notifyParties } from '../disputes.notices.js';
import { actsAs } from '../disputes.policy.js';
import { isOverdue, presentDetail, stepWords, visibleDispute } from '../disputes.present.js';
import * as repo from '../disputes.repo.js';
import { LABELS, renderDisputeReport } from '../disputes.report.js';
import type { DisputeAction, TDisputeStep } from '../disputes.schema.js';
import { findTransition, type Transition, WORKFLOWS } from '../disputes.states.js';
import { dueDate } from './due-date.js';

/** The Chinese word of each outcome, for notifications. */
const OUTCOME_ZH = { corrected: '已更正', confirmed: '经核实无误' } as const;

/** The audit action of each step. */
const STEP_AUDIT = {
  find_technical: 'dispute.technical_found',
  transfer: 'dispute.transferred',
  mark: 'dispute.marked',
  resolve: 'dispute.resolved',
} as const satisfies Record<DisputeAction, string>;

/** Checks a step's body against its action: an outcome and a note to resolve, no outcome otherwise. */
function checkStepInput(input: TDisputeStep): void {
  if (input.action === 'resolve') {
    const errors = [
      ...(input.outcome ? [] : [{ field: 'outcome', rule: 'required', message: 'required to resolve 办结须填写结论' }]),
      ...(input.note ? [] : [{ field: 'note', rule: 'required', message: 'required to resolve 办结须填写说明' }]),
    ];
    if (errors.length) throw platformError('VALIDATION_FAILED', 'Resolving needs an outcome and a note. 办结须填写结论和说明。', { errors });
  } else if (input.outcome) {
    throw platformError('VALIDATION_FAILED', 'Only resolving takes an outcome. 仅办结时填写结论。', { errors: [{ field: 'outcome', rule: 'not_allowed', message: 'only with resolve 仅办结时填写' }] });
  }
}

/**
 * Takes one step of a dispute (the workflow tables in disputes.states.ts): the right party only
 * (other parties 403, everyone else 404), from the right status only (409). Row lock, new state,
 * history row, the next step's due date, notification of the other parties and audit in one
 * transaction; resolving also archives the verification report (PDF) and emails the requester's
 * sharing officer.
 */
export async function takeStep(ctx: Ctx, id: string, input: TDisputeStep) {
  const d = await visibleDispute(ctx, id);
  const kindTransitions = (WORKFLOWS[d.kind].transitions as readonly Transition[]).filter((t) => t.action === input.action);
  if (kindTransitions.length > 0 && !kindTransitions.some((t) => actsAs(ctx.actor, t.by, d))) {
    throw platformError('FORBIDDEN', 'This step is another party’s. 该步骤应由另一方办理。');
  }
  const illegal = () =>
    disputeError('DISPUTE_ILLEGAL_TRANSITION', `“${input.action}” is not allowed while the dispute is ${d.status}. 当前状态下不能执行该操作。`, { auditDenied: true });
  const t = findTransition(d.kind, d.status, input.action);
  if (!t) throw illegal();
  if (!actsAs(ctx.actor, t.by, d)) throw platformError('FORBIDDEN', 'This step is another party’s. 该步骤应由另一方办理。');
  checkStepInput(input);
  const now = ctx.app.clock.now();
  const today = todayInShanghai(now);
  const nextDue = t.deadline ? await dueDate(ctx, t.deadline, d.received_on, today) : null;
  const db = ctx.app.database.db;
  // A missing or unusable CJK font (found now, or when the report is rendered) is the operator's error saying what to install.
  try {
    const font = t.to === 'resolved' ? resolveCjkFont(ctx.app.config.HUITONG_CJK_FONT) : null;
    await inTransaction(db, async (tx) => {
      const locked = await repo.lockDispute(tx, id);
      if (!locked || locked.status !== d.status) throw illegal();
      const late = isOverdue(locked, now);
      await repo.updateDispute(tx, id, {
        status: t.to,
        due_on: nextDue,
        overdue_notified_at: null,
        updated_at: now,
        ...(input.action === 'mark' ? { marked_at: now } : {}),
        ...(t.to === 'resolved' ? { outcome: input.outcome, outcome_note: input.note, resolved_at: now, resolved_by: ctx.actor.id } : {}),
      });
      await repo.insertStep(tx, {
        dispute_id: id,
        action: input.action,
        from_status: d.status,
        to_status: t.to,
        note: input.note,
        outcome: t.to === 'resolved' ? (input.outcome ?? null) : null,
        step_due_on: locked.due_on,
        late,
        next_due_on: nextDue,
        actor_id: ctx.actor.id,
        actor_name: ctx.actor.name,
        department_id: ctx.actor.departmentId,
        at: now,
      });
      const after = { ...d, status: t.to };
      const w = stepWords(d.kind, t.to);
      const [zh, en] =
        t.to === 'resolved' && input.outcome
          ? [`已办结（${OUTCOME_ZH[input.outcome]}），核查报告已生成`, `resolved (${input.outcome}), the report is ready`]
          : [`${w.zh}${nextDue ? `，请于 ${nextDue} 前办理` : ''}`, `${w.en}${nextDue ? `, due ${nextDue}` : ''}`];
      await notifyParties(tx, after, {
        actor: ctx.actor,
        to: ['requester', 'platform', 'department'],
        kind: STEP_AUDIT[input.action],
        title: `异议 ${d.no}（${d.dataset_name}）${zh} Dispute ${d.no} (${d.dataset_name_en || d.dataset_name}): ${en}`,
        at: now,
      });
      await record(tx, {
        actor: ctx.actor,
        action: STEP_AUDIT[input.action],
        targetType: 'dispute',
        targetId: id,
        requestId: ctx.requestId,
        at: now,
        details: { no: d.no, kind: d.kind, action: input.action, from: d.status, to: t.to, late, dueOn: nextDue, ...(t.to === 'resolved' ? { outcome: input.outcome } : {}) },
      });
      if (font) await archiveReport(tx, d, font, now);
    });
  } catch (err) {
    if (err instanceof CjkFontMissingError) throw disputeError('DISPUTE_REPORT_FONT_MISSING', err.message);
    throw err;
  }
  return presentDetail(ctx, (await repo.findDispute(db, id)) as repo.DisputeRow);
}

/** Renders and stores the verification report of a dispute just resolved in `tx`, and emails the requester's sharing officer. */
async function archiveReport(tx: Executor, before: repo.DisputeRow, font: CjkFont, now: Date): Promise<void> {
  const d = (await repo.findDispute(tx, before.id)) as repo.DisputeRow;
  const steps = await repo.listSteps(tx, d.id);
  const pdf = await renderDisputeReport(d, steps, font, now);
  await repo.insertReport(tx, { dispute_id: d.id, pdf, sm3: sm3Hex(pdf), font: font.postscriptName ?? font.path, created_at: now });
  await emailDepartmentContact(tx, {
    departmentId: d.requester_department_id,
    contactRole: 'sharing_officer',
    subject: `异议 ${d.no} 已办结，核查报告已生成 Dispute ${d.no} resolved: verification report ready`,
    text: [
      `异议编号 Number: ${d.no}`,
      `数据资源 Dataset: ${d.dataset_name} ${d.dataset_code}`,
      `异议类别 Category: ${LABELS.category[d.category]}`,
      `结论 Outcome: ${d.outcome ? LABELS.outcome[d.outcome] : ''}`,
      `说明 Note: ${d.outcome_note ?? ''}`,
      '核查报告可在平台下载。The verification report can be downloaded on the platform.',
    ].join('\n'),
    kind: 'dispute.resolved',
    link: `/disputes/${d.id}`,
    at: now,
  });
}

