import type { AuditAction } from '../../../platform/audit/actions.js';
import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { AppError, type FieldError, platformError } from '../../../platform/errors.js';
import type { Ctx } from '../../../platform/http/index.js';
import { maskIdentifier, normaliseIdentifier, revealSubjects, type SubjectKind, subjectToken } from '../../../platform/vault/index.js';
import { claimMatches } from './compare.js';
import { projectValues, tokensToReveal } from './projection.js';
import { type CachedGrant, type GrantedItem, isServing } from './grant-cache.js';
import { maskIdentifierRuns } from './masking.js';
import { queryError } from './query.errors.js';
import { MAX_PURPOSE_LENGTH, type TDatasetAnswer, type TIdType, type TSubjectAnswer, type TVerifyAnswer, type VerifyResult } from './query.schema.js';
import type { Reservation } from './quota.js';
import type { FoundRecord, RecordLookupResult } from './record-loader.js';
import { type CallPayload, queryRuntime } from './runtime.js';

/**
 * The sharing query API (共享查询, SPEC C7): a consumer system reads, by subject, exactly the
 * data items its department's grants allow, masked as granted, or checks claimed values
 * against them. Every call — served or refused — leaves exactly one audit entry, written by the
 * group-commit writer before the answer goes out; if it cannot be written nothing is served.
 */

/** Errors whose call has been audited already (by this service or, for bad credentials, by the clients domain). */
const audited = new WeakSet<AppError>();

/** True when the refusal has its audit entry already. */
export function isAudited(err: unknown): boolean {
  return err instanceof AppError && (audited.has(err) || err.code === 'AUTH_INVALID_CLIENT');
}

/** What an audit entry of a call says besides who and when: never an identifier or a value. */
type CallInfo = { purpose?: string | undefined; subjectTokens?: string[]; items?: string[]; grants?: string[] };

/** The caller's free text in an entry (purpose, item names, a refusal's detail) with identifier-shaped runs masked; tokens untouched. */
function scrub<T extends Record<string, unknown>>(details: T): T {
  const out: Record<string, unknown> = { ...details };
  for (const k of ['purpose', 'detail'] as const) if (typeof out[k] === 'string') out[k] = maskIdentifierRuns(out[k] as string);
  for (const k of ['items', 'fields'] as const) if (Array.isArray(out[k])) out[k] = (out[k] as unknown[]).map((v) => (typeof v === 'string' ? maskIdentifierRuns(v) : v));
  return out as T;
}

function auditUnavailable(): AppError {
  const e = queryError('SHARING_AUDIT_UNAVAILABLE', 'The call could not be audited, so nothing was served; try again later. 审计记录写入失败，未提供数据，请稍后重试。');
  audited.add(e);
  return e;
}

/** The entry's target: the one subject by token, or the call itself for several or none. */
function targetOf(subjects: readonly string[] | undefined): { targetType: string; targetId: string | null } {
  return subjects?.length === 1 ? { targetType: 'subject', targetId: subjects[0] as string } : { targetType: 'share_query', targetId: null };
}

/**
 * Writes the one audit entry of a refused call and returns the error to answer with: the refusal
 * itself, or 503 SHARING_AUDIT_UNAVAILABLE when not even the entry could be written.
 */
export async function refuseCall(ctx: Ctx, error: AppError, info: CallInfo & { route?: string }): Promise<AppError> {
  const { route, ...rest } = info;
  const target = route ? { targetType: 'route', targetId: route } : targetOf(rest.subjectTokens);
  try {
    await queryRuntime(ctx.app).audit.append({
      actor: ctx.actor,
      action: 'share.query_denied',
      ...target,
      outcome: 'denied',
      requestId: ctx.requestId,
      details: scrub({ code: error.code, status: error.status, detail: error.message, ...rest }),
      at: ctx.app.clock.now(),
    });
  } catch (err) {
    ctx.app.log.error({ err, requestId: ctx.requestId }, 'could not audit a refused sharing query');
    return auditUnavailable();
  }
  audited.add(error);
  return error;
}

/** Writes the audit entry of a served call (with its usage) and waits until it is committed. */
async function auditServed(ctx: Ctx, action: AuditAction, info: CallInfo & Record<string, unknown>, payload: CallPayload): Promise<void> {
  const subjects = info.subjectTokens;
  try {
    await queryRuntime(ctx.app).audit.append(
      { actor: ctx.actor, action, ...targetOf(subjects), outcome: 'allowed', requestId: ctx.requestId, details: scrub(info), at: ctx.app.clock.now() },
      payload,
    );
  } catch (err) {
    if (payload.reservation) queryRuntime(ctx.app).quota.release(payload.reservation);
    ctx.app.log.error({ err, requestId: ctx.requestId }, 'could not audit a sharing query; nothing served');
    throw auditUnavailable();
  }
}

/** Looks like URL-encoding: `%` and two hex digits. */
const PERCENT_ENCODED = /%[0-9A-Fa-f]{2}/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * The `Purpose` header as text. HTTP headers are Latin-1, so Chinese is sent URL-encoded
 * (`encodeURIComponent`) or, by some clients, as raw UTF-8 bytes; both are decoded here.
 */
export function parsePurpose(header: string | string[] | undefined): { ok: true; purpose: string } | { ok: false; error: AppError } {
  const field = 'headers.purpose';
  let s = Array.isArray(header) ? header.join(', ') : (header ?? '');
  if (PERCENT_ENCODED.test(s)) {
    try {
      s = decodeURIComponent(s);
    } catch {
      const message = 'not valid URL-encoded UTF-8 不是有效的 URL 编码';
      return { ok: false, error: platformError('VALIDATION_FAILED', `Purpose: ${message}`, { errors: [{ field, rule: 'encoding', message }] }) };
    }
  } else if (/[^\u0020-\u007e]/.test(s)) {
    const utf8 = Buffer.from(s, 'latin1').toString('utf8');
    if (!utf8.includes('\ufffd')) s = utf8;
  }
  s = s.trim();
  if (!s) {
    const message = 'state the purpose of the query in the Purpose header 请在 Purpose 请求头中说明查询用途';
    return { ok: false, error: queryError('SHARING_PURPOSE_REQUIRED', `Purpose: ${message}`, { errors: [{ field, rule: 'required', message }] }) };
  }
  if ([...s].length > MAX_PURPOSE_LENGTH || CONTROL.test(s)) {
    const message = `at most ${MAX_PURPOSE_LENGTH} characters of plain text 不超过 ${MAX_PURPOSE_LENGTH} 个字符的文本`;
    return { ok: false, error: platformError('VALIDATION_FAILED', `Purpose: ${message}`, { errors: [{ field, rule: 'max_length', message }] }) };
  }
  return { ok: true, purpose: s };
}

/** `?fields=a,b` as a list; undefined when left out. */
export function parseFieldList(q: string | undefined): string[] | undefined {
  if (q === undefined) return undefined;
  return q
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
}

/** A subject as the caller named it; `field` is where it was in the request, for error messages. */
export type SubjectAsked = { idType: TIdType | undefined; id: string; field: string };

type Subject = { idType: SubjectKind; normalised: string; token: string };

/** Normalises the identifiers; errors name the field and rule only, never the value. */
function resolveSubjects(ctx: Ctx, asked: readonly SubjectAsked[], today: string): { subjects: Subject[]; errors: FieldError[] } {
  const subjects: Subject[] = [];
  const errors: FieldError[] = [];
  const seen = new Map<string, string>();
  for (const a of asked) {
    if (!a.idType) {
      errors.push({ field: a.field.replace(/\.id$/, '.idType'), rule: 'required', message: 'name the identifier type here or for the whole request 请指定标识类型' });
      continue;
    }
    const n = normaliseIdentifier(a.idType, a.id, { today, usccLegacy: 'warn' });
    if (!n.ok) {
      errors.push({ field: a.field, rule: n.rule, message: n.message });
      continue;
    }
    const token = subjectToken(ctx.app.vault, a.idType, n.value);
    const first = seen.get(token);
    if (first !== undefined) {
      errors.push({ field: a.field, rule: 'duplicate', message: `the same subject as ${first} 与 ${first} 为同一主体` });
      continue;
    }
    seen.set(token, a.field);
    subjects.push({ idType: a.idType, normalised: n.value, token });
  }
  return { subjects, errors };
}

/** One dataset as a call serves it: its grants (merged) and the items served from it. */
type DatasetPlan = { datasetId: string; grants: CachedGrant[]; items: Map<string, GrantedItem> };

type Served = {
  plans: DatasetPlan[];
  /** token → datasetId → record. */
  records: Map<string, Map<string, FoundRecord>>;
  reservation: Reservation | undefined;
  grantIds: string[];
};

/**
 * The common path of query and verification: the caller's serving grants, the items check
 * (`wanted` outside the grants → 403 naming them), the quota, and the records of the subjects
 * in the datasets the wanted items come from. The grants come from a short-lived cache; a refusal,
 * or a grant found revoked on the way, makes the plan again once from grants read afresh.
 */
async function serve(ctx: Ctx, opts: { subjects: Subject[]; wanted: string[] | undefined; wantedField: string; purpose: string; calls: number }): Promise<Served> {
  const { app, actor } = ctx;
  const rt = queryRuntime(app);
  const now = app.clock.now();
  const today = todayInShanghai(now);
  const tokens = opts.subjects.map((s) => s.token);
  const info = { purpose: opts.purpose, subjectTokens: tokens, ...(opts.wanted ? { items: opts.wanted } : {}) };
  const departmentId = actor.departmentId;
  if (!departmentId) throw await refuseCall(ctx, queryError('SHARING_NO_GRANT', 'Only a department’s API client can query shared data. 仅部门的 API 客户端可查询共享数据。'), info);
  for (let attempt = 0; ; attempt++) {
    const grants = (await rt.grants.get(departmentId)).filter((g) => isServing(g, now, today));
    // A refusal is decided on grants read just now, never on cached ones (a grant may be new or revoked since).
    const recheck = () => {
      rt.grants.invalidate(departmentId);
      return attempt === 0;
    };
    if (!grants.length) {
      if (recheck()) continue;
      throw await refuseCall(ctx, queryError('SHARING_NO_GRANT', 'Your department holds no grant that serves today. 本部门没有当前有效的共享授权。'), info);
    }
    const granted = new Set(grants.flatMap((g) => g.items.map((i) => i.nameEn)));
    const wanted = opts.wanted;
    if (wanted) {
      const missing = wanted.filter((f) => !granted.has(f));
      if (missing.length) {
        if (recheck()) continue;
        const error = queryError('SHARING_FIELD_NOT_GRANTED', `Not granted to your department: ${missing.join(', ')}. 以下数据项未授权给本部门：${missing.join('、')}。`, {
          errors: missing.map((f) => ({ field: opts.wantedField, rule: 'granted', message: `${f}: not granted 未获授权` })),
        });
        throw await refuseCall(ctx, error, info);
      }
    }
    const used = grants.filter((g) => g.datasetId !== null && g.items.some((i) => !wanted || wanted.includes(i.nameEn)));
    let reservation: Reservation | undefined;
    if (used.length) {
      const r = await rt.quota.reserve(used, today, opts.calls);
      if (!r.ok) {
        const entries = [...new Set(used.filter((g) => r.exceeded.includes(g.id)).map((g) => g.entryCode))];
        const error = queryError('SHARING_QUOTA_EXCEEDED', `Today's calls under the grant for ${entries.join(', ')} are used up; narrow the call with fields or try tomorrow. 以下资源的授权今日调用次数已用完：${entries.join('、')}。`);
        throw await refuseCall(ctx, error, { ...info, items: wanted ?? [...granted], grants: r.exceeded });
      }
      reservation = r.reservation;
    }
    let found: RecordLookupResult = { active: new Set(), records: new Map() };
    if (used.length) {
      const datasetIds = [...new Set(used.map((g) => g.datasetId as string))];
      try {
        found = await rt.records.load({ grantIds: used.map((g) => g.id), pairs: datasetIds.flatMap((datasetId) => tokens.map((key) => ({ datasetId, key }))) });
      } catch (err) {
        if (reservation) rt.quota.release(reservation);
        throw err;
      }
    }
    const active = found.active;
    const gone = used.filter((g) => !active.has(g.id));
    if (gone.length) {
      // Revoked or lapsed since the cache was filled: plan again from the database.
      if (recheck()) {
        if (reservation) rt.quota.release(reservation);
        continue;
      }
      if (reservation) rt.quota.release(reservation, gone.map((g) => g.id));
    }
    const plans = new Map<string, DatasetPlan>();
    for (const g of used) {
      if (!active.has(g.id)) continue;
      const datasetId = g.datasetId as string;
      const plan = plans.get(datasetId) ?? { datasetId, grants: [], items: new Map<string, GrantedItem>() };
      plan.grants.push(g);
      for (const item of g.items) {
        if (wanted && !wanted.includes(item.nameEn)) continue;
        const had = plan.items.get(item.nameEn);
        // Two grants on one entry: the item is served as the less masked of its grants.
        if (!had || (had.masking === 'partial' && item.masking === 'none')) plan.items.set(item.nameEn, item);
      }
      plans.set(datasetId, plan);
    }
    const records = new Map<string, Map<string, FoundRecord>>();
    for (const [k, rec] of found.records) {
      const [datasetId, token] = k.split('|') as [string, string];
      const m = records.get(token) ?? new Map<string, FoundRecord>();
      m.set(datasetId, rec);
      records.set(token, m);
    }
    return { plans: [...plans.values()], records, reservation, grantIds: used.filter((g) => active.has(g.id)).map((g) => g.id) };
  }
}

/** The subject as echoed back: its type and masked identifier. */
const echo = (s: Subject) => ({ idType: s.idType, id: maskIdentifier(s.idType, s.normalised) });

/**
 * Reads the granted items of each subject from every dataset the caller's department holds a
 * serving grant for (optionally only `fields`), masked per grant. A subject no dataset holds gets
 * an empty list. One audit entry either way.
 */
export async function querySubjects(ctx: Ctx, input: { subjects: SubjectAsked[]; fields: string[] | undefined; fieldsField: string; purpose: string | string[] | undefined }): Promise<TSubjectAnswer[]> {
  const { app } = ctx;
  const p = parsePurpose(input.purpose);
  if (!p.ok) throw await refuseCall(ctx, p.error, {});
  const purpose = p.purpose;
  const today = todayInShanghai(app.clock.now());
  const { subjects, errors } = resolveSubjects(ctx, input.subjects, today);
  const tokens = subjects.map((s) => s.token);
  if (input.fields !== undefined && input.fields.length === 0) {
    errors.push({ field: input.fieldsField, rule: 'min_items', message: 'name at least one data item, or leave fields out 至少指定一个数据项' });
  }
  if (errors.length) {
    throw await refuseCall(ctx, platformError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors }), { purpose, subjectTokens: tokens });
  }
  const fields = input.fields ? [...new Set(input.fields)] : undefined;
  const served = await serve(ctx, { subjects, wanted: fields, wantedField: input.fieldsField, purpose, calls: subjects.length });

  // The subjects' own identifiers are known already; others (a spouse's ID number…) are decrypted in one query.
  const known = new Map<string, { kind: SubjectKind; value: string }>(subjects.map((s) => [s.token, { kind: s.idType, value: s.normalised }]));
  const foreign = new Set<string>();
  for (const s of subjects) {
    for (const plan of served.plans) {
      const rec = served.records.get(s.token)?.get(plan.datasetId);
      if (!rec) continue;
      for (const t of tokensToReveal(plan.items.values(), rec.values)) if (!known.has(t)) foreign.add(t);
    }
  }
  for (const [t, v] of await revealSubjects(app.database.db, app.vault, [...foreign])) known.set(t, v);

  let found = 0;
  const itemsServed = new Set<string>();
  const answers: TSubjectAnswer[] = subjects.map((s) => {
    const datasets: TDatasetAnswer[] = [];
    for (const plan of served.plans) {
      const rec = served.records.get(s.token)?.get(plan.datasetId);
      if (!rec) continue;
      found++;
      for (const name of plan.items.keys()) itemsServed.add(name);
      const { values, masking } = projectValues(plan.items.values(), rec.values, known);
      const g = plan.grants[0] as CachedGrant;
      datasets.push({
        entry: { code: g.entryCode, name: g.entryName },
        provider: { id: g.providerId, name: g.providerName },
        asOf: rec.writtenAt,
        grantIds: plan.grants.map((x) => x.id),
        values,
        masking,
      });
    }
    return { subject: echo(s), datasets };
  });

  await auditServed(
    ctx,
    'share.queried',
    { purpose, subjectTokens: tokens, items: [...itemsServed].sort(), grants: served.grantIds, found, ...(fields ? { fields } : {}) },
    { ...(served.reservation ? { reservation: served.reservation } : {}), client: clientPayload(ctx, today, tokens) },
  );
  return answers;
}

/** The client's part of a served call's payload: its distinct subjects of the day. */
function clientPayload(ctx: Ctx, day: string, tokens: string[]): CallPayload['client'] {
  const { actor } = ctx;
  if (actor.kind !== 'client' || !actor.id || !actor.departmentId) return undefined;
  return { clientId: actor.id, departmentId: actor.departmentId, day, tokens };
}

/**
 * Checks claimed values of granted items for one subject: per item `match` when every dataset
 * holding a value for it agrees with the claim, `no_match` when one does not, `no_data` when
 * none holds a value. The platform's values never leave it. One audit entry either way.
 */
export async function verifySubject(
  ctx: Ctx,
  input: { idType: TIdType; id: string; claims: Record<string, string | number | boolean>; purpose: string | string[] | undefined },
): Promise<TVerifyAnswer> {
  const { app } = ctx;
  const p = parsePurpose(input.purpose);
  if (!p.ok) throw await refuseCall(ctx, p.error, {});
  const purpose = p.purpose;
  const today = todayInShanghai(app.clock.now());
  const { subjects, errors } = resolveSubjects(ctx, [{ idType: input.idType, id: input.id, field: 'id' }], today);
  const subject = subjects[0];
  if (errors.length || !subject) {
    throw await refuseCall(ctx, platformError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors }), { purpose });
  }
  const items = Object.keys(input.claims);
  const served = await serve(ctx, { subjects, wanted: items, wantedField: 'claims', purpose, calls: 1 });
  const results: TVerifyAnswer['results'] = [];
  for (const [name, claim] of Object.entries(input.claims)) {
    const perDataset: { entryCode: string; result: VerifyResult }[] = [];
    for (const plan of served.plans) {
      const item = plan.items.get(name);
      if (!item) continue;
      const entryCode = (plan.grants[0] as CachedGrant).entryCode;
      const v = served.records.get(subject.token)?.get(plan.datasetId)?.values[name];
      const result: VerifyResult = v === undefined || v === null ? 'no_data' : claimMatches(app.vault, item.shape, claim, v) ? 'match' : 'no_match';
      perDataset.push({ entryCode, result });
    }
    const held = perDataset.filter((d) => d.result !== 'no_data');
    const result: VerifyResult = held.length === 0 ? 'no_data' : held.every((d) => d.result === 'match') ? 'match' : 'no_match';
    results.push({ item: name, result, datasets: perDataset });
  }
  await auditServed(
    ctx,
    'share.verified',
    { purpose, subjectTokens: [subject.token], items: [...items].sort(), grants: served.grantIds, results: Object.fromEntries(results.map((r) => [r.item, r.result])) },
    { ...(served.reservation ? { reservation: served.reservation } : {}), client: clientPayload(ctx, today, [subject.token]) },
  );
  return { subject: echo(subject), results };
}
