import type { Transaction } from 'kysely';
import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import type { AuditAction } from '../../platform/audit/actions.js';
import { addWorkingDays, type CalendarData, CalendarYearMissingError, todayInShanghai, workingDaysBetween } from '../../platform/calendar/calendar.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { sm3Hex } from '../../platform/crypto/sm3.js';
import { type DB, inTransaction, type NewRow, type Row } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { AppContext, Ctx } from '../../platform/http/index.js';
import { notifyRoleHolders } from '../../platform/notifications/index.js';
import { findPublishedEntry } from '../catalog/index.js';
import { datasetOfEntry } from '../collection/index.js';
import { type AgreementTerms, agreementText } from './agreement-text.js';
import { sharingError } from './sharing.errors.js';
import { tell } from './sharing.notify.js';
import { actsForDepartment, canSeeRequest, partiesOf } from './sharing.policy.js';
import * as repo from './sharing.repo.js';
import type {
  Decision,
  EscalationReason,
  GrantItem,
  RequestedItem,
  TAnswerInput,
  TNegotiationInput,
  TProvideInput,
  TReasonInput,
  TRulingInput,
  TShareRequestInput,
  TShareRequestQuery,
} from './sharing.schema.js';
import { DEFAULT_DAILY_QUOTA } from './sharing.schema.js';
import { actionsFor, DEADLINE_STATES, type DeadlineKind, findTransition, type Party, type ShareAction } from './sharing.states.js';

type RequestState = Row<'share_requests'>;
type Tx = Transaction<DB>;

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** The audit action of each workflow step. */
const AUDIT_OF: Record<ShareAction, AuditAction> = {
  grant: 'share_request.granted',
  grant_confirmed: 'share_request.granted',
  auto_grant: 'share_request.granted',
  refuse: 'share_request.refused',
  confirm: 'share_request.confirmed',
  provide: 'share_request.provided',
  escalate: 'share_request.escalated',
  contest: 'share_request.contested',
  negotiate_share: 'share_request.negotiated',
  negotiate_refuse: 'share_request.negotiated',
  negotiate_fail: 'share_request.negotiated',
  rule_share: 'share_request.ruled',
  rule_refuse: 'share_request.ruled',
  withdraw: 'share_request.withdrawn',
};

/** Bilingual words for each step, for notifications and the history. */
const STEP_WORDS: Record<ShareAction, [string, string]> = {
  grant: ['已同意共享，请确认保密协议', 'granted; please accept the confidentiality agreement'],
  grant_confirmed: ['已同意共享', 'granted'],
  auto_grant: ['无条件共享，已自动同意', 'unconditional data, granted automatically'],
  refuse: ['已拒绝', 'refused'],
  confirm: ['保密协议已双方确认', 'agreement accepted by both'],
  provide: ['已提供数据，授权生效', 'provided; the grant is in force'],
  escalate: ['已提交主管部门协调', 'escalated to the authority'],
  contest: ['申请方对拒绝提出异议，已提交主管部门', 'refusal contested; with the authority'],
  negotiate_share: ['协调结果：共享', 'negotiated: share'],
  negotiate_refuse: ['协调结果：不予共享', 'negotiated: not shared'],
  negotiate_fail: ['协调未达成一致，转联合审查', 'negotiation failed; joint review'],
  rule_share: ['市政府裁定：共享', 'ruling: share'],
  rule_refuse: ['市政府裁定：不予共享', 'ruling: not shared'],
  withdraw: ['申请已撤回', 'withdrawn'],
};

/** The working-day calendar, read before a transaction (the store reads through the database handle). */
async function calendarOf(app: AppContext): Promise<CalendarData> {
  return app.calendar.get();
}

/** The due date `days` working days after today; a year without an arrangement is a clear 422. */
function dueAfter(cal: CalendarData, today: string, days: number): string {
  try {
    return addWorkingDays(cal, today, days);
  } catch (err) {
    if (err instanceof CalendarYearMissingError) throw platformError('CALENDAR_YEAR_MISSING', err.message);
    throw err;
  }
}

/** Working days from today to the due date (negative once overdue); null when it cannot be counted. */
function daysLeft(cal: CalendarData, today: string, due: string | null): number | null {
  if (!due) return null;
  try {
    return workingDaysBetween(cal, today, due);
  } catch {
    return null;
  }
}

/** The number of working days a deadline kind gives, from the policy preset. */
function deadlineDays(app: AppContext, kind: DeadlineKind, shareType: string): number | null {
  const p = app.policy.shareRequest;
  if (kind === 'answer') return shareType === 'conditional' ? p.conditionalAnswerDays : p.answerDays;
  if (kind === 'provide') return p.provideDays;
  if (kind === 'ruling_provide') return p.rulingProvideDays;
  return null;
}

/** Whether the data type needs a confidentiality agreement before the grant starts (C6). */
const needsAgreement = (shareType: string) => shareType !== 'unconditional';

/** Whether someone owes a step by a due date in this state. */
const owesStep = (status: string) => (DEADLINE_STATES as readonly string[]).includes(status);

/** Overdue: someone owes a step and its last day has passed. */
function isOverdue(r: { status: string; due_on: string | null }, today: string): boolean {
  return r.due_on !== null && owesStep(r.status) && today > r.due_on;
}

type StepOpts = { cal: CalendarData; now: Date; note?: string; details?: Record<string, unknown>; patch?: Partial<NewRow<'share_requests'>>; public?: boolean };

/**
 * One workflow step: the table allows it for this party, the new state and its deadline are
 * written with a history row and an audit entry, and both departments are notified. Run it
 * on a row locked in the caller's transaction.
 */
async function step(tx: Tx, ctx: Ctx, req: RequestState, action: ShareAction, by: Party, o: StepOpts): Promise<RequestState> {
  const t = findTransition(req.status, action);
  if (!t || !(t.by as readonly Party[]).includes(by)) {
    throw sharingError('SHARING_REQUEST_NOT_PENDING', `This step (${action}) is not allowed while the request is ${req.status}. 当前状态不允许此操作。`, { auditDenied: true });
  }
  const today = todayInShanghai(o.now);
  const days = deadlineDays(ctx.app, t.deadline, req.share_type);
  const dueOn = days === null ? null : dueAfter(o.cal, today, days);
  const next = { ...req, ...o.patch, status: t.to, due_on: dueOn, reminded_for: null, updated_at: o.now } as RequestState;
  await repo.updateRequest(tx, req.id, { ...o.patch, status: t.to, due_on: dueOn, reminded_for: null, updated_at: o.now });
  await repo.insertEvent(tx, {
    id: uuidv7(),
    request_id: req.id,
    action,
    from_status: req.status,
    to_status: t.to,
    actor_id: by === 'platform' ? null : ctx.actor.id,
    actor_department_id: by === 'platform' ? null : ctx.actor.departmentId,
    note: o.note ?? '',
    details: JSON.stringify({ ...o.details, ...(dueOn ? { dueOn } : {}) }),
    public: o.public ?? false,
    at: o.now,
  });
  await record(tx, {
    actor: ctx.actor,
    action: AUDIT_OF[action],
    targetType: 'share_request',
    targetId: req.id,
    requestId: ctx.requestId,
    at: o.now,
    details: { no: req.no, step: action, from: req.status, to: t.to, dueOn, ...o.details },
  });
  const [zh, en] = STEP_WORDS[action];
  const title = `共享申请 ${req.no} ${zh}${dueOn ? `，${dueOn} 前` : ''} Share request ${req.no} ${en}${dueOn ? `, due ${dueOn}` : ''}`;
  for (const departmentId of new Set([req.consumer_department_id, req.provider_department_id])) {
    await tell(tx, departmentId, { kind: `share_request.${action}`, title, link: `/sharing/requests/${req.id}`, at: o.now });
  }
  if (t.to === 'escalated' || t.to === 'joint_review') {
    await notifyRoleHolders(tx, 'authority', { kind: `share_request.${action}`, title, link: `/sharing/requests/${req.id}`, at: o.now });
  }
  return next;
}

/** The request's agreement terms, from the request and the granted items. */
function termsOf(req: RequestState & { entry_code: string; entry_name: string; consumer_name: string; provider_name: string }, items: GrantItem[]): AgreementTerms {
  return {
    requestNo: req.no,
    consumer: req.consumer_name,
    provider: req.provider_name,
    entryCode: req.entry_code,
    entryName: req.entry_name,
    items,
    purpose: req.purpose,
    scope: req.scope,
    periodFrom: req.period_from,
    periodUntil: req.period_until,
    legalBasis: req.legal_basis,
  };
}

/** Writes the agreement for the request's granted items (once; an existing one stands). */
async function ensureAgreement(tx: Tx, req: RequestState, items: GrantItem[], now: Date): Promise<void> {
  if (await repo.findAgreementOf(tx, req.id)) return;
  const full = (await repo.findRequest(tx, req.id)) as repo.RequestRow;
  const terms = termsOf(full, items);
  const text = agreementText(terms);
  await repo.insertAgreement(tx, { id: uuidv7(), request_id: req.id, text, terms: JSON.stringify(terms), text_hash: sm3Hex(text), created_at: now });
}

/** The granted items of a decision, with their names from the request. */
function grantedItems(req: RequestState, decision: Decision): GrantItem[] {
  const names = new Map(json<RequestedItem[]>(req.items).map((i) => [i.nameEn, i.name]));
  return decision.items.filter((i) => i.granted).map((i) => ({ nameEn: i.nameEn, name: names.get(i.nameEn) ?? i.nameEn, masking: i.masking }));
}

/**
 * Provides: the grant starts with the decided items, masking and quota, until the end of the
 * requested period. Refused while an agreement is pending or, for the provider, while the entry
 * has no collected data (the platform's own attempt just waits).
 */
async function provide(tx: Tx, ctx: Ctx, req: RequestState, by: Party, o: StepOpts): Promise<RequestState> {
  const decision = json<Decision | null>(req.decision);
  if (!decision) throw sharingError('SHARING_REQUEST_NOT_PENDING', 'The request has no answer to provide from. 申请尚无答复。');
  const agreement = needsAgreement(req.share_type) ? await repo.findAgreementOf(tx, req.id) : undefined;
  if (needsAgreement(req.share_type)) {
    if (!agreement?.consumer_accepted_at || !agreement.provider_accepted_at) {
      if (by === 'platform') return req;
      throw sharingError('SHARING_AGREEMENT_PENDING', 'Both departments must accept the confidentiality agreement first. 保密协议须经双方确认后方可提供。');
    }
  }
  if (!(await datasetOfEntry(tx, req.entry_id))) {
    if (by === 'platform') return req;
    throw sharingError('SHARING_NO_DATA', 'Collect the data of this entry before providing it. 请先归集该目录的数据再提供。');
  }
  const grantId = uuidv7();
  const items = grantedItems(req, decision);
  await repo.insertGrant(tx, {
    id: grantId,
    request_id: req.id,
    consumer_department_id: req.consumer_department_id,
    provider_department_id: req.provider_department_id,
    entry_id: req.entry_id,
    items: JSON.stringify(items),
    purpose: req.purpose,
    legal_basis: decision.legalBasis || req.legal_basis,
    valid_from: o.now,
    valid_until: req.period_until,
    daily_quota: decision.dailyQuota,
    agreement_id: agreement?.id ?? null,
    status: 'active',
    created_at: o.now,
  });
  await record(tx, {
    actor: ctx.actor,
    action: 'grant.created',
    targetType: 'grant',
    targetId: grantId,
    requestId: ctx.requestId,
    at: o.now,
    details: { requestNo: req.no, consumerDepartmentId: req.consumer_department_id, entryId: req.entry_id, items: items.map((i) => i.nameEn), validUntil: req.period_until },
  });
  return step(tx, ctx, req, 'provide', by, { ...o, patch: { grant_id: grantId }, details: { grantId } });
}

/** The request if the caller may see it; otherwise NOT_FOUND, so nobody else learns it exists. */
async function visibleRequest(ctx: Ctx, id: string): Promise<repo.RequestRow> {
  const r = await repo.findRequest(ctx.app.database.db, id);
  if (!r || !canSeeRequest(ctx.actor, r)) throw sharingError('SHARING_REQUEST_NOT_FOUND');
  return r;
}

/** Locks the request and checks the actor may act on it as `party`. */
async function lockAs(tx: Tx, ctx: Ctx, id: string, party: Party): Promise<RequestState> {
  const req = await repo.lockRequest(tx, id);
  if (!req || !canSeeRequest(ctx.actor, req)) throw sharingError('SHARING_REQUEST_NOT_FOUND');
  if (!partiesOf(ctx.actor, req).includes(party)) {
    const who = { consumer: '申请部门 the applying department', provider: '提供部门 the providing department', authority: '主管部门 the authority', platform: '平台 the platform' }[party];
    throw platformError('FORBIDDEN', `Only ${who}'s sharing officer or administrator may take this step. 仅${who.split(' ')[0]}可执行此操作。`);
  }
  return req;
}

/** A request as the API shows it, with its countdown and what the caller may do next. */
function present(ctx: Ctx, r: repo.RequestRow, cal: CalendarData, agreement?: Row<'share_agreements'>) {
  const today = todayInShanghai(ctx.app.clock.now());
  const parties = partiesOf(ctx.actor, r);
  const actions = [...new Set(parties.flatMap((p) => actionsFor(r.status, p)))].filter((a) => !['escalate', 'confirm', 'auto_grant'].includes(a));
  const mayAccept =
    agreement &&
    ['answered', 'ordered'].includes(r.status) &&
    ((parties.includes('consumer') && !agreement.consumer_accepted_at) || (parties.includes('provider') && !agreement.provider_accepted_at));
  return {
    id: r.id,
    no: r.no,
    entry: { id: r.entry_id, code: r.entry_code, name: r.entry_name, version: r.entry_version },
    consumer: { id: r.consumer_department_id, name: r.consumer_name, nameEn: r.consumer_name_en },
    provider: { id: r.provider_department_id, name: r.provider_name, nameEn: r.provider_name_en },
    shareType: r.share_type,
    items: json<RequestedItem[]>(r.items),
    purpose: r.purpose,
    scope: r.scope,
    legalBasis: r.legal_basis,
    periodFrom: r.period_from,
    periodUntil: r.period_until,
    status: r.status,
    dueOn: r.due_on,
    workingDaysLeft: owesStep(r.status) ? daysLeft(cal, today, r.due_on) : null,
    overdue: isOverdue(r, today),
    decision: json<Decision | null>(r.decision),
    escalationReason: r.escalation_reason,
    ruling: r.ruling,
    violationRecordedAt: iso(r.violation_recorded_at),
    grantId: r.grant_id,
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
    actions: mayAccept ? [...actions, 'accept_agreement'] : actions,
  };
}

/**
 * A consumer department applies for a published entry's data items (C1–C3). Unconditional data
 * is granted per the preset (automatically, or on the provider's acknowledgement); conditional
 * data waits for the provider's answer; not-shared data goes to the authority with the
 * consumer's legal basis. Audited; the provider (or the authority) is notified.
 */
export async function submitRequest(ctx: Ctx, input: TShareRequestInput) {
  const consumer = ctx.actor.departmentId;
  if (!consumer || !actsForDepartment(ctx.actor)) throw platformError('FORBIDDEN', 'Only a department’s sharing officer or administrator applies for data. 仅部门共享专员或管理员可提交共享申请。');
  const db = ctx.app.database.db;
  const entry = await findPublishedEntry(db, input.entry);
  if (!entry) throw sharingError('SHARING_ENTRY_NOT_FOUND');
  if (entry.departmentId === consumer) throw sharingError('SHARING_OWN_ENTRY', 'Your department provides this data itself. 该数据由本部门提供，无需申请。');
  const byName = new Map(entry.fields.items.map((i) => [i.nameEn, i]));
  const unknown = input.items.map((i, n) => ({ i, n })).filter(({ i }) => !byName.has(i.nameEn));
  if (unknown.length > 0) {
    throw sharingError('SHARING_UNKNOWN_ITEM', 'Some requested items are not data items of this entry. 部分信息项不在该目录中。', {
      errors: unknown.map(({ n }) => ({ field: `items.${n}.nameEn`, rule: 'in_entry', message: 'not a data item of the entry 不是该目录的信息项' })),
    });
  }
  const shareType = entry.fields.shareType;
  if (shareType === 'none' && !input.legalBasis) {
    throw sharingError('SHARING_LEGAL_BASIS_REQUIRED', 'Not-shared data can be requested only with a legal basis. 申请不予共享的数据须提供法律依据。', {
      errors: [{ field: 'legalBasis', rule: 'required', message: 'required for not-shared data 不予共享数据须注明法律依据' }],
    });
  }
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  const today = todayInShanghai(now);
  const dueOn = shareType === 'none' ? null : dueAfter(cal, today, deadlineDays(ctx.app, 'answer', shareType) as number);
  const id = uuidv7();
  const items: RequestedItem[] = input.items.map((i) => ({ nameEn: i.nameEn, name: byName.get(i.nameEn)?.name ?? i.nameEn, duty: i.duty }));
  await inTransaction(db, async (tx) => {
    const no = await repo.nextRequestNo(tx, today.slice(0, 4));
    const row: NewRow<'share_requests'> = {
      id,
      no,
      entry_id: entry.id,
      entry_version: entry.publishedVersion,
      consumer_department_id: consumer,
      provider_department_id: entry.departmentId,
      share_type: shareType,
      items: JSON.stringify(items),
      purpose: input.purpose,
      scope: input.scope,
      legal_basis: input.legalBasis,
      period_from: input.periodFrom,
      period_until: input.periodUntil,
      status: 'submitted',
      due_on: dueOn,
      reminded_for: null,
      decision: null,
      escalation_reason: null,
      ruling: null,
      violation_recorded_at: null,
      grant_id: null,
      created_by: ctx.actor.id as string,
      created_at: now,
      updated_at: now,
    };
    await repo.insertRequest(tx, row);
    let req = (await repo.lockRequest(tx, id)) as RequestState;
    await repo.insertEvent(tx, {
      id: uuidv7(),
      request_id: id,
      action: 'submit',
      from_status: null,
      to_status: 'submitted',
      actor_id: ctx.actor.id,
      actor_department_id: consumer,
      note: input.purpose,
      details: JSON.stringify({ items: items.map((i) => i.nameEn), ...(dueOn ? { dueOn } : {}) }),
      public: false,
      at: now,
    });
    await record(tx, {
      actor: ctx.actor,
      action: 'share_request.submitted',
      targetType: 'share_request',
      targetId: id,
      requestId: ctx.requestId,
      at: now,
      details: { no, entryId: entry.id, providerDepartmentId: entry.departmentId, shareType, items: items.map((i) => i.nameEn), dueOn },
    });
    const o = { cal, now };
    if (shareType === 'none') {
      await step(tx, ctx, req, 'escalate', 'platform', { ...o, patch: { escalation_reason: 'not_shared_data' }, details: { reason: 'not_shared_data' } });
    } else if (shareType === 'unconditional' && ctx.app.policy.unconditionalGrant === 'automatic') {
      const decision: Decision = { items: items.map((i) => ({ nameEn: i.nameEn, granted: true, masking: 'none' })), reason: '', legalBasis: '', dailyQuota: DEFAULT_DAILY_QUOTA };
      req = await step(tx, ctx, req, 'auto_grant', 'platform', { ...o, patch: { decision: JSON.stringify(decision) } });
      await provide(tx, ctx, req, 'platform', o);
    } else {
      await tell(tx, entry.departmentId, {
        kind: 'share_request.submitted',
        title: `共享申请 ${no} 待答复：${entry.fields.name}，${dueOn} 前 Share request ${no} to answer: ${entry.fields.name}, due ${dueOn}`,
        link: `/sharing/requests/${id}`,
        at: now,
      });
    }
  });
  return getRequest(ctx, id);
}

/**
 * The provider answers: grants all or some items (masking and quota per its choice) or refuses.
 * Any refused item needs reasons and a legal basis (C3). Conditional data then waits for the
 * confidentiality agreement; unconditional data is confirmed and provided at once when its
 * data is collected. Consent and refusal are filed with the authority.
 */
export async function answerRequest(ctx: Ctx, id: string, input: TAnswerInput) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const req = await lockAs(tx, ctx, id, 'provider');
    const requested = new Set(json<RequestedItem[]>(req.items).map((i) => i.nameEn));
    const errors = input.items
      .map((i, n) => ({ i, n }))
      .filter(({ i }) => !requested.has(i.nameEn))
      .map(({ n }) => ({ field: `items.${n}.nameEn`, rule: 'in_request', message: 'not an item of the request 不是申请的信息项' }));
    if (errors.length > 0) throw sharingError('SHARING_UNKNOWN_ITEM', 'Answer only the requested items. 只能答复申请的信息项。', { errors });
    // An item the answer leaves out is refused.
    const answered = new Map(input.items.map((i) => [i.nameEn, i]));
    const decision: Decision = {
      items: [...requested].map((nameEn) => answered.get(nameEn) ?? { nameEn, granted: false, masking: 'none' as const }),
      reason: input.reason,
      legalBasis: input.legalBasis,
      dailyQuota: input.dailyQuota,
    };
    const granted = decision.items.filter((i) => i.granted);
    if (granted.length < decision.items.length && (!input.reason || !input.legalBasis)) {
      throw sharingError('SHARING_LEGAL_BASIS_REQUIRED', 'A refusal, whole or in part, must give reasons and a legal basis. 拒绝（含部分拒绝）须说明理由和法律依据。', {
        errors: [
          ...(input.reason ? [] : [{ field: 'reason', rule: 'required', message: 'required when refusing 拒绝须说明理由' }]),
          ...(input.legalBasis ? [] : [{ field: 'legalBasis', rule: 'required', message: 'required when refusing 拒绝须注明法律依据' }]),
        ],
      });
    }
    const o = { cal, now, patch: { decision: JSON.stringify(decision) }, details: { granted: granted.map((i) => i.nameEn), refused: decision.items.filter((i) => !i.granted).map((i) => i.nameEn) } };
    const note = input.reason;
    if (granted.length === 0) {
      await step(tx, ctx, req, 'refuse', 'provider', { ...o, note });
    } else if (needsAgreement(req.share_type)) {
      const next = await step(tx, ctx, req, 'grant', 'provider', { ...o, note });
      await ensureAgreement(tx, next, grantedItems(next, decision), now);
    } else {
      const next = await step(tx, ctx, req, 'grant_confirmed', 'provider', { ...o, note });
      await provide(tx, ctx, next, 'platform', { cal, now });
    }
    await notifyRoleHolders(tx, 'authority', {
      kind: 'share_request.answer_filed',
      title: `共享申请 ${req.no} 已答复（${granted.length === 0 ? '拒绝' : granted.length < decision.items.length ? '部分同意' : '同意'}），备案 Share request ${req.no} answered, filed with the authority`,
      link: `/sharing/requests/${id}`,
      at: now,
    });
  });
  return getRequest(ctx, id);
}

/**
 * One department's sharing officer or administrator accepts the agreement. Once both have, an
 * answered request is confirmed and provided at once when its data is collected.
 */
export async function acceptAgreement(ctx: Ctx, id: string) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const req = await repo.lockRequest(tx, id);
    if (!req || !canSeeRequest(ctx.actor, req)) throw sharingError('SHARING_REQUEST_NOT_FOUND');
    const parties = partiesOf(ctx.actor, req).filter((p): p is 'consumer' | 'provider' => p === 'consumer' || p === 'provider');
    if (parties.length === 0) throw platformError('FORBIDDEN', 'Only the two departments’ sharing officers or administrators accept the agreement. 仅双方共享专员或管理员可确认保密协议。');
    const agreement = await repo.lockAgreementOf(tx, id);
    if (!agreement) throw sharingError('SHARING_AGREEMENT_NOT_FOUND');
    if (!['answered', 'ordered'].includes(req.status)) throw sharingError('SHARING_REQUEST_NOT_PENDING', 'The agreement can be accepted only while the request waits for it. 当前状态无需确认保密协议。', { auditDenied: true });
    const patch: Partial<NewRow<'share_agreements'>> = {};
    for (const p of parties) {
      if (p === 'consumer' && !agreement.consumer_accepted_at) Object.assign(patch, { consumer_accepted_by: ctx.actor.id, consumer_accepted_at: now });
      if (p === 'provider' && !agreement.provider_accepted_at) Object.assign(patch, { provider_accepted_by: ctx.actor.id, provider_accepted_at: now });
    }
    if (Object.keys(patch).length === 0) throw sharingError('SHARING_REQUEST_NOT_PENDING', 'Your department has accepted the agreement already. 本部门已确认保密协议。');
    await repo.updateAgreement(tx, agreement.id, patch);
    await record(tx, {
      actor: ctx.actor,
      action: 'share_agreement.accepted',
      targetType: 'share_agreement',
      targetId: agreement.id,
      requestId: ctx.requestId,
      at: now,
      details: { requestNo: req.no, as: parties, textHash: agreement.text_hash },
    });
    const both = (patch.consumer_accepted_at ?? agreement.consumer_accepted_at) && (patch.provider_accepted_at ?? agreement.provider_accepted_at);
    if (!both) {
      const other = parties.includes('consumer') ? req.provider_department_id : req.consumer_department_id;
      await tell(tx, other, {
        kind: 'share_agreement.accepted',
        title: `共享申请 ${req.no} 的保密协议已由对方确认，请确认 The other department accepted the agreement of ${req.no}; please accept it`,
        link: `/sharing/requests/${id}`,
        at: now,
      });
      return;
    }
    if (req.status === 'answered') {
      const next = await step(tx, ctx, req, 'confirm', 'platform', { cal, now });
      await provide(tx, ctx, next, 'platform', { cal, now });
    }
  });
  return getRequest(ctx, id);
}

/**
 * The provider provides a confirmed or ordered request: the grant starts. After a negotiation or
 * ruling the provider sets the masking and quota here (the items are the requested ones).
 */
export async function provideRequest(ctx: Ctx, id: string, input: TProvideInput) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    let req = await lockAs(tx, ctx, id, 'provider');
    if (req.status === 'ordered') {
      const requested = json<RequestedItem[]>(req.items);
      const masking = new Map((input.items ?? []).map((i) => [i.nameEn, i.masking]));
      const unknown = [...masking.keys()].filter((n) => !requested.some((r) => r.nameEn === n));
      if (unknown.length > 0) {
        throw sharingError('SHARING_UNKNOWN_ITEM', 'Only the requested items can be set. 只能设置申请的信息项。', {
          errors: unknown.map((n) => ({ field: 'items', rule: 'in_request', message: `${n}: not an item of the request 不是申请的信息项` })),
        });
      }
      const decision: Decision = {
        items: requested.map((r) => ({ nameEn: r.nameEn, granted: true, masking: masking.get(r.nameEn) ?? 'none' })),
        reason: '',
        legalBasis: req.ruling ? 'negotiation or ruling of the authority 主管部门协调或市政府裁定' : '',
        dailyQuota: input.dailyQuota ?? DEFAULT_DAILY_QUOTA,
      };
      await repo.updateRequest(tx, id, { decision: JSON.stringify(decision) });
      req = { ...req, decision: JSON.stringify(decision) };
    }
    await provide(tx, ctx, req, 'provider', { cal, now });
  });
  return getRequest(ctx, id);
}

/** The consumer contests a refusal: the authority convenes a negotiation (C4). Not after a negotiated or ruled refusal. */
export async function contestRefusal(ctx: Ctx, id: string, input: TReasonInput) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const req = await lockAs(tx, ctx, id, 'consumer');
    if (req.ruling !== null) throw sharingError('SHARING_REQUEST_NOT_PENDING', 'A refusal by negotiation or ruling is final. 协调或裁定结果不可再提出异议。', { auditDenied: true });
    await step(tx, ctx, req, 'contest', 'consumer', { cal, now, note: input.reason, patch: { escalation_reason: 'refusal_contested' } });
  });
  return getRequest(ctx, id);
}

/** The consumer withdraws its request before the data is provided. */
export async function withdrawRequest(ctx: Ctx, id: string, input: TReasonInput) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const req = await lockAs(tx, ctx, id, 'consumer');
    await step(tx, ctx, req, 'withdraw', 'consumer', { cal, now, note: input.reason });
  });
  return getRequest(ctx, id);
}

/**
 * The authority records the negotiation it convened; the record is published to all departments
 * (C4). Share: the provider must provide within the preset's days; no agreement: joint review.
 */
export async function recordNegotiation(ctx: Ctx, id: string, input: TNegotiationInput) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const req = await lockAs(tx, ctx, id, 'authority');
    const action = ({ share: 'negotiate_share', refuse: 'negotiate_refuse', no_agreement: 'negotiate_fail' } as const)[input.outcome];
    const ruling = input.outcome === 'no_agreement' ? null : input.outcome;
    const next = await step(tx, ctx, req, action, 'authority', { cal, now, note: input.record, public: true, patch: { ruling }, details: { outcome: input.outcome } });
    if (next.status === 'ordered' && needsAgreement(req.share_type)) await ensureAgreement(tx, next, requestedAsGranted(next), now);
  });
  return getRequest(ctx, id);
}

/** The authority records the city government's ruling after the joint review. Share: the ruling clock starts (C4). */
export async function recordRuling(ctx: Ctx, id: string, input: TRulingInput) {
  const cal = await calendarOf(ctx.app);
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const req = await lockAs(tx, ctx, id, 'authority');
    const action = input.ruling === 'share' ? 'rule_share' : 'rule_refuse';
    const next = await step(tx, ctx, req, action, 'authority', { cal, now, note: input.record, public: true, patch: { ruling: input.ruling }, details: { ruling: input.ruling } });
    if (next.status === 'ordered' && needsAgreement(req.share_type)) await ensureAgreement(tx, next, requestedAsGranted(next), now);
  });
  return getRequest(ctx, id);
}

/** Every requested item, as the agreement of an ordered request lists them. */
function requestedAsGranted(req: RequestState): GrantItem[] {
  return json<RequestedItem[]>(req.items).map((i) => ({ nameEn: i.nameEn, name: i.name, masking: 'none' }));
}

/** One request with its history and agreement, for a party or an overseer. */
export async function getRequest(ctx: Ctx, id: string) {
  const r = await visibleRequest(ctx, id);
  const db = ctx.app.database.db;
  const [events, agreement, cal] = await Promise.all([repo.listEvents(db, id), repo.findAgreementWithNames(db, id), calendarOf(ctx.app)]);
  return {
    ...present(ctx, r, cal, agreement),
    history: events.map((e) => ({
      action: e.action,
      from: e.from_status,
      to: e.to_status,
      actor: e.actor_name ?? null,
      department: e.department_name ? { name: e.department_name, nameEn: e.department_name_en } : null,
      note: e.note,
      details: json<Record<string, unknown>>(e.details),
      public: e.public,
      at: iso(e.at) as string,
    })),
    agreement: agreement
      ? {
          id: agreement.id,
          text: agreement.text,
          textHash: agreement.text_hash,
          consumerAcceptedAt: iso(agreement.consumer_accepted_at),
          consumerAcceptedBy: agreement.consumer_accepted_name,
          providerAcceptedAt: iso(agreement.provider_accepted_at),
          providerAcceptedBy: agreement.provider_accepted_name,
        }
      : null,
  };
}

export type ShareRequestView = Awaited<ReturnType<typeof getRequest>>;

/** Requests of the caller's department (as consumer, provider or both), or all of them for the authority and overseers. */
export async function listRequests(ctx: Ctx, q: TShareRequestQuery) {
  const overseer = ctx.actor.roles.some((r) => ['authority', 'supervisor', 'platform_admin'].includes(r));
  const role = q.role === 'authority' && !overseer ? undefined : (q.role ?? (overseer && !ctx.actor.departmentId ? 'authority' : undefined));
  if (!ctx.actor.departmentId && role !== 'authority') return { items: [], total: 0 };
  const cal = await calendarOf(ctx.app);
  const today = todayInShanghai(ctx.app.clock.now());
  const { items, total } = await repo.listRequests(ctx.app.database.db, {
    departmentId: ctx.actor.departmentId,
    role,
    status: q.status,
    overdueOn: q.overdue === 'true' ? today : undefined,
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: items.map((r) => present(ctx, r, cal)), total };
}

/** The published negotiation and ruling records (C4), for every signed-in person. */
export async function listNegotiations(ctx: Ctx, page: { page: number; pageSize: number }) {
  const rows = await repo.listPublicEvents(ctx.app.database.db, { limit: page.pageSize, offset: (page.page - 1) * page.pageSize });
  return {
    items: rows.map((e) => ({
      id: e.id,
      requestId: e.request_id,
      no: e.no,
      entryName: e.entry_name,
      consumer: e.consumer_name,
      provider: e.provider_name,
      action: e.action,
      to: e.to_status,
      record: e.note,
      at: iso(e.at) as string,
    })),
  };
}

export type SweepReport = { escalated: number; reminded: number; violations: number };

/**
 * The deadline sweep (idempotent): a request unanswered or not provided past its due date is
 * escalated to the authority the next day; a provider that lets a ruling's deadline pass is
 * recorded once (C4); the provider is reminded once in the last working day before a due date.
 */
export async function sweepShareRequests(app: AppContext, now: Date): Promise<SweepReport> {
  const ctx: Ctx = { app, actor: SYSTEM_ACTOR, requestId: null };
  const cal = await calendarOf(app);
  const today = todayInShanghai(now);
  const report: SweepReport = { escalated: 0, reminded: 0, violations: 0 };
  const rows = await repo.listWithDeadline(app.database.db, DEADLINE_STATES);
  for (const row of rows) {
    const due = row.due_on as string;
    const overdue = today > due;
    const remind = !overdue && row.reminded_for !== due && (daysLeft(cal, today, due) ?? Number.POSITIVE_INFINITY) <= 1;
    if (!overdue && !remind) continue;
    if (row.status === 'ordered' && overdue && row.violation_recorded_at) continue;
    await inTransaction(app.database.db, async (tx) => {
      const req = await repo.lockRequest(tx, row.id);
      if (!req || req.status !== row.status || req.due_on !== row.due_on) return; // moved on since the scan
      if (overdue && req.status === 'ordered') {
        if (req.violation_recorded_at) return;
        await recordViolation(tx, ctx, req, now);
        report.violations++;
      } else if (overdue) {
        const reason: EscalationReason = req.status === 'submitted' ? 'unanswered' : 'not_provided';
        await step(tx, ctx, req, 'escalate', 'platform', { cal, now, patch: { escalation_reason: reason }, details: { reason, dueOn: req.due_on } });
        report.escalated++;
      } else {
        await repo.updateRequest(tx, req.id, { reminded_for: due });
        await tell(tx, req.provider_department_id, {
          kind: 'share_request.reminder',
          title: `提醒：共享申请 ${req.no} 须在 ${due} 前${req.status === 'submitted' ? '答复' : '提供数据'} Reminder: share request ${req.no} is due ${due}`,
          link: `/sharing/requests/${req.id}`,
          at: now,
        });
        await record(tx, { actor: ctx.actor, action: 'share_request.reminded', targetType: 'share_request', targetId: req.id, at: now, details: { no: req.no, dueOn: due, status: req.status } });
        report.reminded++;
      }
    });
  }
  return report;
}

/** A provider let the deadline of a ruling or negotiated result to share pass: recorded against it (C4). */
async function recordViolation(tx: Tx, ctx: Ctx, req: RequestState, now: Date): Promise<void> {
  await repo.updateRequest(tx, req.id, { violation_recorded_at: now });
  await repo.insertEvent(tx, {
    id: uuidv7(),
    request_id: req.id,
    action: 'ruling_ignored',
    from_status: req.status,
    to_status: req.status,
    actor_id: null,
    actor_department_id: null,
    note: '',
    details: JSON.stringify({ dueOn: req.due_on }),
    public: true,
    at: now,
  });
  await record(tx, {
    actor: ctx.actor,
    action: 'share_request.ruling_ignored',
    targetType: 'share_request',
    targetId: req.id,
    at: now,
    details: { no: req.no, providerDepartmentId: req.provider_department_id, dueOn: req.due_on },
  });
  const title = `共享申请 ${req.no}：提供部门未在 ${req.due_on} 前执行裁定，已记录 Share request ${req.no}: the provider ignored the ruling due ${req.due_on}; recorded`;
  await tell(tx, req.provider_department_id, { role: null, kind: 'share_request.ruling_ignored', title, link: `/sharing/requests/${req.id}`, at: now });
  await notifyRoleHolders(tx, 'authority', { kind: 'share_request.ruling_ignored', title, link: `/sharing/requests/${req.id}`, at: now });
}

/** Requests waiting for the actor's department or, for the authority, escalations: home-page tasks (kind `share`). */
export async function sharingTasks(ctx: Ctx) {
  if (ctx.actor.kind !== 'user') return [];
  const db = ctx.app.database.db;
  const today = todayInShanghai(ctx.app.clock.now());
  const rows: repo.RequestRow[] = [];
  if (ctx.actor.departmentId && actsForDepartment(ctx.actor)) rows.push(...(await repo.listOpenFor(db, ctx.actor.departmentId)));
  if (ctx.actor.roles.includes('authority')) rows.push(...(await repo.listForAuthority(db)));
  const tasks = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    if (r.status === 'answered' || r.status === 'ordered') {
      const a = await repo.findAgreementOf(db, r.id);
      const asConsumer = r.consumer_department_id === ctx.actor.departmentId;
      const accepted = asConsumer ? a?.consumer_accepted_at : a?.provider_accepted_at;
      // The consumer acts only to accept; the provider of an answered request likewise (an ordered one it must provide).
      if ((asConsumer || r.status === 'answered') && (!a || accepted)) continue;
    }
    tasks.push({
      kind: 'share',
      title: `${r.no} · ${r.entry_name} (${r.consumer_name} → ${r.provider_name})`,
      shareRequestId: r.id,
      departmentId: r.consumer_department_id,
      dueAt: r.due_on,
      overdue: isOverdue(r, today),
      createdAt: iso(r.created_at) as string,
    });
  }
  return tasks;
}
