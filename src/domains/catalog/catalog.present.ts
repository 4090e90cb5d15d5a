import type { EntryVersionRow } from './catalog.repo.js';
import { type EntryStatus, type TEntryFields, ZEntryFieldsBase } from './catalog.schema.js';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The stored field data of a version, with defaults for fields added after it was written. */
export function fieldsOf(row: { data: unknown }): TEntryFields {
  const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
  return ZEntryFieldsBase.parse(data);
}

/** One version as the API shows it: all metadata plus workflow facts. */
export function presentVersion(row: EntryVersionRow) {
  return {
    entryId: row.id,
    code: row.code,
    departmentId: row.department_id,
    departmentName: row.department_name,
    version: row.version,
    status: row.status as EntryStatus,
    returnReason: row.return_reason,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    updatedAt: iso(row.updated_at),
    publishedAt: iso(row.published_at),
    ...fieldsOf(row),
  };
}
export type TVersion = ReturnType<typeof presentVersion>;

/** A list row: what a search result or a queue shows. */
export function presentSummary(row: EntryVersionRow & { score?: number | string }) {
  const f = fieldsOf(row);
  return {
    id: row.id,
    code: row.code,
    name: f.name,
    nameEn: f.nameEn,
    summary: f.summary,
    departmentId: row.department_id,
    departmentName: row.department_name,
    classification: f.classification,
    shareType: f.shareType,
    openType: f.openType,
    updateFrequency: f.updateFrequency,
    status: row.status as EntryStatus,
    version: row.version,
    publishedVersion: row.published_version,
    publishedAt: iso(row.published_at),
    updatedAt: iso(row.updated_at),
    ...(row.score !== undefined ? { score: Number(row.score) } : {}),
  };
}

/** The text search looks in: names, keywords, data items and summary, lower-cased. */
export function searchTextOf(f: TEntryFields): string {
  return [f.name, f.nameEn, f.keywords.join(' '), f.items.map((i) => `${i.name} ${i.nameEn}`).join(' '), f.summary]
    .join(' \n ')
    .toLowerCase();
}

/** One changed field between two versions. */
export type FieldChange = { field: string; before: unknown; after: unknown };

/** Field-by-field differences; data items are matched by name so a reorder is not a change. */
export function diffFields(a: TEntryFields, b: TEntryFields): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of Object.keys(ZEntryFieldsBase.shape) as (keyof TEntryFields)[]) {
    if (key === 'items') continue;
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes.push({ field: key, before: a[key], after: b[key] });
  }
  const before = new Map(a.items.map((i) => [i.name, i]));
  const after = new Map(b.items.map((i) => [i.name, i]));
  for (const [name, item] of before) {
    const other = after.get(name);
    if (!other) {
      changes.push({ field: `items.${name}`, before: item, after: null });
      continue;
    }
    for (const k of Object.keys(item) as (keyof typeof item)[]) {
      if (item[k] !== other[k]) changes.push({ field: `items.${name}.${k}`, before: item[k], after: other[k] });
    }
  }
  for (const [name, item] of after) if (!before.has(name)) changes.push({ field: `items.${name}`, before: null, after: item });
  return changes;
}
