import { sql, type Transaction } from 'kysely';
import type { Actor } from '../actor.js';
import { canonicalJson } from '../crypto/canonical-json.js';
import { sm3Hex } from '../crypto/sm3.js';
import type { DB, Executor, Row } from '../db/index.js';
import type { AuditAction } from './actions.js';

/** What a caller says about an event; the chain fields are added by record(). */
export type AuditEvent = {
  actor: Actor;
  action: AuditAction;
  targetType: string;
  targetId?: string | null;
  outcome?: 'allowed' | 'denied';
  requestId?: string | null;
  details?: Record<string, unknown>;
  at: Date;
};

/** The fields of an entry that its hash covers. */
export type HashedFields = {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string;
  departmentId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
  details: Record<string, unknown>;
};

/** The hashed fields of a new entry at `seq`, as record() and the group-commit writer (audit-batcher.ts) build them. */
export function hashedFieldsFor(seq: number, ev: AuditEvent): HashedFields {
  return {
    seq,
    // Millisecond precision: what JS can represent and what the database gives back unchanged.
    at: new Date(ev.at.getTime()).toISOString(),
    actorId: ev.actor.id,
    actorName: ev.actor.name,
    departmentId: ev.actor.departmentId,
    action: ev.action,
    targetType: ev.targetType,
    targetId: ev.targetId ?? null,
    outcome: ev.outcome ?? 'allowed',
    requestId: ev.requestId ?? null,
    details: JSON.parse(JSON.stringify(ev.details ?? {})),
  };
}

/** hash = SM3(previous hash || canonical JSON of the entry). */
export function entryHash(prevHash: string, fields: HashedFields): string {
  return sm3Hex(prevHash + canonicalJson(fields));
}

/**
 * Appends one entry to the chain inside the caller's transaction, so the entry exists exactly
 * when the change does. Locking the head row serialises writers: the chain never forks.
 */
export async function record(tx: Transaction<DB>, ev: AuditEvent): Promise<number> {
  const head = await tx.selectFrom('audit_head').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const seq = Number(head.seq) + 1;
  const fields = hashedFieldsFor(seq, ev);
  const at = new Date(fields.at);
  const hash = entryHash(head.hash, fields);
  await tx
    .insertInto('audit_log')
    .values({
      seq,
      at,
      actor_id: fields.actorId,
      actor_name: fields.actorName,
      department_id: fields.departmentId,
      action: fields.action,
      target_type: fields.targetType,
      target_id: fields.targetId,
      outcome: fields.outcome,
      request_id: fields.requestId,
      details: JSON.stringify(fields.details),
      prev_hash: head.hash,
      hash,
    })
    .execute();
  await tx.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
  return seq;
}

/** The hashed fields of a stored entry, as they were when it was written. */
export function hashedFieldsOf(r: Row<'audit_log'>): HashedFields {
  return {
    seq: Number(r.seq),
    at: new Date(r.at).toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    departmentId: r.department_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    requestId: r.request_id,
    details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  };
}

/** Result of walking the chain. */
export type VerifyResult = { ok: true; checked: number } | { ok: false; checked: number; firstBadSeq: number; reason: string };

/**
 * Walks the whole chain in order and recomputes every hash. Any altered field, removed entry
 * (gap or broken link) or reordering (links out of order) is reported at the first bad entry.
 */
export async function verifyChain(db: Executor, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = '0'.repeat(64);
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, checked, firstBadSeq: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (r.prev_hash !== prevHash) return { ok: false, checked, firstBadSeq: seq, reason: 'link to the previous entry is broken' };
      const fields = hashedFieldsOf(r);
      if (entryHash(prevHash, fields) !== r.hash || r.hash === undefined) {
        return { ok: false, checked, firstBadSeq: seq, reason: 'entry content does not match its hash' };
      }
      prevHash = r.hash;
      expectedSeq = seq + 1;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirst();
  if (head && (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash)) {
    return { ok: false, checked, firstBadSeq: expectedSeq, reason: 'the newest entries were removed (chain head does not match)' };
  }
  return { ok: true, checked };
}

/** Filters for browsing the trail. */
export type AuditQuery = {
  actorId?: string | undefined;
  departmentId?: string | undefined;
  action?: string | undefined;
  outcome?: 'allowed' | 'denied' | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Vault tokens of one subject: entries whose target or details name any of them (never the identifier itself). */
  subjectTokens?: readonly string[] | undefined;
  /** A catalog entry (id or resource code): entries about any of its grants. */
  entry?: string | undefined;
  page: number;
  pageSize: number;
};

/**
 * A time filter bound. A plain date is a whole day in Asia/Shanghai, both ends included (the
 * audit page sends its date range that way); a date-time is taken as given.
 */
function auditBound(value: string, side: 'start' | 'end'): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(value);
  const startOfDay = new Date(`${value}T00:00:00+08:00`);
  return side === 'start' ? startOfDay : new Date(startOfDay.getTime() + 86_400_000);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of every grant of a catalog entry, named by id or resource code. A plain read of the
 * `grants` table: platform code does not import domains, and the trail names grants by id only.
 */
async function grantIdsOfEntry(db: Executor, entry: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grants')
    .innerJoin('catalog_entries', 'catalog_entries.id', 'grants.entry_id')
    .select('grants.id')
    .where(UUID.test(entry) ? 'catalog_entries.id' : 'catalog_entries.code', '=', entry)
    .execute();
  return rows.map((r) => r.id);
}

/** Lists entries newest first with filters. */
export async function listAudit(db: Executor, q: AuditQuery) {
  let base = db.selectFrom('audit_log');
  if (q.actorId) base = base.where('actor_id', '=', q.actorId);
  if (q.departmentId) base = base.where('department_id', '=', q.departmentId);
  // A prefix match; LIKE wildcards in the filter are escaped, since action names contain '_'.
  if (q.action) base = base.where('action', 'like', `${q.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (q.outcome) base = base.where('outcome', '=', q.outcome);
  if (q.targetType) base = base.where('target_type', '=', q.targetType);
  if (q.targetId) base = base.where('target_id', '=', q.targetId);
  if (q.from) base = base.where('at', '>=', auditBound(q.from, 'start'));
  if (q.to) base = base.where('at', '<', auditBound(q.to, 'end'));
  // A subject is named by its token: as the entry's target, or in its details under
  // `subjectTokens` (several) or `subjectToken` (one). An empty list matches nothing.
  if (q.subjectTokens) {
    const tokens = [...q.subjectTokens];
    const list = sql`ARRAY[${sql.join(tokens.length ? tokens : [''])}]::text[]`;
    base = base.where((eb) =>
      eb.or([
        eb.and([eb('target_type', '=', 'subject'), eb('target_id', 'in', tokens.length ? tokens : [''])]),
        sql<boolean>`jsonb_exists_any(details->'subjectTokens', ${list})`,
        sql<boolean>`(details->>'subjectToken') = ANY(${list})`,
      ]),
    );
  }
  // A dataset is named through its grants: in `details.grants` (the query API's calls), as
  // `details.grantId` (the change feed, webhooks, subscriptions) or as the target. An entry
  // without grants, or one that does not exist, has no entries.
  if (q.entry !== undefined) {
    const grantIds = await grantIdsOfEntry(db, q.entry);
    if (grantIds.length === 0) return { items: [], total: 0 };
    const list = sql`ARRAY[${sql.join(grantIds)}]::text[]`;
    base = base.where((eb) =>
      eb.or([
        eb.and([eb('target_type', '=', 'grant'), eb('target_id', 'in', grantIds)]),
        sql<boolean>`jsonb_exists_any(details->'grants', ${list})`,
        sql<boolean>`(details->>'grantId') = ANY(${list})`,
      ]),
    );
  }
  const [items, total] = await Promise.all([
    base
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize)
      .execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
