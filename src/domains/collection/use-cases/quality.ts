import { z } from 'zod';
import { SYSTEM_ACTOR } from '../../../platform/actor.js';
import { record } from '../../../platform/audit/audit.js';
import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { inTransaction } from '../../../platform/db/index.js';
import { platformError } from '../../../platform/errors.js';
import type { AppContext, Ctx } from '../../../platform/http/index.js';
import { notify } from '../../../platform/notifications/index.js';
import { findPublishedEntry, publishedUpdateFrequencies } from '../../catalog/index.js';
import { orgsService } from '../../orgs/index.js';
import { collectionError } from '../collection.errors.js';
import { canReadQuality } from '../collection.policy.js';
import * as repo from '../collection.repo.js';
import { ZSchemaItem } from '../collection.schema.js';
import { type Freshness, freshnessOf } from '../freshness.js';
import * as qrepo from '../quality.repo.js';

/**
 * Collection quality (B4, 001-data §19): quantity, quality and timeliness of each dataset,
 * the authority's overview per department, and the sweep that raises overdue datasets.
 *
 * Definitions (docs/api.md repeats them):
 * - completeness: filled values / (live records × data items of the dataset's schema), over
 *   the current version of every record not deleted; a value is filled when it is not blank.
 * - validity: rows that passed validation / rows received, over batches of the last 90 days
 *   (in a rejected atomic batch only the rows with an error count as failed).
 * - duplicates: rows that repeated a key earlier in their batch plus accepted rows identical to
 *   the record's current version, over rows received in the last 90 days.
 * - lastUpdatedAt: the last batch that accepted a row (an unchanged resend counts: for static
 *   data it is the provider's confirmation); freshness is judged from it (freshness.ts).
 * Ratios are null when there is nothing to measure (no records, no rows received).
 */

const WINDOW_DAYS = 90;
const CHART_DAYS = 30;
const DAY_MS = 86_400_000;
const ZItems = z.array(ZSchemaItem);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/** The instant a Shanghai calendar date begins. */
function startOfShanghaiDay(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y as number, (m as number) - 1, d as number) - 8 * 3_600_000);
}

/** `YYYY-MM-DD` n days after a date. */
function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y as number, (m as number) - 1, (d as number) + n)).toISOString().slice(0, 10);
}

/** The quality figures of one dataset: its providers, the authority and platform administrators may read them. */
export async function datasetQuality(ctx: Ctx, code: string) {
  const db = ctx.app.database.db;
  const now = ctx.app.clock.now();
  const entry = await findPublishedEntry(db, code);
  if (!entry) throw collectionError('COLLECTION_DATASET_NOT_FOUND', `No published catalog entry ${code}. 目录未发布或不存在。`);
  if (!canReadQuality(ctx.actor, entry.departmentId)) throw platformError('FORBIDDEN', 'Not allowed: read another department’s dataset quality. 无权查看其他部门的数据质量。');
  const ds = await repo.findDatasetByEntry(db, entry.id);
  const items = ds ? ZItems.parse(json(ds.items)) : ZItems.parse(entry.fields.items);
  const today = todayInShanghai(now);
  const chartFrom = addDays(today, -(CHART_DAYS - 1));
  const base = { datasetCode: entry.code, title: entry.fields.name, updateFrequency: entry.fields.updateFrequency as string };
  if (!ds) {
    return {
      ...base,
      recordCount: 0,
      deletedCount: 0,
      lastUpdatedAt: null,
      freshness: freshnessOf(base.updateFrequency, null, now),
      completeness: null,
      validity: null,
      duplicates: null,
      openQuarantine: 0,
      items: items.map((i) => ({ name: i.nameEn, title: i.name, completeness: null })),
      batchesLast30Days: Array.from({ length: CHART_DAYS }, (_, k) => ({ date: addDays(chartFrom, k), accepted: 0, rejected: 0 })),
    };
  }
  const counts = await qrepo.recordCounts(db, ds.id);
  const filled = await qrepo.itemFillCounts(
    db,
    ds.id,
    items.map((i) => i.nameEn),
  );
  const [window] = await qrepo.batchWindowStats(db, new Date(now.getTime() - WINDOW_DAYS * DAY_MS), ds.id);
  const perDay = new Map((await qrepo.batchesPerDay(db, ds.id, startOfShanghaiDay(chartFrom))).map((d) => [d.day, d]));
  const last = (await qrepo.lastAcceptedAt(db, [ds.id])).get(ds.id) ?? null;
  const open = (await qrepo.openQuarantineCounts(db, [ds.id])).get(ds.id) ?? 0;
  const totalFilled = filled.reduce((s, n) => s + n, 0);
  const received = window?.received ?? 0;
  return {
    ...base,
    recordCount: counts.records,
    deletedCount: counts.deleted,
    lastUpdatedAt: last ? last.toISOString() : null,
    freshness: freshnessOf(base.updateFrequency, last, now),
    completeness: ratio(totalFilled, counts.records * items.length),
    validity: ratio(received - (window?.invalid ?? 0), received),
    duplicates: ratio((window?.duplicateKeys ?? 0) + (window?.unchanged ?? 0), received),
    openQuarantine: open,
    items: items.map((i, k) => ({ name: i.nameEn, title: i.name, completeness: ratio(filled[k] ?? 0, counts.records) })),
    batchesLast30Days: Array.from({ length: CHART_DAYS }, (_, k) => {
      const date = addDays(chartFrom, k);
      const d = perDay.get(date);
      return { date, accepted: d?.accepted ?? 0, rejected: d?.rejected ?? 0 };
    }),
  };
}

/** Freshness, last accepted batch and open quarantine of each of these datasets (the provider's list, the overview, the sweep). */
export async function datasetStatuses(app: AppContext, datasets: { id: string; entry_id: string }[], now: Date) {
  const db = app.database.db;
  const frequencies = await publishedUpdateFrequencies(
    db,
    datasets.map((d) => d.entry_id),
  );
  const ids = datasets.map((d) => d.id);
  const last = await qrepo.lastAcceptedAt(db, ids);
  const open = await qrepo.openQuarantineCounts(db, ids);
  const out = new Map<string, { updateFrequency: string | null; freshness: Freshness; lastUpdatedAt: Date | null; openQuarantine: number }>();
  for (const d of datasets) {
    const frequency = frequencies.get(d.entry_id) ?? null;
    const lastAt = last.get(d.id) ?? null;
    out.set(d.id, {
      updateFrequency: frequency,
      freshness: frequency ? freshnessOf(frequency, lastAt, now) : { status: 'not_applicable', dueAt: null },
      lastUpdatedAt: lastAt,
      openQuarantine: open.get(d.id) ?? 0,
    });
  }
  return out;
}

/** The authority's overview: one line per department that has datasets (authority, platform administrators, supervisors). */
export async function collectionOverview(ctx: Ctx) {
  const db = ctx.app.database.db;
  const now = ctx.app.clock.now();
  const datasets = await qrepo.listAllDatasets(db);
  const statuses = await datasetStatuses(ctx.app, datasets, now);
  // One aggregate per dataset (the same as its quality panel's), not one platform-wide pass:
  // a FILTER per item over the current versions measured faster than unnesting each record's items.
  const fills = new Map<string, { records: number; filled: number }>();
  for (const d of datasets) {
    const names = ZItems.parse(json(d.items)).map((i) => i.nameEn);
    const filled = await qrepo.itemFillCounts(db, d.id, names);
    fills.set(d.id, { records: (await qrepo.recordCounts(db, d.id)).records, filled: filled.reduce((s, n) => s + n, 0) });
  }
  const windows = new Map((await qrepo.batchWindowStats(db, new Date(now.getTime() - WINDOW_DAYS * DAY_MS))).map((w) => [w.datasetId, w]));
  const names = new Map((await orgsService.listDepartments(ctx, {})).map((d) => [d.id, d.name]));
  type Line = { datasets: number; records: number; overdue: number; openQuarantine: number; filled: number; slots: number; received: number; valid: number; last: Date | null };
  const lines = new Map<string, Line>();
  for (const d of datasets) {
    const line = lines.get(d.department_id) ?? { datasets: 0, records: 0, overdue: 0, openQuarantine: 0, filled: 0, slots: 0, received: 0, valid: 0, last: null };
    const s = statuses.get(d.id);
    const f = fills.get(d.id);
    const w = windows.get(d.id);
    const itemCount = ZItems.parse(json(d.items)).length;
    line.datasets++;
    line.records += f?.records ?? 0;
    line.filled += f?.filled ?? 0;
    line.slots += (f?.records ?? 0) * itemCount;
    line.received += w?.received ?? 0;
    line.valid += (w?.received ?? 0) - (w?.invalid ?? 0);
    line.openQuarantine += s?.openQuarantine ?? 0;
    if (s?.freshness.status === 'overdue') line.overdue++;
    if (s?.lastUpdatedAt && (!line.last || s.lastUpdatedAt > line.last)) line.last = s.lastUpdatedAt;
    lines.set(d.department_id, line);
  }
  const items = [...lines].map(([departmentId, l]) => ({
    departmentId,
    departmentName: names.get(departmentId) ?? '',
    datasets: l.datasets,
    records: l.records,
    overdue: l.overdue,
    openQuarantine: l.openQuarantine,
    completeness: ratio(l.filled, l.slots),
    validity: ratio(l.valid, l.received),
    lastUpdatedAt: l.last ? l.last.toISOString() : null,
  }));
  items.sort((a, b) => b.overdue - a.overdue || a.departmentName.localeCompare(b.departmentName, 'zh-CN'));
  return { items };
}

/**
 * Raises each dataset that has become overdue, once per missed due date: a notification to the
 * providing department and an audit entry, in one transaction with the row that remembers it.
 * Idempotent: a second sweep finds the row and does nothing. Returns how many it raised.
 */
export async function sweepOverdueDatasets(app: AppContext, now: Date): Promise<number> {
  const db = app.database.db;
  const datasets = await qrepo.listAllDatasets(db);
  const statuses = await datasetStatuses(app, datasets, now);
  let raised = 0;
  for (const d of datasets) {
    const s = statuses.get(d.id);
    if (s?.freshness.status !== 'overdue' || !s.freshness.dueAt) continue;
    const dueAt = new Date(s.freshness.dueAt);
    const isNew = await inTransaction(db, async (tx) => {
      if (!(await qrepo.insertOverdueNotice(tx, { dataset_id: d.id, due_at: dueAt, notified_at: now }))) return false;
      const dueDate = todayInShanghai(dueAt);
      await notify(tx, {
        departmentId: d.department_id,
        role: null,
        kind: 'collection.dataset_overdue',
        title: `数据集 ${d.code} 未按更新周期更新（应于 ${dueDate} 前更新） Dataset ${d.code} is overdue (due ${dueDate})`,
        link: `/collection/datasets/${encodeURIComponent(d.code)}?tab=quality`,
        at: now,
      });
      await record(tx, {
        actor: SYSTEM_ACTOR,
        action: 'collection.dataset_overdue',
        targetType: 'dataset',
        targetId: d.id,
        requestId: null,
        details: { dataset: d.code, updateFrequency: s.updateFrequency, dueAt: dueAt.toISOString(), lastUpdatedAt: s.lastUpdatedAt?.toISOString() ?? null },
        at: now,
      });
      return true;
    });
    if (isNew) raised++;
  }
  return raised;
}
