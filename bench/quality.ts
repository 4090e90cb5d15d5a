/**
 * Collection quality benchmark (`npx tsx bench/quality.ts`): the read time of
 * `GET /datasets/{code}/quality` and `GET /collection/overview` on a dataset of
 * BENCH_RECORDS (default 100,000) current records, with one older version each, on embedded
 * PGlite. The records are written with SQL (the ingest benchmark measures the batch path):
 * 8 data items, filled to different degrees, so the aggregate does real work.
 */
import path from 'node:path';
import { sql } from 'kysely';
import { createPlatform } from '../src/app.js';
import { parseConfig } from '../src/platform/config.js';
import { openPGlite } from '../src/platform/db/index.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const RUNS = 5;
const PASSWORD = 'Huitong@2026';

const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HUITONG_DATA_DIR: path.resolve('.tmp/bench-quality'), HUITONG_WEB_DIR: '.tmp/no-web', HUITONG_LOGIN_RATE_PER_MINUTE: '100000' });
const platform = await createPlatform({ config, database: await openPGlite({}), seedDemo: true });
const call = async (method: 'GET' | 'POST', url: string, cookie: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const res = await platform.server.inject({ method, url, headers: { cookie, ...headers }, ...(payload ? { payload: payload as object } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json();
};
const login = async (username: string) => {
  const res = await platform.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  return `ht_session=${res.cookies.find((c) => c.name === 'ht_session')?.value}`;
};
const [editor, reviewer, authority] = [await login('editor'), await login('reviewer'), await login('authority')];
const entry = await call('POST', '/api/v1/catalog/entries', editor, {
  name: `基准测试质量${Date.now()}`, summary: '基准测试', classification: 'departmental', classCode: '399002', formatCategory: 'database',
  shareType: 'unconditional', shareManner: ['api'], openType: 'none', updateFrequency: 'monthly',
  items: [
    { name: '事项编号', nameEn: 'itemNo', dataType: 'C', length: 20, required: true },
    { name: '名称', nameEn: 'name', dataType: 'C', length: 50, required: true },
    { name: '状态', nameEn: 'status', dataType: 'C', length: 4, required: false },
    { name: '日期', nameEn: 'date', dataType: 'D', required: false },
    { name: '金额', nameEn: 'amount', dataType: 'Y', length: 10, required: false },
    { name: '数量', nameEn: 'count', dataType: 'I', length: 6, required: false },
    { name: '有效', nameEn: 'active', dataType: 'L', required: false },
    { name: '备注', nameEn: 'note', dataType: 'M', required: false },
  ],
});
for (const [who, action] of [[editor, 'submit'], [reviewer, 'approve'], [authority, 'publish']] as const) {
  await call('POST', `/api/v1/catalog/entries/${entry.id}/transitions`, who, { action });
}
const code = encodeURIComponent(entry.code);
const first = await call('POST', `/api/v1/datasets/${code}/batches?mode=atomic`, editor, { records: [{ key: 'seed', values: { itemNo: 'seed', name: 'seed' } }] }, { 'idempotency-key': 'bench-seed' });
const db = platform.app.database.db;
const ds = await db.selectFrom('datasets').select(['id']).where('code', '=', entry.code).executeTakeFirstOrThrow();
const writtenBy = (await db.selectFrom('dataset_records').select('written_by').where('batch_id', '=', first.batchId).executeTakeFirstOrThrow()).written_by;
const t0 = performance.now();
await sql`
  INSERT INTO dataset_records (dataset_id, record_key, version, raw, normalised, schema_version, batch_id, written_by, written_at, deleted)
  SELECT ${ds.id}::uuid, 'k' || g, v, '{}'::jsonb,
    jsonb_strip_nulls(jsonb_build_object('itemNo', 'k' || g, 'name', 'n' || g,
      'status', CASE WHEN g % 3 = 0 THEN NULL ELSE '正常' END, 'date', CASE WHEN g % 2 = 0 THEN '2020-01-01' END,
      'amount', 12.5, 'count', CASE WHEN g % 5 = 0 THEN 3 END, 'active', true, 'note', CASE WHEN g % 7 = 0 THEN 'x' END)),
    1, ${first.batchId}::uuid, ${writtenBy}::uuid, now(), false
  FROM generate_series(1, ${RECORDS}) g, generate_series(1, 2) v`.execute(db);
await sql`
  INSERT INTO dataset_current (dataset_id, record_key, version, fingerprint, deleted, updated_at)
  SELECT ${ds.id}::uuid, 'k' || g, 2, md5(g::text), g % 50 = 0, now() FROM generate_series(1, ${RECORDS}) g`.execute(db);
await sql`ANALYZE`.execute(db);
console.log(`wrote ${RECORDS} records × 2 versions in ${(performance.now() - t0).toFixed(0)} ms`);

/** Median of RUNS timings of fn, in ms. */
async function median(fn: () => Promise<unknown>): Promise<{ median: number; min: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(RUNS / 2)] as number, min: times[0] as number, max: times[RUNS - 1] as number };
}

// Baseline in the same run: one bare pass over the dataset's current versions and their values,
// the least any completeness figure must read.
const baseline = await median(() =>
  sql`SELECT count(*), sum(jsonb_array_length(jsonb_path_query_array(r.normalised, '$.*'))) FROM dataset_current c
      JOIN dataset_records r ON r.dataset_id = c.dataset_id AND r.record_key = c.record_key AND r.version = c.version
      WHERE c.dataset_id = ${ds.id}::uuid AND NOT c.deleted`.execute(db),
);
console.log(`baseline (one SQL pass over the current values): median ${baseline.median.toFixed(0)} ms`);

for (const [label, url, who] of [
  ['GET /datasets/{code}/quality', `/api/v1/datasets/${code}/quality`, editor],
  ['GET /collection/overview', '/api/v1/collection/overview', authority],
] as const) {
  let body: unknown;
  const m = await median(async () => {
    body = await call('GET', url, who);
  });
  console.log(`${label}: median ${m.median.toFixed(0)} ms (${(m.median / baseline.median).toFixed(2)}× the baseline), min ${m.min.toFixed(0)} ms, max ${m.max.toFixed(0)} ms`);
  if (label.includes('quality')) {
    const q = body as { recordCount: number; completeness: number };
    console.log(`  recordCount ${q.recordCount}, completeness ${q.completeness}`);
  }
}
await platform.close();
