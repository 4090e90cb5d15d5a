/**
 * Benchmarks, run by hand or `npm run bench`; never part of `npm test`. Every figure is printed
 * beside a baseline measured in the same run on the same machine.
 *
 * 1. Catalog search over 10,000 published entries: p50/p95 of the full HTTP path (inject:
 *    routing, auth, validation, ranking, presentation) against a direct SQL LIKE query, and
 *    against the ranked repository query alone (what the HTTP layer adds).
 * 2. Cold start to /readyz on the embedded database: a fresh data dir (initdb, migrations,
 *    demo city) and a restart, against a bare PGlite start in a child process.
 *
 * BENCH_DATABASE_URL=postgres://… runs part 1 on a PostgreSQL server as well.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { createPlatform } from '../src/app.js';
import { searchTextOf } from '../src/domains/catalog/catalog.present.js';
import { searchPublished } from '../src/domains/catalog/catalog.repo.js';
import { uuidv7 } from '../src/platform/crypto/ids.js';
import { type Database, openPGlite, openPostgres } from '../src/platform/db/index.js';
import { parseConfig } from '../src/platform/config.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const QUERIES = ['户籍', '婚姻登记信息', '企业', 'social insurance', '公积金 缴存', '不动产', 'license', '学籍', '纳税', '残疾人'];
const WORDS = ['人口', '户籍', '婚姻', '企业', '登记', '社保', '公积金', '不动产', '学籍', '纳税', '医疗', '交通', '环境', '统计', '财政', '残疾人', '住房', '信用', '证照', '许可'];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95) };
}
const ms = (n: number) => `${n.toFixed(2)} ms`;

/** Adds published entries straight into the tables (setup only; the benchmark reads them). */
async function fillCatalog(database: Database, n: number) {
  const db = database.db;
  const dept = await db.selectFrom('departments').select('id').executeTakeFirstOrThrow();
  const user = await db.selectFrom('users').select('id').executeTakeFirstOrThrow();
  const now = new Date();
  for (let start = 0; start < n; start += 500) {
    const entries = [];
    const versions = [];
    for (let i = start; i < Math.min(n, start + 500); i++) {
      const w = (k: number) => WORDS[(i * 7 + k * 13) % WORDS.length] as string;
      const fields = {
        name: `${w(1)}${w(2)}信息${i}`,
        nameEn: `Resource ${i} ${w(3)}`,
        summary: `${w(1)}与${w(4)}相关的政务信息资源，编号 ${i}。`,
        classification: 'departmental' as const,
        classCode: '399001',
        keywords: [w(1), w(5)],
        formatCategory: 'database' as const,
        formatType: 'PostgreSQL',
        shareType: (['unconditional', 'conditional', 'none'] as const)[i % 3] as 'unconditional',
        shareConditions: '依职责申请',
        legalBasis: '《政务数据共享条例》',
        shareManner: ['api' as const],
        openType: 'none' as const,
        openConditions: '',
        updateFrequency: 'daily' as const,
        relatedSystems: [],
        relatedResourceCodes: [],
        scopeOfUse: '',
        sharingPeriod: '长期',
        items: [
          { name: `${w(2)}编号`, nameEn: 'code', dataType: 'C' as const, length: 32, codeList: null, required: true, isIdentifier: true },
          { name: `${w(6)}名称`, nameEn: 'name', dataType: 'C' as const, length: 200, codeList: null, required: true, isIdentifier: false },
        ],
      };
      const id = uuidv7();
      entries.push({ id, code: `399001/${String(i + 1).padStart(6, '0')}`, class_code: '399001', seq: i + 1, department_id: dept.id, latest_version: 1, published_version: 1, created_at: now, created_by: user.id });
      versions.push({ id: uuidv7(), entry_id: id, version: 1, status: 'published', name: fields.name, data: JSON.stringify(fields), search_text: searchTextOf(fields), created_at: now, created_by: user.id, updated_at: now, published_at: now, published_by: user.id });
    }
    await db.insertInto('catalog_entries').values(entries).execute();
    await db.insertInto('catalog_versions').values(versions).execute();
  }
  await sql`ANALYZE`.execute(db);
}

async function benchSearch(label: string, database: Database) {
  const dataDir = path.resolve('.tmp/bench-data');
  const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HUITONG_DATA_DIR: dataDir, HUITONG_WEB_DIR: '.tmp/no-web', HUITONG_LOGIN_RATE_PER_MINUTE: '100000' });
  const platform = await createPlatform({ config, database, seedDemo: true });
  await fillCatalog(database, ENTRIES);
  const login = await platform.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'editor', password: config.HUITONG_DEMO_PASSWORD } });
  const cookie = `ht_session=${login.cookies.find((c) => c.name === 'ht_session')?.value}`;

  const api: number[] = [];
  const ranked: number[] = [];
  const direct: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const q = QUERIES[r % QUERIES.length] as string;
    let t = performance.now();
    const res = await platform.server.inject({ method: 'GET', url: `/api/v1/catalog/search?q=${encodeURIComponent(q)}&pageSize=20`, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`search failed: ${res.body}`);
    api.push(performance.now() - t);
    t = performance.now();
    await searchPublished(database.db, { q, page: 1, pageSize: 20 });
    ranked.push(performance.now() - t);
    t = performance.now();
    const term = `%${q.split(' ')[0]}%`;
    await sql`SELECT e.id, v.name FROM catalog_entries e JOIN catalog_versions v ON v.entry_id = e.id AND v.version = e.published_version
              WHERE v.search_text LIKE ${term} ORDER BY v.published_at DESC LIMIT 20`.execute(database.db);
    direct.push(performance.now() - t);
  }
  const a = stats(api.slice(10));
  const r = stats(ranked.slice(10));
  const d = stats(direct.slice(10));
  console.log(`\nCatalog search, ${ENTRIES} published entries, ${ROUNDS} queries (${label})`);
  console.log(`  API /catalog/search (ranked)   p50 ${ms(a.p50)}  p95 ${ms(a.p95)}`);
  console.log(`  ranked SQL alone (repository)  p50 ${ms(r.p50)}  p95 ${ms(r.p95)}`);
  console.log(`  direct SQL LIKE (baseline)     p50 ${ms(d.p50)}  p95 ${ms(d.p95)}`);
  console.log(`  ratio API / baseline           p50 ${(a.p50 / d.p50).toFixed(2)}×  p95 ${(a.p95 / d.p95).toFixed(2)}×`);
  console.log(`  ratio API / ranked SQL         p50 ${(a.p50 / r.p50).toFixed(2)}×  p95 ${(a.p95 / r.p95).toFixed(2)}×  (HTTP, session, validation, presentation)`);
  await platform.close();
}

/** Milliseconds from spawning the server until /readyz answers 200. */
async function timeToReady(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, HUITONG_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok).catch(() => false);
      if (ok) return performance.now() - started;
      if (performance.now() - started > 120_000) throw new Error('server did not become ready in 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Milliseconds for a bare child process that creates a PGlite database and exits. */
async function timeBarePGlite(dataDir: string): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { PGlite } from '@electric-sql/pglite'; const db = await PGlite.create(${JSON.stringify(dataDir)}); await db.query('select 1'); await db.close();`], { stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bare PGlite exited ${code}`))));
  });
  return performance.now() - started;
}

async function benchColdStart() {
  const base = path.resolve('.tmp/bench-start');
  fs.rmSync(base, { recursive: true, force: true });
  fs.mkdirSync(base, { recursive: true });
  const bare = await timeBarePGlite(path.join(base, 'bare'));
  const first = await timeToReady(path.join(base, 'server'), 18181);
  const again = await timeToReady(path.join(base, 'server'), 18182);
  console.log('\nCold start to /readyz, embedded database');
  console.log(`  bare PGlite create + select 1 (baseline)      ${ms(bare)}`);
  console.log(`  first start: initdb, migrate, demo city        ${ms(first)}  (${(first / bare).toFixed(2)}×)`);
  console.log(`  restart on the existing data dir               ${ms(again)}  (${(again / bare).toFixed(2)}×)`);
}

async function main() {
  await benchSearch('embedded PGlite', await openPGlite({}));
  if (process.env.BENCH_DATABASE_URL) {
    const url = new URL(process.env.BENCH_DATABASE_URL);
    const admin = await openPostgres(url.toString(), 1);
    await admin.exec('DROP DATABASE IF EXISTS huitong_bench');
    await admin.exec('CREATE DATABASE huitong_bench');
    await admin.close();
    url.pathname = '/huitong_bench';
    await benchSearch('PostgreSQL server', await openPostgres(url.toString(), 4));
  }
  await benchColdStart();
}

await main();
