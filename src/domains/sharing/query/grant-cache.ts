import type { Executor } from '../../../platform/db/index.js';
import type { ItemShape, Masking } from './masking.js';
import * as repo from './query.repo.js';

/**
 * A department's active grants, kept for a couple of seconds per process so that a busy consumer
 * system does not read its grants, their entries and datasets on every call. This never widens
 * what is served: every call re-checks in SQL that each grant it uses is still active (see
 * repo.findGrantRecords), so a revocation or lapse takes effect on the next call in every process;
 * only a *new* grant may take up to TTL_MS to be seen by another process (this one is told at once
 * through invalidateGrantCache). Time limits (valid_from, valid_until) are checked on every call.
 */
export const GRANT_CACHE_TTL_MS = 2_000;

/** One granted item: its English and Chinese names, how it is masked, and its shape in the dataset. */
export type GrantedItem = { nameEn: string; name: string; masking: Masking; shape: ItemShape };

/** A grant as the query API uses it. */
export type CachedGrant = {
  id: string;
  entryCode: string;
  entryName: string;
  providerId: string;
  providerName: string;
  validFromMs: number;
  /** Last day served, Asia/Shanghai. */
  validUntil: string;
  dailyQuota: number;
  items: GrantedItem[];
  /** The entry's dataset when it has one keyed by subject token; only those can be queried by subject. */
  datasetId: string | null;
};

const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

type RawItem = { name?: unknown; nameEn?: unknown; dataType?: unknown; masking?: unknown };

/** A grant row with its dataset's item shapes joined in. */
export function toCachedGrant(r: repo.ActiveGrantRow): CachedGrant {
  const shapes = new Map<string, ItemShape>();
  for (const i of (json(r.dataset_items) ?? []) as RawItem[]) {
    if (typeof i?.nameEn === 'string') shapes.set(i.nameEn, { name: String(i.name ?? ''), nameEn: i.nameEn, dataType: typeof i.dataType === 'string' ? i.dataType : undefined });
  }
  const items: GrantedItem[] = [];
  for (const i of (json(r.items) ?? []) as RawItem[]) {
    if (typeof i?.nameEn !== 'string') continue;
    const name = String(i.name ?? '');
    // Anything but an explicit 'none' is served masked: a malformed grant never serves more.
    const masking: Masking = i.masking === 'none' ? 'none' : 'partial';
    items.push({ nameEn: i.nameEn, name, masking, shape: shapes.get(i.nameEn) ?? { name, nameEn: i.nameEn } });
  }
  return {
    id: r.id,
    entryCode: r.entry_code,
    entryName: r.entry_name ?? '',
    providerId: r.provider_department_id,
    providerName: r.provider_name,
    validFromMs: new Date(r.valid_from).getTime(),
    validUntil: r.valid_until,
    dailyQuota: Number(r.daily_quota),
    items,
    datasetId: r.dataset_key_kind === 'subject' ? r.dataset_id : null,
  };
}

/** True while a grant serves: from its start to the end of its last day (Asia/Shanghai). */
export function isServing(g: CachedGrant, now: Date, today: string): boolean {
  return g.validFromMs <= now.getTime() && today <= g.validUntil;
}

export type GrantCache = {
  /** The department's grants with status active, at most TTL_MS old. */
  get(departmentId: string): Promise<CachedGrant[]>;
  /** Forgets one department's grants, or every department's. */
  invalidate(departmentId?: string): void;
};

/** A per-process cache of active grants on `db`. */
export function createGrantCache(db: Executor, ttlMs = GRANT_CACHE_TTL_MS): GrantCache {
  const entries = new Map<string, { at: number; grants: Promise<CachedGrant[]> }>();
  return {
    get(departmentId) {
      const now = performance.now();
      const hit = entries.get(departmentId);
      if (hit && now - hit.at < ttlMs) return hit.grants;
      const grants = repo.listActiveGrants(db, departmentId).then((rows) => rows.map(toCachedGrant));
      entries.set(departmentId, { at: now, grants });
      // A failed read is not kept: the next call tries again.
      grants.catch(() => {
        if (entries.get(departmentId)?.grants === grants) entries.delete(departmentId);
      });
      return grants;
    },
    invalidate(departmentId) {
      if (departmentId === undefined) entries.clear();
      else entries.delete(departmentId);
    },
  };
}
