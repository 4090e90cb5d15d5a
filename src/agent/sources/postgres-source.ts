// The PostgreSQL source: the department's own query, read incrementally by a cursor column
// (a sequence id, updated_at) over a real wire connection with node-postgres. The checkpoint is
// the last cursor value the platform acknowledged.
import pg from 'pg';
import { MAX_BATCH_RECORDS, type TPostgresSource } from '../agent.schema.js';
import { type AgentRecord, type JobContext, type JobOutcome, SourceConfigError } from '../job.js';

type Row = Record<string, string | null>;

const quote = (column: string) => `"${column.replace(/"/g, '""')}"`;

/**
 * Every value as PostgreSQL's own text, never parsed into JS: a timestamptz cursor keeps its
 * microseconds (a JS Date would drop them and resend or skip rows on the boundary), bigint and
 * numeric keep their digits, and records carry the same text a CSV export would.
 */
const asText: pg.CustomTypesConfig = { getTypeParser: () => (value: string) => value };

/**
 * The batch query. The user's query is wrapped as a subquery: the cursor filter and the order
 * apply to its result, and a data-modifying statement cannot run inside it, so the agent only
 * ever reads. Rows whose cursor is NULL are never sent (they have no place in the order). $1 takes
 * its type from the cursor column, so the stored text is compared as a timestamp, a number, ….
 */
export function batchSql(source: Pick<TPostgresSource, 'query' | 'cursorColumn'>, opts: { after: boolean; limit: number | null; equal?: boolean }): string {
  const c = `agent_source.${quote(source.cursorColumn)}`;
  const where = opts.equal ? `${c} = $1` : opts.after ? `${c} > $1` : `${c} IS NOT NULL`;
  return `SELECT * FROM (${source.query}) AS agent_source WHERE ${where} ORDER BY ${c}${opts.limit === null ? '' : ` LIMIT ${opts.limit}`}`;
}

function toRecord(row: Row, source: TPostgresSource): AgentRecord {
  const values: Record<string, string> = {};
  for (const [col, value] of Object.entries(row)) {
    if (col === source.cursorColumn || col === source.keyColumn || value === null) continue;
    values[source.columns[col] ?? col] = value;
  }
  const key = source.keyColumn ? row[source.keyColumn]?.trim() : undefined;
  return key ? { key, values } : { values };
}

/** SQLSTATE classes of a query that is wrong rather than a database that is away: 42 syntax or access rule, 22 data exception. */
const isQueryError = (err: unknown) => typeof (err as { code?: unknown }).code === 'string' && /^(42|22)/.test((err as { code: string }).code);

/** Reads batches after the checkpoint's cursor until the query has nothing newer. */
export async function runPostgresSource(ctx: JobContext): Promise<JobOutcome> {
  const source = ctx.job.source as TPostgresSource;
  const state = ctx.checkpoint.source;
  if (state.kind !== 'postgres') throw new Error('checkpoint of another source kind');
  const n = ctx.job.batchSize;
  const client = new pg.Client({ connectionString: source.url, types: asText, application_name: `huitong-agent:${ctx.job.name}` });
  client.on('error', () => {
    // A dropped connection surfaces in the next query; the idle-client event must not crash the agent.
  });
  await client.connect();
  const query = async (sql: string, params: unknown[]): Promise<Row[]> => {
    try {
      return (await client.query<Row>(sql, params)).rows;
    } catch (err) {
      if (isQueryError(err)) throw new SourceConfigError(`the job's query failed 查询语句有误: ${(err as Error).message}`);
      throw err;
    }
  };
  try {
    for (;;) {
      if (ctx.stop.aborted) return 'aborted';
      const from = state.cursor;
      // One row more than a batch shows whether the batch boundary falls inside a run of equal cursor values.
      const rows = await query(batchSql(source, { after: from !== null, limit: n + 1 }), from === null ? [] : [from]);
      if (rows.length === 0) return 'ok';
      if (rows[0] && !(source.cursorColumn in rows[0])) throw new SourceConfigError(`the query returns no column "${source.cursorColumn}" 查询结果中没有游标列`);
      let batch = rows.slice(0, n);
      if (rows.length > n) {
        const last = rows[n - 1]?.[source.cursorColumn];
        if (rows[n]?.[source.cursorColumn] === last) {
          // Rows sharing the last cursor value straddle the boundary: `cursor > last` next time
          // would skip the ones left behind. Send that run with the next batch instead, or, when
          // the whole batch is one run, send the run whole (up to the platform's batch limit).
          batch = batch.filter((r) => r[source.cursorColumn] !== last);
          if (batch.length === 0) {
            batch = await query(batchSql(source, { after: false, equal: true, limit: MAX_BATCH_RECORDS + 1 }), [last]);
            if (batch.length > MAX_BATCH_RECORDS) {
              throw new SourceConfigError(`more than ${MAX_BATCH_RECORDS} rows share the cursor value ${last}; choose a cursor column with fewer ties 游标列取值重复过多，请选用区分度更高的列`);
            }
          }
        }
      }
      const to = batch[batch.length - 1]?.[source.cursorColumn] ?? null;
      const records = batch.map((r) => toRecord(r, source));
      const d = await ctx.deliver(
        records,
        { from, to },
        () => {
          state.cursor = to;
        },
        (i) => ({ cursor: batch[i]?.[source.cursorColumn] }),
      );
      if (!d.ok) return d.outcome;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
