import { record } from '../../../platform/audit/audit.js';
import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { type Executor, inTransaction } from '../../../platform/db/index.js';
import type { Ctx } from '../../../platform/http/index.js';
import { isSubjectToken, maskIdentifier, revealSubject, revealSubjects, type SubjectKind, tokenForIdentifier } from '../../../platform/vault/index.js';
import { collectionError } from '../collection.errors.js';
import { canReadOwn, canRevealIdentifier } from '../collection.policy.js';
import * as repo from '../collection.repo.js';
import { ZSchemaItem } from '../collection.schema.js';
import { getPublishedEntry } from '../collection.service.js';
import { maskIdentifierShapes } from '../record-values.js';
import { schemaOf } from './validate-rows.js';

/**
 * The provider's view of its collected records (B5): the current records of a dataset, one
 * record's history, and the audited reveal of a record's full identifier. Stored values hold
 * subject tokens for identifier items; they are shown as masked identifiers, decrypted in bulk
 * for the page only and masked at once. A record is found by its full identifier (hashed to its
 * token, never matched as text), its declared key, or its `ref` (the record key the list returns:
 * the subject token, an HMAC that reveals nothing, or the declared key).
 */

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

type ReadableDataset = { id: string; department_id: string; key_kind: 'subject' | 'declared'; code: string; items: unknown };

function recordNotFound() {
  return collectionError('COLLECTION_RECORD_NOT_FOUND', 'No such record in this dataset. 该数据集中没有此记录。');
}

/** The dataset of a code if the actor passes `may` for its department; undefined when no batch has been sent yet. */
async function datasetFor(ctx: Ctx, code: string, may: (departmentId: string) => boolean, what: string): Promise<ReadableDataset | undefined> {
  const db = ctx.app.database.db;
  const entry = await getPublishedEntry(db, code, may, what);
  return repo.findDatasetByEntry(db, entry.id);
}

const readOwn = (ctx: Ctx, code: string) => datasetFor(ctx, code, (d) => canReadOwn(ctx.actor, d), 'read another department’s records 查看其他部门的记录');

/** The identifier kinds an identifier item may hold: its declared kind, else a citizen ID or a credit code (as the batch check tries them). */
function identifierKinds(ds: ReadableDataset): SubjectKind[] {
  const schema = schemaOf(ZSchemaItem.array().parse(json(ds.items)));
  return schema.identifierKind ? [schema.identifierKind] : ['citizen_id', 'uscc'];
}

/**
 * The record keys a caller's text may mean: for a subject-keyed dataset the token of the full
 * identifier (each possible kind) or the text itself when it is a ref; for declared keys the key.
 */
function keysFor(ctx: Ctx, ds: ReadableDataset, text: string): string[] {
  if (ds.key_kind === 'declared') return [text];
  const keys: string[] = [];
  if (isSubjectToken(text)) keys.push(text);
  const today = todayInShanghai(ctx.app.clock.now());
  for (const kind of identifierKinds(ds)) {
    const t = tokenForIdentifier(ctx.app.vault, kind, text, { today });
    if (t.ok) keys.push(t.token);
  }
  return keys;
}

/** Every token-shaped string among a record's values and keys (the vault says which are subjects). */
function tokensIn(values: Record<string, unknown>): string[] {
  return Object.values(values).filter((v): v is string => isSubjectToken(v));
}

/** Decrypts the subjects of a page's tokens in bulk and returns each as its masked form only. */
async function maskedSubjects(db: Executor, ctx: Ctx, tokens: string[]): Promise<Map<string, string>> {
  const subjects = await revealSubjects(db, ctx.app.vault, tokens);
  return new Map([...subjects].map(([token, s]) => [token, maskIdentifier(s.kind, s.value)]));
}

/** Stored values as shown: vault tokens as masked identifiers, other text with any identifier-shaped run masked. */
function presentValues(raw: unknown, masked: Map<string, string>): Record<string, unknown> {
  const values = (json(raw) ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string') out[k] = masked.get(v) ?? maskIdentifierShapes(v);
    else out[k] = v;
  }
  return out;
}

/** A record's key as shown: the masked identifier for subject-keyed datasets (never the token), the declared key otherwise. */
const presentKey = (ds: ReadableDataset, recordKey: string, masked: Map<string, string>) => (ds.key_kind === 'subject' ? (masked.get(recordKey) ?? '***') : recordKey);

/**
 * A page of a dataset's current records, newest first (tombstones only with includeDeleted),
 * values masked; `q` finds a record by its full identifier or declared key (or ref).
 */
export async function listRecords(ctx: Ctx, code: string, opts: { q?: string | undefined; includeDeleted: boolean; page: number; pageSize: number }) {
  const ds = await readOwn(ctx, code);
  if (!ds) return { items: [], total: 0 };
  const db = ctx.app.database.db;
  const q = opts.q?.trim();
  const keys = q ? keysFor(ctx, ds, q) : undefined;
  if (keys && keys.length === 0) return { items: [], total: 0 };
  const filter = { includeDeleted: opts.includeDeleted, ...(keys ? { keys } : {}) };
  const [rows, total] = await Promise.all([
    repo.listCurrentRecords(db, ds.id, { ...filter, page: opts.page, pageSize: opts.pageSize }),
    repo.countCurrentRecords(db, ds.id, filter),
  ]);
  const tokens = rows.flatMap((r) => [...(ds.key_kind === 'subject' ? [r.record_key] : []), ...tokensIn((json(r.raw) ?? {}) as Record<string, unknown>)]);
  const masked = await maskedSubjects(db, ctx, tokens);
  return {
    items: rows.map((r) => ({
      ref: r.record_key,
      key: presentKey(ds, r.record_key, masked),
      version: r.version,
      updatedAt: iso(r.updated_at),
      deleted: r.deleted,
      values: presentValues(r.raw, masked),
    })),
    total,
  };
}

/** The record key of a ref, full identifier or declared key, if the dataset holds that record. */
async function resolveRecord(db: Executor, ctx: Ctx, ds: ReadableDataset, recordRef: string): Promise<string> {
  for (const key of keysFor(ctx, ds, recordRef.trim())) {
    if (await repo.findCurrentRecord(db, ds.id, key)) return key;
  }
  throw recordNotFound();
}

/** Every version of one record, newest first, with who wrote it (person or API client), in which batch and schema version; values masked. */
export async function recordHistory(ctx: Ctx, code: string, recordRef: string) {
  const ds = await readOwn(ctx, code);
  if (!ds) throw recordNotFound();
  const db = ctx.app.database.db;
  const key = await resolveRecord(db, ctx, ds, recordRef);
  const rows = await repo.listRecordHistory(db, ds.id, key);
  const tokens = [...(ds.key_kind === 'subject' ? [key] : []), ...rows.flatMap((r) => tokensIn((json(r.raw) ?? {}) as Record<string, unknown>))];
  const masked = await maskedSubjects(db, ctx, tokens);
  return {
    ref: key,
    key: presentKey(ds, key, masked),
    versions: rows.map((r) => ({
      version: r.version,
      writtenAt: iso(r.written_at),
      writtenBy: { id: r.written_by, name: r.user_name ?? r.client_name ?? null, kind: r.user_name ? ('user' as const) : r.client_name ? ('client' as const) : null },
      batchId: r.batch_id,
      schemaVersion: r.schema_version,
      deleted: r.deleted,
      values: presentValues(r.raw, masked),
    })),
  };
}

/**
 * Reveals a record's full identifier to the providing department's administrator, who gives a
 * reason; audited (dataset, ref, reason, never the identifier) in the same transaction. Anyone
 * else is refused 403, which the error handler audits as denied.
 */
export async function revealRecordIdentifier(ctx: Ctx, code: string, body: { key: string; reason: string }) {
  const ds = await datasetFor(ctx, code, (d) => canRevealIdentifier(ctx.actor, d), 'reveal a full identifier 查看完整标识号码');
  if (ds?.key_kind !== 'subject' || !isSubjectToken(body.key)) throw recordNotFound();
  return inTransaction(ctx.app.database.db, async (tx) => {
    if (!(await repo.findCurrentRecord(tx, ds.id, body.key))) throw recordNotFound();
    const subject = await revealSubject(tx, ctx.app.vault, body.key).catch(() => {
      throw recordNotFound();
    });
    await record(tx, {
      actor: ctx.actor,
      action: 'collection.identifier_revealed',
      targetType: 'dataset',
      targetId: ds.id,
      requestId: ctx.requestId,
      details: { dataset: ds.code, ref: body.key, kind: subject.kind, reason: body.reason },
      at: ctx.app.clock.now(),
    });
    return { identifier: subject.value };
  });
}

