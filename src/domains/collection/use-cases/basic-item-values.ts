import { sql } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../../../platform/db/index.js';
import { ZSchemaItem } from '../collection.schema.js';

const ZItems = z.array(ZSchemaItem);
const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

/** One current value of a basic data item for a subject, as a dataset holds it. */
export type BasicItemValue = { dataset: string; item: string; itemEn: string; value: string | null; updatedAt: string };

/**
 * The values a department's datasets currently hold for one subject (by vault token) in the
 * data items that carry a basic data item: what the platform has, shown to the responsible
 * department when it checks a verification report. Only subject-keyed datasets can match.
 */
export async function currentValuesOfBasicItem(db: Executor, q: { departmentId: string; basicItemId: string; subjectToken: string }): Promise<BasicItemValue[]> {
  const datasets = await db
    .selectFrom('datasets')
    .select(['id', 'code', 'items'])
    .where('department_id', '=', q.departmentId)
    .where('key_kind', '=', 'subject')
    .where(sql<boolean>`items @> ${JSON.stringify([{ basicItemId: q.basicItemId }])}::jsonb`)
    .orderBy('code')
    .execute();
  const out: BasicItemValue[] = [];
  for (const ds of datasets) {
    const item = ZItems.parse(json(ds.items)).find((i) => i.basicItemId === q.basicItemId);
    if (!item) continue;
    const rec = await db
      .selectFrom('dataset_current as c')
      .innerJoin('dataset_records as r', (j) => j.onRef('r.dataset_id', '=', 'c.dataset_id').onRef('r.record_key', '=', 'c.record_key').onRef('r.version', '=', 'c.version'))
      .select(['r.raw', 'c.updated_at', 'c.deleted'])
      .where('c.dataset_id', '=', ds.id)
      .where('c.record_key', '=', q.subjectToken)
      .executeTakeFirst();
    if (!rec || rec.deleted) continue;
    const v = (json(rec.raw) as Record<string, unknown>)[item.nameEn];
    out.push({ dataset: ds.code, item: item.name, itemEn: item.nameEn, value: v === undefined || v === null ? null : String(v), updatedAt: new Date(rec.updated_at).toISOString() });
  }
  return out;
}
