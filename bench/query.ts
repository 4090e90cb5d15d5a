/**
 * Sharing query API benchmark (`npm run bench:query`), on PostgreSQL (BENCH_DATABASE_URL, else
 * DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test; a scratch database is created and
 * dropped). A dataset of BENCH_SUBJECTS (default 10,000) people is loaded through the batch API
 * and another department gets a grant on it; then autocannon (in a child process, so it does not
 * share the server's event loop) sends 32 connections for BENCH_SECONDS (default 10) to each of
 * these, in BENCH_ROUNDS (default 3) rounds that alternate which goes first:
 *   (a) the baseline: a bare node:http server with a pg pool doing the same record's
 *       primary-key lookup (current version joined to the record) by subject token;
 *   (b) GET /api/v1/subjects/citizen_id/{id}: API client authentication, grant check, quota,
 *       projection, masking and the group-committed audit entry, before the answer is sent.
 * Both run in this process with the same pool size, over the same subjects; the medians of the
 * rounds are compared, so that load from elsewhere on the machine weighs on both alike.
 * BENCH_PROFILE=file.cpuprofile writes a CPU profile of this process during (b); BENCH_KEEP_DB=1
 * keeps the scratch database for a look afterwards.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { createPlatform } from '../src/app.js';
import { hashPassword } from '../src/domains/orgs/index.js';
import { queryRuntime } from '../src/domains/sharing/query/runtime.js';
import { verifyChain } from '../src/platform/audit/audit.js';
import { parseConfig } from '../src/platform/config.js';
import { uuidv7 } from '../src/platform/crypto/ids.js';
import { openPostgres } from '../src/platform/db/index.js';
import { citizenIdCheckChar } from '../src/platform/validators/index.js';
import { subjectToken } from '../src/platform/vault/index.js';

const SUBJECTS = Number(process.env.BENCH_SUBJECTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;
const POOL = 10;
const PASSWORD = 'Huitong@2026';

type LoadConfig = { url: string; paths: string[]; headers: Record<string, string>; seconds: number };
type LoadResult = { rps: number; p50: number; p99: number; total: number; non2xx: number; errors: number };

/** The load generator, run as a child process: autocannon over the paths in turn, result as JSON on stdout. */
async function load(cfg: LoadConfig): Promise<void> {
  const { default: autocannon } = await import('autocannon');
  let n = 0;
  const result = await autocannon({
    url: cfg.url,
    connections: CONNECTIONS,
    duration: cfg.seconds,
    headers: cfg.headers,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: cfg.paths[n++ % cfg.paths.length] as string }) }],
  });
  const out: LoadResult = { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, total: result.requests.total, non2xx: result.non2xx, errors: result.errors };
  process.stdout.write(JSON.stringify(out));
}

let loads = 0;
function runLoad(cfg: LoadConfig): Promise<LoadResult> {
  // The subjects' paths are too many for a command line: the child reads them from a file.
  const file = path.resolve(`.tmp/bench-query/load-${loads++}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(cfg));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/query.ts'), '--load', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`load generator exited ${code}`))));
  });
}

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of this process while the query API is under load; returns its stopper. */
async function startProfile(): Promise<() => Promise<object>> {
  const inspector = await import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method: string) =>
    new Promise<object>((resolve, reject) => session.post(method, (err, res) => (err ? reject(err) : resolve((res as { profile?: object })?.profile ?? {}))));
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const profile = await post('Profiler.stop');
    session.disconnect();
    return profile;
  };
}

/** A valid citizen ID number for person i (distinct below 90,000). */
function citizenId(i: number): string {
  const first17 = `441302${1930 + (Math.floor(i / 1000) % 90)}0${1 + (i % 9)}1${i % 10}${String(i % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function main() {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dbName = 'huitong_bench_query';
  const admin = await openPostgres(serverUrl, 1);
  await admin.exec(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.exec(`CREATE DATABASE ${dbName}`);
  const dbUrl = withDatabase(serverUrl, dbName);
  const dataDir = path.resolve('.tmp/bench-query');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: dbUrl,
    DATABASE_POOL_SIZE: String(POOL),
    HUITONG_DATA_DIR: dataDir,
    HUITONG_WEB_DIR: '.tmp/no-web',
    HUITONG_LOGIN_RATE_PER_MINUTE: '100000',
    HUITONG_QUERY_RATE_PER_MIN: '1000000',
    HUITONG_MAIL_POLL_SECONDS: '0',
  });
  const platform = await createPlatform({ config, seedDemo: true });
  const db = platform.app.database.db;
  const inject = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) => {
    const res = await platform.server.inject({ method, url, headers, ...(payload ? { payload: payload as object } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json();
  };
  const login = async (username: string) => {
    const res = await platform.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    return { cookie: `ht_session=${res.cookies.find((c) => c.name === 'ht_session')?.value}` };
  };

  // The provider's dataset, loaded through the batch API.
  const [editor, reviewer, authority] = [await login('editor'), await login('reviewer'), await login('authority')];
  const entry = await inject('POST', '/api/v1/catalog/entries', editor, {
    name: `基准测试居民信息${Date.now()}`, summary: '基准测试', classification: 'departmental', classCode: '399002', formatCategory: 'database',
    shareType: 'conditional', shareConditions: '依职责申请', legalBasis: '《政务数据共享条例》', shareManner: ['api'], openType: 'none', updateFrequency: 'daily',
    items: [
      { name: '公民身份号码', nameEn: 'citizen_id_number', dataType: 'C', length: 18, required: true, isIdentifier: true },
      { name: '姓名', nameEn: 'name', dataType: 'C', length: 50, required: true },
      { name: '联系电话', nameEn: 'phone', dataType: 'C', length: 20 },
      { name: '住址', nameEn: 'address', dataType: 'C', length: 200 },
      { name: '状态', nameEn: 'status', dataType: 'C', length: 4, codeList: '正常/注销', required: true },
      { name: '登记日期', nameEn: 'registered_on', dataType: 'D' },
    ],
  });
  for (const [who, action] of [[editor, 'submit'], [reviewer, 'approve'], [authority, 'publish']] as const) {
    await inject('POST', `/api/v1/catalog/entries/${entry.id}/transitions`, who, { action });
  }
  const code = encodeURIComponent(entry.code);
  for (let from = 0; from < SUBJECTS; from += 10_000) {
    const records = Array.from({ length: Math.min(10_000, SUBJECTS - from) }, (_, k) => {
      const i = from + k;
      return { values: { citizen_id_number: citizenId(i), name: `张${['伟', '芳', '秀英', '志明'][i % 4]}${i}`, phone: `138${String(i).padStart(8, '0')}`, address: `广东省惠州市惠城区江北街道${i}号`, status: i % 7 ? '正常' : '注销', registered_on: `20${String(10 + (i % 15))}-0${1 + (i % 9)}-1${i % 10}` } };
    });
    await inject('POST', `/api/v1/datasets/${code}/batches?mode=atomic`, { ...editor, 'idempotency-key': `bench-${from}` }, { records });
  }

  // The consumer: another department's API client with share:query, and a grant on the entry.
  const consumer = await db.selectFrom('departments').select('id').where('name', '=', '惠州市公安局').executeTakeFirstOrThrow();
  const now = platform.app.clock.now();
  const adminId = uuidv7();
  await db
    .insertInto('users')
    .values({ id: adminId, username: 'bench_psb_admin', display_name: 'bench', department_id: consumer.id, password_hash: await hashPassword(PASSWORD), roles: ['dept_admin'], password_changed_at: now, created_at: now })
    .execute();
  const client = await inject('POST', '/api/v1/api-clients', (await login('bench_psb_admin')), { name: '基准测试业务系统', scopes: ['share:query'] });
  const provider = await db.selectFrom('catalog_entries').select(['department_id', 'published_version']).where('id', '=', entry.id).executeTakeFirstOrThrow();
  const items = [
    { nameEn: 'name', name: '姓名', masking: 'none' },
    { nameEn: 'citizen_id_number', name: '公民身份号码', masking: 'partial' },
    { nameEn: 'phone', name: '联系电话', masking: 'partial' },
    { nameEn: 'address', name: '住址', masking: 'partial' },
    { nameEn: 'status', name: '状态', masking: 'none' },
    { nameEn: 'registered_on', name: '登记日期', masking: 'partial' },
  ];
  const requestId = uuidv7();
  await db
    .insertInto('share_requests')
    .values({
      id: requestId, no: 'GX2026999999', entry_id: entry.id, entry_version: provider.published_version ?? 1, consumer_department_id: consumer.id, provider_department_id: provider.department_id,
      share_type: 'conditional', items: JSON.stringify(items.map((i) => ({ nameEn: i.nameEn, name: i.name, duty: '基准测试' }))), purpose: '基准测试', scope: '基准测试', legal_basis: '基准测试',
      period_from: '2026-01-01', period_until: '2030-12-31', status: 'provided', grant_id: null, created_by: adminId, created_at: now, updated_at: now,
    })
    .execute();
  await db
    .insertInto('grants')
    .values({
      id: uuidv7(), request_id: requestId, consumer_department_id: consumer.id, provider_department_id: provider.department_id, entry_id: entry.id, items: JSON.stringify(items),
      purpose: '基准测试', legal_basis: '基准测试', valid_from: new Date(now.getTime() - 86_400_000), valid_until: '2030-12-31', daily_quota: 100_000_000, status: 'active', created_at: now,
    })
    .execute();
  const dataset = await db.selectFrom('datasets').select('id').where('entry_id', '=', entry.id).executeTakeFirstOrThrow();
  await sql`ANALYZE`.execute(db);

  const ids = Array.from({ length: SUBJECTS }, (_, i) => citizenId((i * 7919) % SUBJECTS));
  const tokens = ids.map((id) => subjectToken(platform.app.vault, 'citizen_id', id));

  // (a) The baseline: node:http + pg, the record's primary-key lookup by token.
  const pool = new pg.Pool({ connectionString: dbUrl, max: POOL });
  const bare = http.createServer((req, res) => {
    const token = (req.url ?? '').slice('/records/'.length);
    pool
      .query(
        'SELECT r.normalised, r.written_at FROM dataset_current c JOIN dataset_records r ON r.dataset_id = c.dataset_id AND r.record_key = c.record_key AND r.version = c.version WHERE c.dataset_id = $1 AND c.record_key = $2',
        [dataset.id, token],
      )
      .then((r) => {
        res.writeHead(r.rows.length ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(r.rows[0] ?? null));
      })
      .catch(() => {
        res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const barePort = (bare.address() as AddressInfo).port;
  const bareCfg = { url: `http://127.0.0.1:${barePort}`, paths: tokens.map((t) => `/records/${t}`), headers: {}, seconds: SECONDS };

  // (b) The query API.
  await platform.server.listen({ port: 0, host: '127.0.0.1' });
  const port = (platform.server.server.address() as AddressInfo).port;
  const purpose = encodeURIComponent('基准测试：核验居民身份');
  const apiCfg = { url: `http://127.0.0.1:${port}`, paths: ids.map((id) => `/api/v1/subjects/citizen_id/${id}`), headers: { authorization: client.authorization, purpose }, seconds: SECONDS };
  const sample = await fetch(`${apiCfg.url}${apiCfg.paths[0]}`, { headers: apiCfg.headers });
  const sampleBody = (await sample.json()) as { datasets: { values: Record<string, unknown> }[] };
  if (sample.status !== 200 || sampleBody.datasets.length !== 1) throw new Error(`the query API did not serve the record: ${sample.status} ${JSON.stringify(sampleBody)}`);

  // Warm-up, then ROUNDS rounds alternating which goes first, so that load from elsewhere on the
  // machine weighs on both alike; the medians are compared.
  await runLoad({ ...bareCfg, seconds: 3 });
  await runLoad({ ...apiCfg, seconds: 3 });
  const statsBefore = queryRuntime(platform.app).audit.stats();
  const profiler = process.env.BENCH_PROFILE ? await startProfile() : undefined;
  const runs: { a: LoadResult; b: LoadResult }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    if (round % 2 === 0) {
      const a = await runLoad(bareCfg);
      runs.push({ a, b: await runLoad(apiCfg) });
    } else {
      const b = await runLoad(apiCfg);
      runs.push({ a: await runLoad(bareCfg), b });
    }
  }
  if (profiler) fs.writeFileSync(process.env.BENCH_PROFILE as string, JSON.stringify(await profiler()));
  const statsAfter = queryRuntime(platform.app).audit.stats();
  const batches = statsAfter.batches - statsBefore.batches;
  const entries = statsAfter.entries - statsBefore.entries;
  await new Promise((r) => bare.close(r));
  await pool.end();

  const started = performance.now();
  const chain = await verifyChain(db);
  const verifyMs = performance.now() - started;

  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const ms = (n: number) => `${n.toFixed(1).padStart(6)} ms`;
  const rps = (n: number) => `${n.toFixed(0).padStart(6)} req/s`;
  const line = (r: LoadResult) => `${rps(r.rps)}  p50 ${ms(r.p50)}  p99 ${ms(r.p99)}  (${r.total} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`;
  console.log(`\nSharing query API, ${SUBJECTS} subjects, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SECONDS} s each, PostgreSQL, pool ${POOL}`);
  console.log(`  one answer: ${JSON.stringify(sampleBody.datasets[0]?.values)}`);
  for (const [i, r] of runs.entries()) {
    console.log(`  round ${i + 1}  (a) ${line(r.a)}`);
    console.log(`           (b) ${line(r.b)}   ratio ${((r.b.rps / r.a.rps) * 100).toFixed(1)} %`);
  }
  const a = { rps: median(runs.map((r) => r.a.rps)), p50: median(runs.map((r) => r.a.p50)), p99: median(runs.map((r) => r.a.p99)) };
  const b = { rps: median(runs.map((r) => r.b.rps)), p50: median(runs.map((r) => r.b.p50)), p99: median(runs.map((r) => r.b.p99)) };
  console.log(`  median (a) node:http + pg primary-key lookup (baseline)  ${rps(a.rps)}  p50 ${ms(a.p50)}  p99 ${ms(a.p99)}`);
  console.log(`  median (b) GET /api/v1/subjects/citizen_id/{id}           ${rps(b.rps)}  p50 ${ms(b.p50)}  p99 ${ms(b.p99)}`);
  console.log(`  ratio of medians (b) / (a) throughput                     ${((b.rps / a.rps) * 100).toFixed(1)} %   (target ≥ 50 %, p99 ≤ 25 ms)`);
  console.log(`  audit: ${entries} entries in ${batches} group commits (${(entries / Math.max(1, batches)).toFixed(1)} per commit); chain ${chain.ok ? 'verifies' : 'BROKEN'} (${chain.checked} entries in ${verifyMs.toFixed(0)} ms)`);

  await platform.close();
  if (!process.env.BENCH_KEEP_DB) await admin.exec(`DROP DATABASE IF EXISTS ${dbName}`).catch(() => {});
  await admin.close();
}

if (process.argv[2] === '--load') await load(JSON.parse(fs.readFileSync(process.argv[3] as string, 'utf8')) as LoadConfig);
else await main();
