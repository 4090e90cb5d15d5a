import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import type { DB } from '../db/index.js';
import { type AuditEvent, entryHash, hashedFieldsFor } from './audit.js';

/**
 * Group commit for the audit chain. record() locks the chain head once per entry, so a busy
 * read API that audits every call would queue on that one row. Here calls append their event and
 * wait: while a batch is being committed the next ones gather, and the gathered entries go in
 * together — one transaction, one head lock, entries chained in the order they were appended. An
 * entry is durable before its caller's promise resolves; a failed batch rejects every caller in it
 * (nothing is dropped silently), and the next batch starts afresh.
 *
 * Two ways to write a batch:
 * - with `beforeCommit` (or nothing else): a transaction that locks the head, inserts the entries,
 *   moves the head and runs the hook's statements; one batch at a time.
 * - with `companion`: ONE statement, which is its own transaction: the head is moved only if it is
 *   where this writer left it (`UPDATE audit_head … WHERE seq = $expected AND hash = $expected`
 *   takes the head's row lock before anything else is written), and the entries and the
 *   companion's rows are written only if it was. One round trip per batch instead of eight. When
 *   another writer (record(), another process) moved the head meanwhile, nothing is written: the
 *   head is read again and the batch rehashed and resent; after a few misses it takes the head lock
 *   in a transaction first, so it always gets through. Every statement locks the head first, so
 *   writers never deadlock on the other rows. (Sending the next batch before the one in flight has
 *   committed, chained onto the head it will leave, measured slower: batches get smaller.)
 */

type Head = { seq: number; hash: string };

/** The entries' rows chained onto `head`, as an unnest SELECT, and the head they leave. */
function chainRows(head: Head, events: readonly AuditEvent[]) {
  let seq = head.seq;
  let prev = head.hash;
  const cols = {
    seq: [] as number[],
    at: [] as string[],
    actorId: [] as (string | null)[],
    actorName: [] as string[],
    departmentId: [] as (string | null)[],
    action: [] as string[],
    targetType: [] as string[],
    targetId: [] as (string | null)[],
    outcome: [] as string[],
    requestId: [] as (string | null)[],
    details: [] as string[],
    prevHash: [] as string[],
    hash: [] as string[],
  };
  for (const ev of events) {
    seq++;
    const fields = hashedFieldsFor(seq, ev);
    const hash = entryHash(prev, fields);
    cols.seq.push(seq);
    cols.at.push(fields.at);
    cols.actorId.push(fields.actorId);
    cols.actorName.push(fields.actorName);
    cols.departmentId.push(fields.departmentId);
    cols.action.push(fields.action);
    cols.targetType.push(fields.targetType);
    cols.targetId.push(fields.targetId);
    cols.outcome.push(fields.outcome);
    cols.requestId.push(fields.requestId);
    cols.details.push(JSON.stringify(fields.details));
    cols.prevHash.push(prev);
    cols.hash.push(hash);
    prev = hash;
  }
  // One INSERT … SELECT FROM unnest for the whole batch: a column per parameter (see collection.repo insertRecords).
  const select = sql`SELECT * FROM unnest(
      ${cols.seq}::bigint[], ${cols.at}::timestamptz[], ${cols.actorId}::uuid[], ${cols.actorName}::text[], ${cols.departmentId}::uuid[],
      ${cols.action}::text[], ${cols.targetType}::text[], ${cols.targetId}::text[], ${cols.outcome}::text[], ${cols.requestId}::text[],
      ${cols.details}::jsonb[], ${cols.prevHash}::text[], ${cols.hash}::text[]
    )`;
  return { head, seqs: cols.seq, select, last: { seq, hash: prev } };
}

type Chained = ReturnType<typeof chainRows>;

const AUDIT_COLUMNS = sql`(seq, at, actor_id, actor_name, department_id, action, target_type, target_id, outcome, request_id, details, prev_hash, hash)`;

/**
 * Appends several entries to the chain inside the caller's transaction, in order: one head lock,
 * one INSERT, one head update. Returns their sequence numbers.
 */
export async function recordMany(tx: Transaction<DB>, events: readonly AuditEvent[]): Promise<number[]> {
  if (!events.length) return [];
  const head = await tx.selectFrom('audit_head').selectAll().where('id', '=', 1).forUpdate().executeTakeFirstOrThrow();
  const { seqs, select, last } = chainRows({ seq: Number(head.seq), hash: head.hash }, events);
  await sql`INSERT INTO audit_log ${AUDIT_COLUMNS} ${select}`.execute(tx);
  await tx.updateTable('audit_head').set(last).where('id', '=', 1).execute();
  return seqs;
}

/** One appended entry as the batch hooks see it. */
export type BatchedEntry<P> = { seq: number; event: AuditEvent; payload: P | undefined };

/**
 * More rows for a batch's one statement: data-modifying CTEs (`name AS (…)`), each of which must
 * write only `WHERE ${guard}` (true once the head has moved, i.e. the batch is being written), and
 * one SQL expression, evaluated after them, whose value is handed to `afterCommit`.
 */
export type BatchCompanion = { ctes: RawBuilder<unknown>[]; result: RawBuilder<unknown> };

export type AuditBatcherOptions<P> = {
  /** Most entries per batch (default 500); more waiting entries go in the next batch. */
  maxBatch?: number;
  /**
   * Transaction mode: runs inside each batch's transaction after its entries are chained, e.g. to
   * write rows that go with the entries; it may call record(tx, …) to append more. A throw fails
   * the whole batch. It may return a function to run once the batch has committed.
   */
  beforeCommit?: (tx: Transaction<DB>, entries: readonly BatchedEntry<P>[]) => Promise<undefined | (() => void)>;
  /** Single-statement mode: the rows to write with the batch (see BatchCompanion); undefined for none. */
  companion?: (entries: readonly BatchedEntry<P>[], guard: RawBuilder<unknown>) => BatchCompanion | undefined;
  /** After a batch committed, before its callers are answered: the companion's result. A throw is ignored (the entries are written). */
  afterCommit?: (entries: readonly BatchedEntry<P>[], result: unknown) => Promise<void> | void;
};

/** Counters of what a batcher has written, for tests and metrics. */
export type AuditBatcherStats = { batches: number; entries: number; failedBatches: number; headMisses: number };

export type AuditBatcher<P> = {
  /** Queues an entry; resolves with its sequence number once its batch has committed, rejects if that batch failed. */
  append(event: AuditEvent, payload?: P): Promise<number>;
  /** Resolves when every entry appended so far has been committed or has failed. */
  drain(): Promise<void>;
  stats(): AuditBatcherStats;
};

type Waiting<P> = { event: AuditEvent; payload: P | undefined; resolve: (seq: number) => void; reject: (err: unknown) => void };

/** Single-statement attempts before a batch takes the head lock in a transaction. */
const OPTIMISTIC_ATTEMPTS = 3;

/** A group-commit writer for the audit chain on `db` (see the comment at the top of this file). */
export function createAuditBatcher<P = never>(db: Kysely<DB>, opts: AuditBatcherOptions<P> = {}): AuditBatcher<P> {
  if (opts.beforeCommit && opts.companion) throw new Error('an audit batcher takes beforeCommit or companion, not both');
  const maxBatch = opts.maxBatch ?? 500;
  let queue: Waiting<P>[] = [];
  let running = false;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];
  /** Where this writer last left the head (single-statement mode); null: read it first. */
  let knownHead: Head | null = null;
  const stats: AuditBatcherStats = { batches: 0, entries: 0, failedBatches: 0, headMisses: 0 };

  const entriesOf = (batch: Waiting<P>[], seqs: number[]) => batch.map((w, i) => ({ seq: seqs[i] as number, event: w.event, payload: w.payload }));

  /** Transaction mode. */
  async function writeInTransaction(batch: Waiting<P>[]) {
    const done = await db.transaction().execute(async (tx) => {
      const seqs = await recordMany(
        tx,
        batch.map((w) => w.event),
      );
      return { seqs, after: opts.beforeCommit ? await opts.beforeCommit(tx, entriesOf(batch, seqs)) : undefined };
    });
    return { seqs: done.seqs, after: () => done.after?.() };
  }

  /** The batch's statement at its chained head; false when the head was not there (nothing written). */
  async function send(executor: Kysely<DB> | Transaction<DB>, batch: Waiting<P>[], chained: Chained) {
    const guard = sql`EXISTS (SELECT 1 FROM audit_batch_head)`;
    const entries = entriesOf(batch, chained.seqs);
    const companion = opts.companion?.(entries, guard);
    const { head, last, select } = chained;
    const r = await sql<{ ok: number; result: unknown }>`
      WITH audit_batch_head AS (
        UPDATE audit_head SET seq = ${last.seq}, hash = ${last.hash} WHERE id = 1 AND seq = ${head.seq} AND hash = ${head.hash} RETURNING 1
      ),
      audit_batch_entries AS (
        INSERT INTO audit_log ${AUDIT_COLUMNS} ${select} WHERE ${guard} RETURNING 1
      )${companion?.ctes.length ? sql`, ${sql.join(companion.ctes)}` : sql``}
      SELECT (SELECT count(*) FROM audit_batch_head)::int AS ok, ${companion ? companion.result : sql`NULL`} AS result`.execute(executor);
    const row = r.rows[0];
    if (!row || Number(row.ok) !== 1) return false as const;
    knownHead = last;
    return { seqs: chained.seqs, entries, result: row.result };
  }

  async function readHead(executor: Kysely<DB> | Transaction<DB>, lock: boolean): Promise<Head> {
    let q = executor.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
    if (lock) q = q.forUpdate();
    const h = await q.executeTakeFirstOrThrow();
    return { seq: Number(h.seq), hash: h.hash };
  }

  /** Single-statement mode, with the locked fallback. */
  async function writeInOneStatement(batch: Waiting<P>[]) {
    const events = batch.map((w) => w.event);
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const done = await send(db, batch, chainRows(knownHead ?? (await readHead(db, false)), events));
      if (done) return done;
      stats.headMisses++;
      knownHead = null;
    }
    const done = await db.transaction().execute(async (tx) => send(tx, batch, chainRows(await readHead(tx, true), events)));
    if (!done) throw new Error('the audit head moved while it was locked');
    return done;
  }

  async function write(batch: Waiting<P>[]): Promise<void> {
    let seqs: number[];
    let after: () => Promise<void> | void;
    try {
      if (opts.companion) {
        const done = await writeInOneStatement(batch);
        seqs = done.seqs;
        after = () => opts.afterCommit?.(done.entries, done.result);
      } else {
        const done = await writeInTransaction(batch);
        seqs = done.seqs;
        after = done.after;
      }
    } catch (err) {
      knownHead = null;
      stats.failedBatches++;
      for (const w of batch) w.reject(err);
      return;
    }
    try {
      await after();
    } catch {
      // The entries are committed whatever the follow-up did: the callers are answered as written.
    }
    stats.batches++;
    stats.entries += batch.length;
    for (const [i, w] of batch.entries()) w.resolve(seqs[i] as number);
  }

  function run(): void {
    scheduled = false;
    if (running) return;
    if (!queue.length) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    running = true;
    const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
    queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
    void write(batch).finally(() => {
      running = false;
      run(); // whatever gathered meanwhile is the next batch, at once
    });
  }

  /** Starts a batch on the next turn of the event loop, so appends arriving together share it. */
  function schedule(): void {
    if (running || scheduled) return;
    scheduled = true;
    setImmediate(run);
  }

  return {
    append(event, payload) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ event, payload, resolve, reject });
        schedule();
      });
    },
    drain() {
      if (!running && !scheduled && !queue.length) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    stats: () => ({ ...stats }),
  };
}
