import { sql } from 'kysely';
import type { Executor } from '../src/platform/db/index.js';

/**
 * Every `table.column` outside `subjects` whose text (or bytea read as text) contains one of the
 * needles, case-insensitively: proof that raw identifiers stay in the vault. The same scan as
 * the collection test's "no raw identifier outside the vault", shared for other domains.
 */
export async function findRawIdentifiers(db: Executor, needles: readonly string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
    SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'jsonb', 'json', 'character varying', 'bytea', 'ARRAY')
      AND c.table_name <> 'subjects'`.execute(db);
  if (columns.rows.length < 10) throw new Error('the scan found too few columns to be meaningful');
  const found: string[] = [];
  for (const col of columns.rows) {
    const expr = col.data_type === 'bytea' ? sql`encode(${sql.ref(col.column_name)}, 'escape')` : sql`${sql.ref(col.column_name)}::text`;
    for (const needle of needles) {
      const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(col.table_name)} WHERE upper(${expr}) LIKE ${`%${needle.toUpperCase()}%`}`.execute(db);
      if (Number(r.rows[0]?.n) > 0) found.push(`${col.table_name}.${col.column_name}`);
    }
  }
  return found;
}
