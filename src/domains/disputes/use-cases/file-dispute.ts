import { record } from '../../../platform/audit/audit.js';
import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { uuidv7 } from '../../../platform/crypto/ids.js';
import { inTransaction } from '../../../platform/db/index.js';
import { platformError } from '../../../platform/errors.js';
import type { Ctx } from '../../../platform/http/index.js';
import { maskIdentifier, normaliseIdentifier, storeSubject } from '../../../platform/vault/index.js';
import { findPublishedEntry } from '../../catalog/index.js';
import { disputeError } from '../disputes.errors.js';
import { notifyParties } from '../disputes.notices.js';
import { canFile } from '../disputes.policy.js';
import { present } from '../disputes.present.js';
import * as repo from '../disputes.repo.js';
import type { TDisputeInput } from '../disputes.schema.js';
import { WORKFLOWS } from '../disputes.states.js';
import { dueDate } from './due-date.js';

/**
 * Files a dispute. D1 (`department_dispute`): a department's administrator or editor disputes
 * another department's dataset, or one record of it. D2 (`public_objection`): the authority's
 * staff take a person's objection. The identifier goes into the vault at once (only its token and
 * a masked form are kept); the platform's first step is due in the preset's working days from
 * today; the platform is notified; audited.
 */
export async function fileDispute(ctx: Ctx, input: TDisputeInput) {
  const actor = ctx.actor;
  if (!canFile(actor, input.kind)) {
    throw platformError(
      'FORBIDDEN',
      input.kind === 'department_dispute'
        ? 'Only a department’s administrator, editor or sharing officer files a dispute. 仅部门管理员、编目员或共享专员可提出异议。'
        : 'Only the authority’s staff file an objection for a person. 仅主管部门工作人员可代为登记公众异议。',
    );
  }
  const requester = actor.departmentId as string;
  const db = ctx.app.database.db;
  const entry = await findPublishedEntry(db, input.dataset);
  if (!entry) {
    throw disputeError('DISPUTE_UNKNOWN_DATASET', 'No published dataset has this code or id. 未找到已发布的该数据资源。', {
      errors: [{ field: 'dataset', rule: 'exists', message: 'unknown dataset 数据资源不存在' }],
    });
  }
  if (input.kind === 'department_dispute' && entry.departmentId === requester) {
    throw disputeError('DISPUTE_OWN_DATASET', 'Your department provides this dataset: correct it at the source. 该数据由本部门提供，请直接更正。', {
      errors: [{ field: 'dataset', rule: 'not_own', message: 'your department provides it 本部门提供的数据' }],
    });
  }
  if ((input.idType === undefined) !== (input.id === undefined)) {
    const field = input.idType === undefined ? 'idType' : 'id';
    throw platformError('VALIDATION_FAILED', 'Name a record by both idType and id, or neither. 指定记录需同时提供证件类型和号码。', {
      errors: [{ field, rule: 'required_with', message: 'idType and id go together 证件类型与号码须同时提供' }],
    });
  }
  const now = ctx.app.clock.now();
  const today = todayInShanghai(now);
  let subject: { kind: NonNullable<typeof input.idType>; raw: string; masked: string } | null = null;
  if (input.idType !== undefined && input.id !== undefined) {
    const n = normaliseIdentifier(input.idType, input.id, { today });
    if (!n.ok) throw platformError('VALIDATION_FAILED', n.message, { errors: [{ field: 'id', rule: n.rule, message: n.message }] });
    subject = { kind: input.idType, raw: input.id, masked: maskIdentifier(input.idType, n.value) };
  }
  const start = WORKFLOWS[input.kind].start;
  // Outside the transaction: the calendar store reads through the database handle.
  const dueOn = await dueDate(ctx, start.deadline, today, today);
  const id = uuidv7();
  await inTransaction(db, async (tx) => {
    const token = subject ? await storeSubject(tx, ctx.app.vault, subject.kind, subject.raw, now, { today, field: 'id' }) : null;
    const no = await repo.nextDisputeNo(tx, today.slice(0, 4));
    await repo.insertDispute(tx, {
      id,
      no,
      kind: input.kind,
      status: start.status,
      category: input.category,
      description: input.description,
      entry_id: entry.id,
      dataset_code: entry.code,
      dataset_name: entry.fields.name,
      dataset_name_en: entry.fields.nameEn ?? '',
      subject_token: token,
      subject_kind: subject?.kind ?? null,
      subject_masked: subject?.masked ?? null,
      channel: input.kind === 'public_objection' ? input.channel : null,
      requester_department_id: requester,
      responsible_department_id: entry.departmentId,
      received_on: today,
      due_on: dueOn,
      created_by: actor.id as string,
      created_at: now,
      updated_at: now,
    });
    await repo.insertStep(tx, {
      dispute_id: id,
      action: 'file',
      from_status: null,
      to_status: start.status,
      note: '',
      outcome: null,
      step_due_on: null,
      late: false,
      next_due_on: dueOn,
      actor_id: actor.id,
      actor_name: actor.name,
      department_id: requester,
      at: now,
    });
    const ref = { id, kind: input.kind, status: start.status, requester_department_id: requester, responsible_department_id: entry.departmentId };
    await notifyParties(tx, ref, {
      actor,
      to: [start.by],
      kind: 'dispute.filed',
      title: `${input.kind === 'department_dispute' ? '共享数据异议' : '公众异议'}待处理：${no} ${entry.fields.name}，${dueOn} 前 Dispute ${no} to handle: ${entry.fields.nameEn || entry.fields.name}, due ${dueOn}`,
      at: now,
    });
    await record(tx, {
      actor,
      action: 'dispute.filed',
      targetType: 'dispute',
      targetId: id,
      requestId: ctx.requestId,
      at: now,
      details: { no, kind: input.kind, category: input.category, entryId: entry.id, dataset: entry.code, subjectToken: token, responsibleDepartmentId: entry.departmentId, dueOn },
    });
  });
  return present(ctx, (await repo.findDispute(db, id)) as repo.DisputeRow);
}

