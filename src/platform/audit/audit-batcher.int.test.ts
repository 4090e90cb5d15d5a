import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { SYSTEM_ACTOR } from '../actor.js';
import { inTransaction } from '../db/index.js';
import { type AuditEvent, record, verifyChain } from './audit.js';
import { createAuditBatcher } from './audit-batcher.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ template: 'empty' });
});
afterAll(async () => {
  await t.close();
});

const db = () => t.app.database.db;

function event(n: number, details: Record<string, unknown> = {}): AuditEvent {
  return { actor: SYSTEM_ACTOR, action: 'demo.seeded', targetType: 'test', targetId: `e${n}`, details: { n, ...details }, at: new Date(Date.UTC(2026, 10, 23, 2, 0, 0, n)) };
}

async function head() {
  const h = await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
  return Number(h.seq);
}

describe('group-commit audit writer', () => {
  it('chains concurrent appends in order, in fewer transactions than entries, alongside record()', async () => {
    const batcher = createAuditBatcher(db());
    const start = await head();
    const appended = Array.from({ length: 300 }, (_, i) => batcher.append(event(i, { note: '并发写入' })));
    // Single-entry writers take the same head lock meanwhile.
    const single = Array.from({ length: 5 }, (_, i) => inTransaction(db(), (tx) => record(tx, event(1000 + i))));
    const seqs = await Promise.all(appended);
    await Promise.all(single);
    expect(new Set(seqs).size).toBe(300);
    // Appended order is chain order.
    for (let i = 1; i < seqs.length; i++) expect(seqs[i] as number).toBeGreaterThan(seqs[i - 1] as number);
    expect(batcher.stats().entries).toBe(300);
    expect(batcher.stats().batches).toBeLessThan(300);
    expect(await head()).toBe(start + 305);
    const stored = await db().selectFrom('audit_log').select(['seq', 'target_id']).where('target_type', '=', 'test').where('seq', 'in', seqs.slice(0, 3)).orderBy('seq').execute();
    expect(stored.map((r) => r.target_id)).toEqual(['e0', 'e1', 'e2']);
    expect(await verifyChain(db())).toEqual({ ok: true, checked: start + 305 });
  });

  it('writes the hook’s rows in the batch transaction, and the hook may append with record()', async () => {
    const seen: number[][] = [];
    const batcher = createAuditBatcher<{ tag: string }>(db(), {
      beforeCommit: async (tx, entries) => {
        seen.push(entries.map((e) => e.seq));
        if (entries.some((e) => e.payload?.tag === 'alert')) await record(tx, event(9999, { follows: entries.map((e) => e.seq) }));
        return undefined;
      },
    });
    const [a, b] = await Promise.all([batcher.append(event(1)), batcher.append(event(2), { tag: 'alert' })]);
    expect(seen).toEqual([[a, b]]);
    const follow = await db().selectFrom('audit_log').selectAll().where('seq', '=', (b as number) + 1).executeTakeFirstOrThrow();
    expect(follow.target_id).toBe('e9999');
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it('rejects every caller of a failed batch, stores none of it, and goes on with the next', async () => {
    let fail = true;
    let committed = 0;
    const batcher = createAuditBatcher(db(), {
      beforeCommit: async () => {
        if (fail) throw new Error('disk full');
        return () => {
          committed++;
        };
      },
    });
    const start = await head();
    const failed = await Promise.allSettled([batcher.append(event(1)), batcher.append(event(2)), batcher.append(event(3))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await head()).toBe(start);
    expect(batcher.stats().failedBatches).toBe(1);
    fail = false;
    const seq = await batcher.append(event(4));
    expect(seq).toBe(start + 1);
    expect(committed).toBe(1);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it('splits a long queue into batches of at most maxBatch entries', async () => {
    const sizes: number[] = [];
    const batcher = createAuditBatcher(db(), {
      maxBatch: 7,
      beforeCommit: async (_tx, entries) => {
        sizes.push(entries.length);
        return undefined;
      },
    });
    await Promise.all(Array.from({ length: 30 }, (_, i) => batcher.append(event(i))));
    await batcher.drain();
    expect(Math.max(...sizes)).toBeLessThanOrEqual(7);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(30);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it('writes each batch as one statement with its companion rows, around record() calls that move the head', async () => {
    const results: number[] = [];
    const batcher = createAuditBatcher<{ weight: number }>(db(), {
      companion: (entries, guard) => ({
        ctes: [sql`batch_weight AS (SELECT ${entries.reduce((n, e) => n + (e.payload?.weight ?? 0), 0)}::int AS w WHERE ${guard})`],
        result: sql`(SELECT w FROM batch_weight)`,
      }),
      afterCommit: (_entries, result) => {
        results.push(Number(result));
      },
    });
    const start = await head();
    const appended: Promise<number>[] = [];
    const single: Promise<number>[] = [];
    for (let i = 0; i < 200; i++) {
      appended.push(batcher.append(event(i), { weight: 1 }));
      // Another writer moves the head now and then: the batches in flight miss it and are resent.
      if (i % 40 === 0) single.push(inTransaction(db(), (tx) => record(tx, event(5000 + i))));
      if (i % 25 === 0) await new Promise((r) => setImmediate(r));
    }
    const seqs = await Promise.all(appended);
    await Promise.all(single);
    await batcher.drain();
    expect(new Set(seqs).size).toBe(200);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i] as number).toBeGreaterThan(seqs[i - 1] as number);
    expect(results.reduce((a, b) => a + b, 0)).toBe(200);
    expect(batcher.stats()).toMatchObject({ entries: 200, failedBatches: 0 });
    expect(await head()).toBe(start + 200 + single.length);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it('rejects the callers of a statement that fails, and the next batch still chains on', async () => {
    let fail = true;
    const batcher = createAuditBatcher(db(), {
      companion: (_entries, guard) => ({ ctes: [sql`boom AS (SELECT 1 / ${fail ? 0 : 1} AS x WHERE ${guard})`], result: sql`(SELECT x FROM boom)` }),
    });
    const start = await head();
    const failed = await Promise.allSettled([batcher.append(event(1)), batcher.append(event(2))]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await head()).toBe(start);
    fail = false;
    expect(await batcher.append(event(3))).toBe(start + 1);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it('notices that another writer moved the head, and rehashes the batch onto the new head', async () => {
    const batcher = createAuditBatcher(db(), { companion: () => undefined });
    const first = await batcher.append(event(1));
    const other = await inTransaction(db(), (tx) => record(tx, event(2)));
    expect(other).toBe(first + 1);
    expect(await batcher.append(event(3))).toBe(first + 2);
    expect(batcher.stats().headMisses).toBe(1);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });
});
