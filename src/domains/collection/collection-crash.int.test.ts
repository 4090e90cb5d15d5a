import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../../test/global-setup.js';
import { type Database, openPGlite, openPostgres } from '../../platform/db/index.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

// The real server, killed with SIGKILL in the middle of a 100,000-row atomic upload while API
// batches are being acknowledged, then started again: the upload must have written nothing,
// every acknowledged batch must be there in full, and the audit chain must verify.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'bin/huitong.mjs');
const SERVER_URL = process.env.TEST_DATABASE_URL;
const PASSWORD = 'Huitong@2026';
const UPLOAD_ROWS = 100_000;
const API_BATCH = 500;

const work = path.join(ROOT, '.tmp', `crash-test-${process.pid}-${Date.now() % 1e6}`);
const dataDir = path.join(work, 'data');
let databaseUrl: string | undefined;
let serverDbName: string | undefined;
let server: ChildProcess | undefined;
let base = '';

/** A valid citizen ID number for person i (distinct for i below 10,000,000). */
function citizenId(i: number): string {
  const first17 = `4413021980${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 12) % 28)).padStart(2, '0')}${String(Math.floor(i / 336) % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn', HUITONG_DATA_DIR: dataDir, HUITONG_WEB_DIR: path.join(work, 'no-web'), ...extra };
  delete e.DATABASE_URL;
  delete e.TEST_DATABASE_URL;
  if (databaseUrl) e.DATABASE_URL = databaseUrl;
  return e;
}

/** Starts `src/main.ts` as the operator would and waits until /readyz answers. */
async function startServer(): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: env({ PORT: String(port), HOST: '127.0.0.1' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  server = child;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready within 90 s:\n${output}`);
}

function stopped(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

function runCli(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: env({ LOG_LEVEL: 'silent' }), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

async function api(method: string, url: string, cookie: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { cookie, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function login(username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ht_session='));
  return (cookie as string).split(';')[0] as string;
}

function openDatabase(): Promise<Database> {
  return databaseUrl ? openPostgres(databaseUrl, 1) : openPGlite({ dataDir });
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  if (SERVER_URL) {
    serverDbName = `huitong_crash_${process.pid}_${Date.now() % 1e6}`;
    const admin = await openPostgres(SERVER_URL, 1);
    await admin.exec(`CREATE DATABASE ${serverDbName}`);
    await admin.close();
    databaseUrl = withDatabase(SERVER_URL, serverDbName);
  }
});

afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) {
    server.kill('SIGKILL');
    await stopped(server);
  }
  if (SERVER_URL && serverDbName) {
    const admin = await openPostgres(SERVER_URL, 1);
    await admin.exec(`DROP DATABASE IF EXISTS ${serverDbName}`).catch(() => {});
    await admin.close();
  }
  fs.rmSync(work, { recursive: true, force: true });
});

describe('SIGKILL in the middle of collection', () => {
  it('leaves nothing of an atomic 100,000-row upload, keeps every acknowledged batch and an intact audit chain', { timeout: 600_000 }, async () => {
    await startServer();
    const [editor, reviewer, authority] = [await login('editor'), await login('reviewer'), await login('authority')];
    const entry = await api('POST', '/catalog/entries', editor, {
      name: '崩溃测试人口登记',
      summary: '进程被强制终止时的归集完整性',
      classification: 'departmental',
      classCode: '399002',
      formatCategory: 'database',
      shareType: 'unconditional',
      shareManner: ['api'],
      openType: 'none',
      updateFrequency: 'daily',
      items: [
        { name: '公民身份号码', nameEn: 'citizen_id_number', dataType: 'C', length: 18, required: true, isIdentifier: true },
        { name: '姓名', nameEn: 'name', dataType: 'C', length: 50, required: true },
      ],
    });
    for (const [who, action] of [[editor, 'submit'], [reviewer, 'approve'], [authority, 'publish']] as const) {
      await api('POST', `/catalog/entries/${entry.id}/transitions`, who, { action });
    }
    const code = encodeURIComponent(entry.code);

    // The upload: people 0 … 99,999. The API batches: people from 1,000,000 on, so they never meet.
    const csv = ['citizen_id_number,name', ...Array.from({ length: UPLOAD_ROWS }, (_, i) => `${citizenId(i)},姓名${i}`)].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'people.csv');
    const started = await fetch(`${base}/api/v1/datasets/${code}/uploads?mode=atomic`, { method: 'POST', headers: { cookie: editor }, body: form });
    expect(started.status).toBe(202);
    const { uploadId } = (await started.json()) as { uploadId: string };
    const upload = { id: uploadId };

    // Batches keep arriving while the upload runs; each acknowledged one is remembered.
    const acknowledged: { batchId: string; accepted: number }[] = [];
    let sending = true;
    const sender = (async () => {
      for (let n = 0; sending; n++) {
        const records = Array.from({ length: API_BATCH }, (_, k) => ({ values: { citizen_id_number: citizenId(1_000_000 + n * API_BATCH + k), name: `批次${n}` } }));
        try {
          const res = await fetch(`${base}/api/v1/datasets/${code}/batches?mode=partial`, {
            method: 'POST',
            headers: { cookie: editor, 'content-type': 'application/json', 'idempotency-key': `crash-${n}` },
            body: JSON.stringify({ records }),
          });
          if (res.status === 200) {
            const body = (await res.json()) as { batchId: string; accepted: number };
            acknowledged.push({ batchId: body.batchId, accepted: body.accepted });
          }
        } catch {
          return; // the server is gone
        }
      }
    })();

    // Kill once the validation pass has read the whole file, while the single write transaction
    // runs. On the embedded database that transaction holds the only connection, so a status
    // request that stops answering after the whole file was read is the sign it is running.
    const deadline = Date.now() + 300_000;
    let rowsRead = 0;
    while (Date.now() < deadline) {
      const res = await fetch(`${base}/api/v1/datasets/${code}/uploads/${upload.id}`, { headers: { cookie: editor }, signal: AbortSignal.timeout(500) }).catch(() => undefined);
      if (!res) {
        if (rowsRead >= UPLOAD_ROWS * 0.9) break;
        continue;
      }
      const seen = (await res.json()) as { status: string; rowsRead: number };
      expect(seen.status).toBe('processing');
      rowsRead = seen.rowsRead;
      if (rowsRead >= UPLOAD_ROWS) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rowsRead).toBeGreaterThanOrEqual(UPLOAD_ROWS * 0.9);
    await new Promise((r) => setTimeout(r, 1500));
    const child = server as ChildProcess;
    child.kill('SIGKILL');
    await stopped(child);
    sending = false;
    await sender;
    expect(acknowledged.length).toBeGreaterThan(0);
    console.log(`killed with ${rowsRead} of ${UPLOAD_ROWS} rows validated and ${acknowledged.length} API batches acknowledged`);

    // Start again on the same database: it must open, recover and finish the story.
    await startServer();
    const editorAgain = await login('editor');
    const after = await api('GET', `/datasets/${code}/uploads/${upload.id}`, editorAgain);
    expect(after.status).toBe('failed');
    expect(after.error?.code).toBe('INTERRUPTED');
    server?.kill('SIGTERM');
    await stopped(server as ChildProcess);

    const database = await openDatabase();
    try {
      const db = database.db;
      const dataset = await db.selectFrom('datasets').select('id').where('entry_id', '=', entry.id).executeTakeFirstOrThrow();
      // Nothing of the atomic upload: no batch, no record version.
      const uploadBatches = await db
        .selectFrom('collection_batches')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('dataset_id', '=', dataset.id)
        .where('idempotency_key', 'like', `upload:${upload.id}:%`)
        .executeTakeFirstOrThrow();
      expect(Number(uploadBatches.n)).toBe(0);
      // Every acknowledged batch is there with all its rows.
      for (const a of acknowledged) {
        const versions = await db.selectFrom('dataset_records').select(sql<number>`count(*)::int`.as('n')).where('batch_id', '=', a.batchId).executeTakeFirstOrThrow();
        expect(Number(versions.n)).toBe(a.accepted);
      }
      const total = await db.selectFrom('dataset_current').select(sql<number>`count(*)::int`.as('n')).where('dataset_id', '=', dataset.id).executeTakeFirstOrThrow();
      const applied = await db
        .selectFrom('collection_batches')
        .select(sql<number>`coalesce(sum(accepted), 0)::int`.as('n'))
        .where('dataset_id', '=', dataset.id)
        .executeTakeFirstOrThrow();
      // Acknowledged or not, every committed batch is whole: the records are exactly what the batches accepted.
      expect(Number(total.n)).toBe(Number(applied.n));
      expect(Number(applied.n)).toBeGreaterThanOrEqual(acknowledged.reduce((s, a) => s + a.accepted, 0));
    } finally {
      await database.close();
    }

    const verify = await runCli(['audit', 'verify']);
    expect(verify.out).toContain('审计链完整');
    expect(verify.code).toBe(0);
  });
});
