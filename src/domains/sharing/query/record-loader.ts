import type { Executor } from '../../../platform/db/index.js';
import * as repo from './query.repo.js';

/**
 * Reads for concurrent calls, coalesced. Under load many calls look up records at the same
 * moment; each waits its turn for a pooled connection and pays a round trip. Here lookups that
 * arrive while a query is in flight are gathered and sent together as one query (the grant status
 * check included), so the database sees one round trip per group instead of one per call. A
 * lookup never waits for more than the query in flight before its own.
 */

/** A stored record as the query API serves it. */
export type FoundRecord = { values: Record<string, unknown>; writtenAt: string };

/** One call's lookup: the grants it uses and the (dataset, record key) pairs it wants. */
export type RecordLookup = { grantIds: readonly string[]; pairs: readonly { datasetId: string; key: string }[] };

/** The grants of the lookup still active, and the records found, by `datasetId|key`. */
export type RecordLookupResult = { active: Set<string>; records: Map<string, FoundRecord> };

type Waiting = { lookup: RecordLookup; resolve: (r: RecordLookupResult) => void; reject: (err: unknown) => void };

/** Most (dataset, key) pairs in one query; a larger gathering is sent in several. */
const MAX_PAIRS = 2_000;
/** Queries in flight at once; the rest gather behind them. */
const MAX_IN_FLIGHT = 2;

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

export type RecordLoader = { load(lookup: RecordLookup): Promise<RecordLookupResult> };

/** A coalescing record reader on `db`. */
export function createRecordLoader(db: Executor): RecordLoader {
  const queue: Waiting[] = [];
  let inFlight = 0;
  let scheduled = false;

  async function send(group: Waiting[]): Promise<void> {
    const grantIds = new Set<string>();
    const pairs = new Map<string, { datasetId: string; key: string }>();
    for (const w of group) {
      for (const g of w.lookup.grantIds) grantIds.add(g);
      for (const p of w.lookup.pairs) pairs.set(`${p.datasetId}|${p.key}`, p);
    }
    let rows: repo.GrantRecordsRow[];
    try {
      rows = await repo.findGrantRecords(db, [...grantIds], [...pairs.values()]);
    } catch (err) {
      for (const w of group) w.reject(err);
      return;
    }
    const active = new Set(rows[0]?.active ?? []);
    const found = new Map<string, FoundRecord>();
    for (const r of rows) {
      if (r.dataset_id === null || r.record_key === null || r.written_at === null) continue;
      found.set(`${r.dataset_id}|${r.record_key}`, { values: (json(r.normalised) ?? {}) as Record<string, unknown>, writtenAt: new Date(r.written_at).toISOString() });
    }
    for (const w of group) {
      const records = new Map<string, FoundRecord>();
      for (const p of w.lookup.pairs) {
        const k = `${p.datasetId}|${p.key}`;
        const rec = found.get(k);
        if (rec) records.set(k, rec);
      }
      w.resolve({ active: new Set(w.lookup.grantIds.filter((g) => active.has(g))), records });
    }
  }

  function run(): void {
    scheduled = false;
    while (queue.length && inFlight < MAX_IN_FLIGHT) {
      const group: Waiting[] = [];
      let n = 0;
      while (queue.length && (group.length === 0 || n + (queue[0] as Waiting).lookup.pairs.length <= MAX_PAIRS)) {
        const w = queue.shift() as Waiting;
        n += w.lookup.pairs.length;
        group.push(w);
      }
      inFlight++;
      void send(group).finally(() => {
        inFlight--;
        run();
      });
    }
  }

  return {
    load(lookup) {
      return new Promise<RecordLookupResult>((resolve, reject) => {
        queue.push({ lookup, resolve, reject });
        if (!scheduled && inFlight < MAX_IN_FLIGHT) {
          scheduled = true;
          setImmediate(run);
        }
      });
    },
  };
}
