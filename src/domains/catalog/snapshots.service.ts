import { record } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { inTransaction } from '../../platform/db/index.js';
import type { Ctx } from '../../platform/http/index.js';
import { catalogError } from './catalog.errors.js';
import { presentVersion } from './catalog.present.js';
import * as repo from './catalog.repo.js';

/** Publication snapshots (公示), newest first. */
export async function listSnapshots(ctx: Ctx) {
  const rows = await ctx.app.database.db
    .selectFrom('catalog_snapshots')
    .select(['id', 'title', 'period', 'created_at', 'entry_count'])
    .orderBy('period', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, title: r.title, period: r.period, createdAt: new Date(r.created_at).toISOString(), entryCount: r.entry_count }));
}

/** One snapshot with the full copies of the entries as they were published when it was made. */
export async function getSnapshot(ctx: Ctx, id: string) {
  const row = await ctx.app.database.db.selectFrom('catalog_snapshots').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw catalogError('CATALOG_NOT_FOUND', 'No such snapshot.');
  return { id: row.id, title: row.title, period: row.period, createdAt: new Date(row.created_at).toISOString(), entries: row.entries as unknown[] };
}

/** The half-year a moment falls in, e.g. 2026-H2. */
export function periodOf(now: Date): string {
  const today = todayInShanghai(now);
  return `${today.slice(0, 4)}-H${Number(today.slice(5, 7)) <= 6 ? 1 : 2}`;
}

/**
 * Publishes the half-yearly snapshot (公示) of the whole catalog (000-exchange §7). It stores
 * full copies, so later versions never change what was published then.
 */
export async function createSnapshot(ctx: Ctx, input: { title: string; period: string }) {
  const now = ctx.app.clock.now();
  return inTransaction(ctx.app.database.db, async (tx) => {
    if (await tx.selectFrom('catalog_snapshots').select('id').where('period', '=', input.period).executeTakeFirst()) {
      throw catalogError('CATALOG_SNAPSHOT_EXISTS', `A snapshot for ${input.period} exists already.`);
    }
    const entries = (await repo.listPublished(tx)).map(presentVersion);
    const id = uuidv7();
    await tx
      .insertInto('catalog_snapshots')
      .values({ id, title: input.title, period: input.period, entries: JSON.stringify(entries), entry_count: entries.length, created_at: now, created_by: ctx.actor.id as string })
      .execute();
    await record(tx, { actor: ctx.actor, action: 'catalog.snapshot_created', targetType: 'catalog_snapshot', targetId: id, requestId: ctx.requestId, at: now, details: { period: input.period, entries: entries.length } });
    return { id, title: input.title, period: input.period, createdAt: now.toISOString(), entryCount: entries.length };
  });
}
