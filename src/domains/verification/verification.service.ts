import { record } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { addWorkingDaysFrom } from '../../platform/calendar/calendar.service.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import { notify } from '../../platform/notifications/index.js';
import type { Task, TaskProvider } from '../../platform/tasks/index.js';
import { maskIdentifier, normaliseIdentifier, storeSubject } from '../../platform/vault/index.js';
import { findBasicItem } from '../catalog/index.js';
import { currentValuesOfBasicItem } from '../collection/index.js';
import { verificationError } from './verification.errors.js';
import { canAnswer, canReport, canSee } from './verification.policy.js';
import * as repo from './verification.repo.js';
import type { TVerificationAnswer, TVerificationQuery, TVerificationReport, VerificationStatus } from './verification.schema.js';
import { canMove } from './verification.states.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/** True when an open report's last day to answer has passed (Asia/Shanghai dates). */
function isOverdue(r: { status: string; due_on: string }, now: Date): boolean {
  return r.status === 'open' && todayInShanghai(now) > r.due_on;
}

/** A report as the API shows it: the subject only masked, never the identifier. */
function present(ctx: Ctx, r: repo.ReportRow) {
  return {
    id: r.id,
    basicItem: { id: r.basic_item_id, name: r.item_name, nameEn: r.item_name_en, category: r.item_category, categoryEn: r.item_category_en },
    subjectKind: r.subject_kind,
    subjectMasked: r.subject_masked,
    reporterDepartment: { id: r.reporter_department_id, name: r.reporter_name, nameEn: r.reporter_name_en },
    responsibleDepartment: { id: r.responsible_department_id, name: r.responsible_name, nameEn: r.responsible_name_en },
    reportedValue: r.reported_value,
    note: r.note,
    status: r.status,
    dueOn: r.due_on,
    overdue: isOverdue(r, ctx.app.clock.now()),
    outcome: r.outcome,
    answerValue: r.answer_value,
    answerNote: r.answer_note,
    answeredAt: iso(r.answered_at),
    createdAt: iso(r.created_at) as string,
    canAnswer: r.status === 'open' && canAnswer(ctx.actor, r),
  };
}

export type VerificationView = ReturnType<typeof present>;

/** The report if the caller's department is a party to it; otherwise NOT_FOUND, so nobody else learns it exists. */
async function visibleReport(ctx: Ctx, id: string) {
  const r = await repo.findReport(ctx.app.database.db, id);
  if (!r || !canSee(ctx.actor, r)) throw verificationError('VERIFICATION_NOT_FOUND');
  return r;
}

/**
 * A department reports that its copy of a subject's basic data item differs (多源校核). The
 * identifier goes into the vault (only its token and a masked form are kept); the report is a
 * task for the item's responsible department, due in the policy's working days; that
 * department is notified; audited.
 */
export async function reportDifference(ctx: Ctx, input: TVerificationReport) {
  const reporter = ctx.actor.departmentId;
  if (!reporter || !canReport(ctx.actor)) throw platformError('FORBIDDEN', 'Only a department administrator or editor reports a difference. 仅部门管理员或编目员可提交校核报告。');
  const db = ctx.app.database.db;
  const item = await findBasicItem(db, input.basicItemId);
  if (!item) {
    throw verificationError('VERIFICATION_UNKNOWN_ITEM', 'No such basic data item. 基准信息项不存在。', {
      errors: [{ field: 'basicItemId', rule: 'exists', message: 'unknown basic data item 基准信息项不存在' }],
    });
  }
  if (item.departmentId === reporter) {
    throw verificationError('VERIFICATION_OWN_ITEM', 'Your department is responsible for this item: correct it at the source. 本部门即该数据项的责任部门，请直接更正。', {
      errors: [{ field: 'basicItemId', rule: 'not_own', message: 'your department is responsible 本部门为责任部门' }],
    });
  }
  const now = ctx.app.clock.now();
  const today = todayInShanghai(now);
  const normalised = normaliseIdentifier(input.idType, input.id, { today });
  if (!normalised.ok) {
    throw platformError('VALIDATION_FAILED', normalised.message, { errors: [{ field: 'id', rule: normalised.rule, message: normalised.message }] });
  }
  // Outside the transaction: the calendar store reads through the database handle.
  const due = await addWorkingDaysFrom(ctx, today, ctx.app.policy.verificationAnswerDays);
  const dueOn = due?.result as string;
  const id = uuidv7();
  await inTransaction(db, async (tx) => {
    const token = await storeSubject(tx, ctx.app.vault, input.idType, input.id, now, { today, field: 'id' });
    await repo.insertReport(tx, {
      id,
      basic_item_id: item.id,
      subject_token: token,
      subject_kind: input.idType,
      subject_masked: maskIdentifier(input.idType, normalised.value),
      reporter_department_id: reporter,
      responsible_department_id: item.departmentId,
      reported_value: input.reportedValue,
      note: input.note,
      status: 'open',
      due_on: dueOn,
      created_by: ctx.actor.id as string,
      created_at: now,
    });
    await notify(tx, {
      departmentId: item.departmentId,
      role: null,
      kind: 'verification.reported',
      title: `多源校核待答复：${item.name}（${item.category}），${dueOn} 前 Verification report to answer: ${item.nameEn || item.name}, due ${dueOn}`,
      link: `/verifications/${id}`,
      at: now,
    });
    await record(tx, {
      actor: ctx.actor,
      action: 'verification.reported',
      targetType: 'verification_report',
      targetId: id,
      requestId: ctx.requestId,
      at: now,
      details: { basicItemId: item.id, subjectToken: token, responsibleDepartmentId: item.departmentId, dueOn },
    });
  });
  return present(ctx, (await repo.findReport(db, id)) as repo.ReportRow);
}

/**
 * The responsible department answers a report: confirms its value or corrects it. Row lock,
 * workflow table, policy, new state, notification of the reporter and audit in one transaction.
 */
export async function answerReport(ctx: Ctx, id: string, input: TVerificationAnswer) {
  const r = await visibleReport(ctx, id);
  if (!canAnswer(ctx.actor, r)) {
    throw platformError('FORBIDDEN', 'Only the responsible department’s administrator or editor answers. 仅责任部门的管理员或编目员可答复。');
  }
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const locked = await repo.lockReport(tx, id);
    const from = locked?.status as VerificationStatus;
    if (!locked || !canMove(from, 'answered')) {
      throw verificationError('VERIFICATION_ALREADY_ANSWERED', 'This report was answered already. 该校核报告已答复。', { auditDenied: true });
    }
    await repo.updateReport(tx, id, {
      status: 'answered',
      outcome: input.outcome,
      answer_value: input.value,
      answer_note: input.note,
      answered_at: now,
      answered_by: ctx.actor.id,
    });
    const verb = input.outcome === 'corrected' ? ['已更正', 'corrected'] : ['已确认', 'confirmed'];
    await notify(tx, {
      departmentId: locked.reporter_department_id,
      role: null,
      kind: 'verification.answered',
      title: `校核报告已答复（${verb[0]}）：${r.item_name} Verification report answered (${verb[1]}): ${r.item_name_en || r.item_name}`,
      link: `/verifications/${id}`,
      at: now,
    });
    await record(tx, {
      actor: ctx.actor,
      action: 'verification.answered',
      targetType: 'verification_report',
      targetId: id,
      requestId: ctx.requestId,
      at: now,
      details: { outcome: input.outcome, from, to: 'answered', overdue: isOverdue(locked, now), reporterDepartmentId: locked.reporter_department_id },
    });
  });
  return present(ctx, (await repo.findReport(ctx.app.database.db, id)) as repo.ReportRow);
}

/**
 * One report, for either party. The responsible department also sees what its datasets hold for
 * that subject and item (`platformValues`); the reporter gets null there.
 */
export async function getReport(ctx: Ctx, id: string) {
  const r = await visibleReport(ctx, id);
  const isResponsible = ctx.actor.departmentId === r.responsible_department_id;
  const platformValues = isResponsible
    ? await currentValuesOfBasicItem(ctx.app.database.db, { departmentId: r.responsible_department_id, basicItemId: r.basic_item_id, subjectToken: r.subject_token })
    : null;
  return { ...present(ctx, r), platformValues };
}

/** The department's reports: those it filed (`reported`), those it must answer (`assigned`), or both. */
export async function listReports(ctx: Ctx, q: TVerificationQuery) {
  const departmentId = ctx.actor.departmentId;
  if (!departmentId) return { items: [], total: 0 };
  const { items, total } = await repo.listReports(ctx.app.database.db, { departmentId, role: q.role, status: q.status, page: q.page, pageSize: q.pageSize });
  return { items: items.map((r) => present(ctx, r)), total };
}

/** Open reports the actor's department must answer, as home-page tasks (kind `verify`) with their due date. */
export async function verificationTasks(ctx: Ctx): Promise<Task[]> {
  const departmentId = ctx.actor.departmentId;
  if (!departmentId || ctx.actor.kind !== 'user') return [];
  const now = ctx.app.clock.now();
  const rows = await repo.listOpenAssigned(ctx.app.database.db, departmentId);
  return rows
    .filter((r) => canAnswer(ctx.actor, r))
    .map((r) => ({
      kind: 'verify',
      title: `${r.item_name} · ${r.subject_masked} (${r.reporter_name})`,
      verificationId: r.id,
      departmentId: r.reporter_department_id,
      dueAt: r.due_on,
      overdue: isOverdue(r, now),
      createdAt: iso(r.created_at) as string,
    }));
}

/** Verification's part of the home page's to-do list (registered in src/app.ts). */
export const verificationTaskProvider: TaskProvider = { name: 'verification', tasks: verificationTasks };
