/**
 * Collection ingest benchmark (`npm run bench:ingest`): validated, versioned records through the
 * batch API (vault tokens, history, audit) against a plain COPY of the same rows into an
 * unindexed table, both in this run on the same database. BENCH_DATABASE_URL=postgres://…
 * runs it on a PostgreSQL server too (COPY there through psql, its start-up time subtracted).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createPlatform } from '../src/app.js';
import { parseConfig } from '../src/platform/config.js';
import { type Database, openPGlite, openPostgres } from '../src/platform/db/index.js';
import { citizenIdCheckChar } from '../src/platform/validators/index.js';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 50_000);
const BATCH = 10_000;
const PASSWORD = 'Huitong@2026';

/** A valid citizen ID number for person i, distinct for i below 90,000. */
function citizenId(i: number): string {
  const first17 = `110105${1930 + (Math.floor(i / 1000) % 90)}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

function records(from: number, n: number) {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return { values: { citizen_id_number: citizenId(i), name: `姓名${i}`, status: i % 2 ? '正常' : '注销', registered_on: `20${String(10 + (i % 15))}-0${1 + (i % 9)}-1${i % 10}` } };
  });
}

async function run(label: string, database: Database, copyBaseline: (csvFile: string) => Promise<number>) {
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HUITONG_DATA_DIR: path.resolve('.tmp/bench-ingest'), HUITONG_WEB_DIR: '.tmp/no-web', HUITONG_LOGIN_RATE_PER_MINUTE: '100000' });
  const platform = await createPlatform({ config, database, seedDemo: true });
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: unknown, headers: Record<string, string> = {}) => {
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
    name: `基准测试户籍登记${Date.now()}`, summary: '基准测试', classification: 'departmental', classCode: '399002', formatCategory: 'database',
    shareType: 'unconditional', shareManner: ['api'], openType: 'none', updateFrequency: 'daily',
    items: [
      { name: '公民身份号码', nameEn: 'citizen_id_number', dataType: 'C', length: 18, required: true, isIdentifier: true },
      { name: '姓名', nameEn: 'name', dataType: 'C', length: 50, required: true },
      { name: '状态', nameEn: 'status', dataType: 'C', length: 4, codeList: '正常/注销', required: true },
      { name: '登记日期', nameEn: 'registered_on', dataType: 'D', required: false },
    ],
  });
  for (const [who, action] of [[editor, 'submit'], [reviewer, 'approve'], [authority, 'publish']] as const) {
    await call('POST', `/api/v1/catalog/entries/${entry.id}/transitions`, who, { action });
  }
  const code = encodeURIComponent(entry.code);
  const started = performance.now();
  for (let from = 0; from < RECORDS; from += BATCH) {
    await call('POST', `/api/v1/datasets/${code}/batches?mode=atomic`, editor, { records: records(from, Math.min(BATCH, RECORDS - from)) }, { 'idempotency-key': `bench-${from}` });
  }
  const apiMs = performance.now() - started;

  const csvFile = path.resolve('.tmp/bench-ingest.csv');
  fs.mkdirSync(path.dirname(csvFile), { recursive: true });
  fs.writeFileSync(csvFile, records(0, RECORDS).map((r) => Object.values(r.values).join(',')).join('\n') + '\n');
  const copyMs = await copyBaseline(csvFile);
  const apiRate = RECORDS / (apiMs / 1000);
  const copyRate = RECORDS / (copyMs / 1000);
  console.log(`\nIngest of ${RECORDS} records with citizen ID numbers (${label})`);
  console.log(`  batch API (validate, vault, history, audit)  ${apiRate.toFixed(0)} rows/s  (${apiMs.toFixed(0)} ms)`);
  console.log(`  COPY into an unindexed table (baseline)      ${copyRate.toFixed(0)} rows/s  (${copyMs.toFixed(0)} ms)`);
  console.log(`  ratio API / COPY                             ${((apiRate / copyRate) * 100).toFixed(1)} %`);
  await platform.close();
}

const ddl = 'CREATE TABLE IF NOT EXISTS bench_copy (citizen_id text, name text, status text, registered_on text); TRUNCATE bench_copy';

const embedded = await openPGlite({});
await run('embedded PGlite', embedded, async (csvFile) => {
  const pglite = embedded.pglite as NonNullable<typeof embedded.pglite>;
  await pglite.exec(ddl);
  const blob = new Blob([fs.readFileSync(csvFile)]);
  const t = performance.now();
  await pglite.query("COPY bench_copy FROM '/dev/blob' WITH (FORMAT csv)", [], { blob });
  return performance.now() - t;
});

if (process.env.BENCH_DATABASE_URL) {
  const url = new URL(process.env.BENCH_DATABASE_URL);
  const admin = await openPostgres(url.toString(), 1);
  await admin.exec('DROP DATABASE IF EXISTS huitong_bench_ingest');
  await admin.exec('CREATE DATABASE huitong_bench_ingest');
  await admin.close();
  url.pathname = '/huitong_bench_ingest';
  const server = await openPostgres(url.toString(), 4);
  await run('PostgreSQL server', server, async (csvFile) => {
    await server.exec(ddl);
    const psql = (cmd: string) => {
      const t = performance.now();
      execFileSync('psql', [url.toString(), '-q', '-c', cmd]);
      return performance.now() - t;
    };
    const startup = psql('SELECT 1');
    return psql(`\\copy bench_copy FROM '${csvFile}' WITH (FORMAT csv)`) - startup;
  });
}
