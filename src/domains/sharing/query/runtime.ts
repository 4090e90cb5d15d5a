import type { RawBuilder } from 'kysely';
import { SYSTEM_ACTOR } from '../../../platform/actor.js';
import { record } from '../../../platform/audit/audit.js';
import { type AuditBatcher, type BatchCompanion, type BatchedEntry, createAuditBatcher } from '../../../platform/audit/audit-batcher.js';
import { inTransaction } from '../../../platform/db/index.js';
import type { AppContext } from '../../../platform/http/index.js';
import { notify, notifyRoleHolders } from '../../../platform/notifications/index.js';
import { createGrantCache, type GrantCache } from './grant-cache.js';
import * as repo from './query.repo.js';
import { createQuotaCounter, type QuotaCounter, type Reservation } from './quota.js';
import { createRecordLoader, type RecordLoader } from './record-loader.js';

/**
 * The query API's per-process machinery, one per running platform: the group-commit audit writer
 * (which also writes grant usage and the clients' daily counts in the same statement), the quota
 * counter, the grant cache and the coalescing record reader.
 */

/** The anomaly bar is this many times a client's daily average of distinct subjects... */
export const ALERT_FACTOR = 5;
/** ...over this many previous days (days without calls count as zero). */
export const ALERT_HISTORY_DAYS = 7;

/** What a served call adds to the batch besides its audit entry. */
export type CallPayload = {
  /** Calls reserved against grant quotas. */
  reservation?: Reservation;
  /** The subjects (tokens) the client looked up, for its distinct-subjects-per-day count. */
  client?: { clientId: string; departmentId: string; day: string; tokens: readonly string[] };
};

export type QueryRuntime = {
  audit: AuditBatcher<CallPayload>;
  quota: QuotaCounter;
  grants: GrantCache;
  records: RecordLoader;
};

const runtimes = new WeakMap<AppContext, QueryRuntime>();

/** YYYY-MM-DD plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The query API machinery of a platform, made on first use. */
export function queryRuntime(app: AppContext): QueryRuntime {
  let rt = runtimes.get(app);
  if (!rt) {
    rt = createRuntime(app);
    runtimes.set(app, rt);
  }
  return rt;
}

/**
 * Forgets cached grants of a department (or all) in this process, so a new grant serves at once.
 * Revocation needs no call (every query re-checks the grant's status in SQL), but calling it on
 * revoke too keeps the cache tidy.
 */
export function invalidateGrantCache(app: AppContext, departmentId?: string): void {
  runtimes.get(app)?.grants.invalidate(departmentId);
}

function createRuntime(app: AppContext): QueryRuntime {
  const db = app.database.db;
  const quota = createQuotaCounter(db);
  /** Previous days' distinct subjects per client, by `client|day`: fixed once the day has begun. */
  const priorSums = new Map<string, number>();
  let prunedFor = '';

  /**
   * Raises the day's alert for a client whose distinct subjects passed the bar, in a transaction of
   * its own after the batch (notifications, the `share.anomaly_alert` entry and the day's mark
   * together); whichever process crosses the bar first raises it.
   */
  async function maybeAlert(row: repo.ClientDayRow): Promise<void> {
    const min = app.config.HUITONG_QUERY_ALERT_MIN;
    if (row.alerted_at || row.subjects <= min) return;
    const k = `${row.client_id}|${row.day}`;
    let prior = priorSums.get(k);
    if (prior === undefined) {
      prior = await repo.sumClientSubjects(db, row.client_id, addDays(row.day, -ALERT_HISTORY_DAYS), addDays(row.day, -1));
      priorSums.set(k, prior);
    }
    const average = prior / ALERT_HISTORY_DAYS;
    const bar = Math.max(min, ALERT_FACTOR * average);
    if (row.subjects <= bar) return;
    await inTransaction(db, async (tx) => {
      const at = app.clock.now();
      // The chain head first, as every audit writer takes it, so this never deadlocks with a batch on the day's row.
      await tx.selectFrom('audit_head').select('seq').where('id', '=', 1).forUpdate().execute();
      if (!(await repo.markAlerted(tx, row.client_id, row.day, at))) return;
      const client = await tx.selectFrom('api_clients').select(['name']).where('id', '=', row.client_id).executeTakeFirst();
      const name = client?.name ?? row.client_id;
      const title = `共享查询异常：API 客户端“${name}”今日已查询 ${row.subjects} 个不同主体 Unusual query volume: API client ${name} queried ${row.subjects} distinct subjects today`;
      const link = `/system/audit?actorId=${row.client_id}&action=share.`;
      const providers = (await repo.providersServed(tx, row.department_id, row.day)).sort();
      for (const departmentId of providers) await notify(tx, { departmentId, role: null, kind: 'share.anomaly_alert', title, link, at });
      await notifyRoleHolders(tx, 'authority', { kind: 'share.anomaly_alert', title, link, at });
      await record(tx, {
        actor: SYSTEM_ACTOR,
        action: 'share.anomaly_alert',
        targetType: 'api_client',
        targetId: row.client_id,
        details: { day: row.day, departmentId: row.department_id, subjects: row.subjects, bar, averageOfPreviousDays: average, notifiedProviders: providers },
        at,
      });
    });
  }

  /** The batch's usage rows, written in the same statement as its audit entries. */
  function companion(entries: readonly BatchedEntry<CallPayload>[], guard: RawBuilder<unknown>): BatchCompanion | undefined {
    const usage = new Map<string, { grantId: string; day: string; calls: number }>();
    const subjects = new Map<string, { clientId: string; day: string; token: string }>();
    const days = new Map<string, { clientId: string; departmentId: string; day: string; calls: number }>();
    for (const { payload } of entries) {
      const r = payload?.reservation;
      for (const grantId of r?.grantIds ?? []) {
        const k = `${grantId}|${r?.day}`;
        const u = usage.get(k) ?? { grantId, day: r?.day as string, calls: 0 };
        u.calls += r?.calls ?? 0;
        usage.set(k, u);
      }
      const c = payload?.client;
      if (c) {
        const dk = `${c.clientId}|${c.day}`;
        const d = days.get(dk) ?? { clientId: c.clientId, departmentId: c.departmentId, day: c.day, calls: 0 };
        d.calls++;
        days.set(dk, d);
        for (const token of c.tokens) subjects.set(`${dk}|${token}`, { clientId: c.clientId, day: c.day, token });
      }
    }
    if (!usage.size && !days.size) return undefined;
    // Rows in key order, so two processes' statements take row locks in the same order.
    const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    return repo.usageStatements(byKey(usage), byKey(subjects), byKey(days), guard);
  }

  /** After a batch committed: the quota counters take the database's totals; alerts are checked. */
  async function afterCommit(entries: readonly BatchedEntry<CallPayload>[], result: unknown): Promise<void> {
    const { usage, days } = repo.usageResult(result);
    const byDay = new Map<string, Map<string, number>>();
    for (const t of usage) {
      const m = byDay.get(t.day) ?? new Map<string, number>();
      m.set(t.grant_id, t.calls);
      byDay.set(t.day, m);
    }
    for (const { payload } of entries) {
      const r = payload?.reservation;
      if (r?.grantIds.length) quota.settle(r, byDay.get(r.day) ?? new Map());
    }
    for (const row of days) {
      await maybeAlert(row).catch((err: unknown) => app.log.error({ err }, 'could not raise a query anomaly alert'));
    }
    // Once a day: forget the subjects of earlier days (their counts stay), outside the batch.
    const day = days[0]?.day;
    if (day && day !== prunedFor) {
      prunedFor = day;
      for (const k of priorSums.keys()) if (!k.endsWith(`|${day}`)) priorSums.delete(k);
      setImmediate(() => {
        repo.pruneClientSubjects(db, day).catch((err: unknown) => app.log.error({ err }, 'could not prune query_client_subjects'));
      });
    }
  }

  const audit = createAuditBatcher<CallPayload>(db, { companion, afterCommit });
  return { audit, quota, grants: createGrantCache(db), records: createRecordLoader(db) };
}
