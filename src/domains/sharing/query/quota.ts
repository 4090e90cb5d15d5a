import type { Executor } from '../../../platform/db/index.js';
import * as repo from './query.repo.js';

/**
 * Daily quota per grant (每日调用限额). A call reserves its count in memory before it reads any
 * data, so concurrent calls of one process can never overrun a quota; the count is written to
 * grant_usage in the same transaction as the call's audit entry (the group commit), and the
 * total the database returns becomes the new baseline. A failed commit gives the reservation back.
 *
 * Several processes: each seeds a grant's day from grant_usage once and then learns the others'
 * calls only from the totals its own commits return, so together they can overrun a quota by
 * the calls the others made since this process last wrote for that grant — bounded, small next to
 * a daily quota, and never more than one group commit per process behind.
 */

type Slot = { committed: number; pending: number; seeded: Promise<void> };

/** Calls reserved for one call: released if its batch fails, settled when it commits. */
export type Reservation = { day: string; calls: number; grantIds: string[] };

export type QuotaCounter = {
  /** Reserves `calls` on each grant for the day, or names the grants that would go over their quota (nothing reserved then). */
  reserve(grants: readonly { id: string; dailyQuota: number }[], day: string, calls: number): Promise<{ ok: true; reservation: Reservation } | { ok: false; exceeded: string[] }>;
  /** Gives back a reservation whose calls were not served (failed audit, grant found revoked). */
  release(r: Reservation, grantIds?: readonly string[]): void;
  /** After a commit: the day's total in the database for a grant, the reservation counted in it. */
  settle(r: Reservation, totals: ReadonlyMap<string, number>): void;
};

/** The quota counter of one process on `db`. */
export function createQuotaCounter(db: Executor): QuotaCounter {
  const slots = new Map<string, Slot>();
  let currentDay = '';
  const key = (grantId: string, day: string) => `${grantId}|${day}`;

  /** A new day: yesterday's counts are of no further use. */
  function rollOver(day: string) {
    if (day === currentDay) return;
    currentDay = day;
    for (const k of slots.keys()) if (!k.endsWith(`|${day}`)) slots.delete(k);
  }

  function ensureSeeded(grantIds: readonly string[], day: string): Promise<void>[] {
    const missing = grantIds.filter((id) => !slots.has(key(id, day)));
    if (missing.length) {
      const seeded = repo.findUsage(db, missing, day).then((found) => {
        for (const id of missing) {
          const slot = slots.get(key(id, day));
          if (slot) slot.committed = Math.max(slot.committed, found.get(id) ?? 0);
        }
      });
      for (const id of missing) slots.set(key(id, day), { committed: 0, pending: 0, seeded });
      // A failed read is forgotten, so the next call reads again.
      seeded.catch(() => {
        for (const id of missing) if (slots.get(key(id, day))?.seeded === seeded) slots.delete(key(id, day));
      });
    }
    return grantIds.map((id) => (slots.get(key(id, day)) as Slot).seeded);
  }

  return {
    async reserve(grants, day, calls) {
      rollOver(day);
      await Promise.all(ensureSeeded(grants.map((g) => g.id), day));
      const exceeded: string[] = [];
      for (const g of grants) {
        const slot = slots.get(key(g.id, day));
        // A slot dropped meanwhile (day rolled over) counts as unused, like a fresh day.
        if (slot && slot.committed + slot.pending + calls > g.dailyQuota) exceeded.push(g.id);
      }
      if (exceeded.length) return { ok: false, exceeded };
      for (const g of grants) {
        let slot = slots.get(key(g.id, day));
        if (!slot) {
          slot = { committed: 0, pending: 0, seeded: Promise.resolve() };
          slots.set(key(g.id, day), slot);
        }
        slot.pending += calls;
      }
      return { ok: true, reservation: { day, calls, grantIds: grants.map((g) => g.id) } };
    },
    release(r, grantIds = r.grantIds) {
      for (const id of grantIds) {
        const slot = slots.get(key(id, r.day));
        if (slot) slot.pending = Math.max(0, slot.pending - r.calls);
      }
      if (grantIds !== r.grantIds) r.grantIds = r.grantIds.filter((id) => !grantIds.includes(id));
      else r.grantIds = [];
    },
    settle(r, totals) {
      for (const id of r.grantIds) {
        const slot = slots.get(key(id, r.day));
        if (!slot) continue;
        slot.pending = Math.max(0, slot.pending - r.calls);
        const total = totals.get(id);
        if (total !== undefined) slot.committed = Math.max(slot.committed, total);
      }
    },
  };
}
