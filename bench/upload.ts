/**
 * File import benchmark (`npm run bench:upload`): a CSV of BENCH_UPLOAD_ROWS (default 1,000,000)
 * people with citizen ID numbers, streamed over HTTP to a listening server and imported in
 * partial mode, as a provider's upload is. Prints the peak resident memory of the process
 * against its resident memory just before the upload (the baseline of this run), and the import
 * rate against reading the same file alone with the shared reader. On the embedded database the
 * process also holds PostgreSQL itself (about 400 MB of WebAssembly memory, whatever the data);
 * BENCH_DATABASE_URL=postgres://… runs it against a server, where the process is the platform alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createPlatform } from '../src/app.js';
import { parseConfig } from '../src/platform/config.js';
import { type Database, openPGlite, openPostgres } from '../src/platform/db/index.js';
import { readTable } from '../src/platform/files/index.js';
import { citizenIdCheckChar } from '../src/platform/validators/index.js';

const ROWS = Number(process.env.BENCH_UPLOAD_ROWS ?? 1_000_000);
const PASSWORD = 'Huitong@2026';
const work = path.resolve('.tmp/bench-upload');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(work, { recursive: true });

/** A valid citizen ID number for person i (distinct below 10,000,000). */
function citizenId(i: number): string {
  const first17 = `44130219${String(50 + Math.floor(i / 336_000)).padStart(2, '0')}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (Math.floor(i / 12) % 28)).padStart(2, '0')}${String(Math.floor(i / 336) % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

// The file, written in pieces so that making it does not weigh on the figures.
const csvFile = path.join(work, 'people.csv');
{
  const out = fs.openSync(csvFile, 'w');
  fs.writeSync(out, 'citizen_id_number,name,status\n');
  for (let from = 0; from < ROWS; from += 10_000) {
    const lines: string[] = [];
    for (let i = from; i < Math.min(ROWS, from + 10_000); i++) lines.push(`${citizenId(i)},姓名${i},${i % 2 ? '正常' : '注销'}`);
    fs.writeSync(out, `${lines.join('\n')}\n`);
  }
  fs.closeSync(out);
}
const fileBytes = fs.statSync(csvFile).size;

const config = parseConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', HUITONG_DATA_DIR: path.join(work, 'data'), HUITONG_WEB_DIR: path.join(work, 'no-web'), HUITONG_LOGIN_RATE_PER_MINUTE: '100000' });
async function openDatabase(): Promise<{ database: Database; label: string }> {
  const server = process.env.BENCH_DATABASE_URL;
  if (!server) {
    // On disk, as `npm start` runs it: an in-memory database would count the data itself as memory.
    return { database: await openPGlite({ dataDir: path.join(work, 'data') }), label: 'embedded PGlite' };
  }
  const url = new URL(server);
  const admin = await openPostgres(url.toString(), 1);
  await admin.exec('DROP DATABASE IF EXISTS huitong_bench_upload');
  await admin.exec('CREATE DATABASE huitong_bench_upload');
  await admin.close();
  url.pathname = '/huitong_bench_upload';
  return { database: await openPostgres(url.toString(), 4), label: 'PostgreSQL server' };
}
const { database, label } = await openDatabase();
const platform = await createPlatform({ config, database, seedDemo: true });
await platform.server.listen({ port: 0, host: '127.0.0.1' });
const { port } = platform.server.server.address() as { port: number };
const base = `http://127.0.0.1:${port}/api/v1`;

async function call<T>(method: string, url: string, cookie: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
  return (await res.json()) as T;
}
async function login(username: string) {
  const res = await fetch(`${base}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
  return (res.headers.getSetCookie().find((c) => c.startsWith('ht_session=')) as string).split(';')[0] as string;
}
const [editor, reviewer, authority] = [await login('editor'), await login('reviewer'), await login('authority')];
const entry = await call<{ id: string; code: string }>('POST', '/catalog/entries', editor, {
  name: `基准测试文件导入${Date.now()}`, summary: '基准测试', classification: 'departmental', classCode: '399002', formatCategory: 'database',
  shareType: 'unconditional', shareManner: ['api'], openType: 'none', updateFrequency: 'daily',
  items: [
    { name: '公民身份号码', nameEn: 'citizen_id_number', dataType: 'C', length: 18, required: true, isIdentifier: true },
    { name: '姓名', nameEn: 'name', dataType: 'C', length: 50, required: true },
    { name: '状态', nameEn: 'status', dataType: 'C', length: 2, codeList: '正常/注销', required: true },
  ],
});
for (const [who, action] of [[editor, 'submit'], [reviewer, 'approve'], [authority, 'publish']] as const) {
  await call('POST', `/catalog/entries/${entry.id}/transitions`, who, { action });
}
const code = encodeURIComponent(entry.code);

// Baseline: the same file through the shared reader alone, nothing written.
let t = performance.now();
const { rows } = await readTable(fs.createReadStream(csvFile), { format: 'csv' });
let read = 0;
for await (const _ of rows) read++;
const readMs = performance.now() - t;

global.gc?.();
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);

// The upload, streamed as multipart/form-data: the file is never held in memory whole.
const boundary = `----huitong-bench-${Date.now()}`;
async function* multipart() {
  yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n`);
  for await (const chunk of fs.createReadStream(csvFile)) yield chunk as Buffer;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}
t = performance.now();
const started = await fetch(`${base}/datasets/${code}/uploads?mode=partial`, {
  method: 'POST',
  headers: { cookie: editor, 'content-type': `multipart/form-data; boundary=${boundary}` },
  body: Readable.from(multipart()) as unknown as RequestInit['body'],
  duplex: 'half',
} as RequestInit);
if (started.status !== 202) throw new Error(`upload: ${started.status} ${await started.text()}`);
const { uploadId } = (await started.json()) as { uploadId: string };
let last: { status: string; rowsRead: number; accepted: number; rejected: number } | undefined;
for (;;) {
  last = await call<typeof last>('GET', `/datasets/${code}/uploads/${uploadId}`, editor);
  if (last && last.status !== 'processing' && last.status !== 'receiving') break;
  await new Promise((r) => setTimeout(r, 500));
}
const uploadMs = performance.now() - t;
clearInterval(sampler);

const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
console.log(`\nImport of a ${ROWS.toLocaleString('en')}-row CSV (${mb(fileBytes)} MB) with citizen ID numbers, partial mode, ${label}`);
console.log(`  upload → ${last?.status}: ${last?.accepted} accepted, ${last?.rejected} rejected in ${(uploadMs / 1000).toFixed(1)} s (${(ROWS / (uploadMs / 1000)).toFixed(0)} rows/s)`);
console.log(`  reading the file alone (baseline)     ${(read / (readMs / 1000)).toFixed(0)} rows/s; import = ${((readMs / uploadMs) * 100).toFixed(1)} % of it`);
console.log(`  peak RSS ${mb(peak)} MB; before the upload ${mb(rssBefore)} MB (+${mb(peak - rssBefore)} MB)`);
await platform.close();
fs.rmSync(work, { recursive: true, force: true });
