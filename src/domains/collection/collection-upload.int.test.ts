import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFields, publishEntry as publishEntryVia, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

let t: TestPlatform;
const as = { editor: '', reviewer: '', authority: '', psbEditor: '' };

beforeAll(async () => {
  t = await startTestPlatform();
  for (const [k, username] of Object.entries({ editor: 'editor', reviewer: 'reviewer', authority: 'authority', psbEditor: 'psb.editor' })) {
    as[k as keyof typeof as] = await t.login(username);
  }
});
afterAll(async () => {
  await t.close();
});

const call = (method: string, url: string, cookie: string, body?: unknown, headers?: Record<string, string>) =>
  t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

/** A valid citizen ID number: a birth date some days after 1990-01-01 and a sequence number. */
function citizenId(seq: number): string {
  const day = new Date(Date.UTC(1990, 0, 1 + Math.floor(seq / 1000)));
  const first17 = `441302${day.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '子女数', nameEn: 'children', dataType: 'I', length: 2 },
];

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

const publishEntry = () => publishEntryVia(t, as, { items: ITEMS });

/** A multipart/form-data body with one file part. */
function multipart(bytes: Buffer, filename: string) {
  const boundary = `----huitong${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(url: string, bytes: Buffer, filename: string, opts: { mode?: 'atomic' | 'partial'; cookie?: string } = {}) {
  const { body, headers } = multipart(bytes, filename);
  return t.call({ method: 'POST', url: `/api/v1${url}/uploads?mode=${opts.mode ?? 'atomic'}`, cookie: opts.cookie ?? as.editor, body, headers });
}

/** Polls the progress endpoint (the job runs in this process) until the upload has ended. */
async function waitForEnd(url: string, uploadId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const u = await ok(await call('GET', `${url}/uploads/${uploadId}`, as.editor));
    if (!['receiving', 'processing'].includes(u.status)) return u;
    if (Date.now() > deadline) throw new Error(`upload ${uploadId} still ${u.status}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Uploads a file and waits for the end of its processing. */
async function uploadAndWait(url: string, bytes: Buffer, filename: string, opts: { mode?: 'atomic' | 'partial' } = {}) {
  const { uploadId } = await ok(await upload(url, bytes, filename, opts), 202);
  return waitForEnd(url, uploadId);
}

async function recordCount(code: string) {
  const list = await ok(await call('GET', '/datasets', as.editor));
  return list.items.find((d: { code: string }) => d.code === code)?.recordCount ?? 0;
}

const csv = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('file uploads into a dataset', () => {
  it('imports a UTF-8 CSV with Chinese column names and reaches done', async () => {
    const ds = await publishEntry();
    const u = await uploadAndWait(ds.url, csv(['公民身份号码,姓名,子女数', `${citizenId(1)},张三,2`, `${citizenId(2)},李四,`]), 'people.csv');
    expect(u).toMatchObject({ status: 'done', rowsRead: 2, accepted: 2, rejected: 0, error: null, format: 'csv', mode: 'atomic' });
    expect(u.finishedAt).not.toBeNull();
    expect(await recordCount(ds.code)).toBe(2);
  });

  it('imports a GBK CSV, detected', async () => {
    const ds = await publishEntry();
    // 张三 = D5 C5 C8 FD, 中文 = D6 D0 CE C4 in GBK.
    const bytes = Buffer.concat([
      Buffer.from('citizenId,name\r\n', 'ascii'),
      Buffer.from(`${citizenId(3)},`, 'ascii'),
      Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]),
      Buffer.from(`\r\n${citizenId(4)},`, 'ascii'),
      Buffer.from([0xd6, 0xd0, 0xce, 0xc4]),
      Buffer.from('\r\n', 'ascii'),
    ]);
    const u = await uploadAndWait(ds.url, bytes, 'gbk.csv');
    expect(u).toMatchObject({ status: 'done', accepted: 2 });
    const names = await t.app.database.db
      .selectFrom('dataset_records as r')
      .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
      .select('r.raw')
      .where('d.code', '=', ds.code)
      .execute();
    expect(names.map((n) => (typeof n.raw === 'string' ? JSON.parse(n.raw) : n.raw).name).sort()).toEqual(['中文', '张三'].sort());
  });

  it('imports an xlsx workbook', async () => {
    const ds = await publishEntry();
    const u = await uploadAndWait(ds.url, await xlsxOf([['citizenId', '姓名', 'children'], [citizenId(5), '王五', 1]]), 'people.xlsx', { mode: 'partial' });
    expect(u).toMatchObject({ status: 'done', rowsRead: 1, accepted: 1, rejected: 0 });
    expect(await recordCount(ds.code)).toBe(1);
  });

  it('applies the good rows of a partial upload and offers an xlsx report of the bad ones, identifiers masked', async () => {
    const ds = await publishEntry();
    const bad = citizenId(7).slice(0, 17) + (citizenId(7).endsWith('1') ? '2' : '1');
    const u = await uploadAndWait(ds.url, csv(['citizenId,name,children', `${citizenId(6)},赵六,1`, `${bad},钱七,1`, `${citizenId(8)},,abc`]), 'mixed.csv', { mode: 'partial' });
    expect(u).toMatchObject({ status: 'done', rowsRead: 3, accepted: 1, rejected: 2 });
    expect(await recordCount(ds.code)).toBe(1);

    const res = await call('GET', `${ds.url}/uploads/${u.id}/errors.xlsx`, as.editor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const rows = (ws?.getSheetValues() ?? []).filter(Boolean) as unknown[][];
    expect(rows[0]?.slice(1)).toEqual(['citizenId', 'name', 'children', '行号', '错误字段', '错误原因']);
    expect(rows).toHaveLength(3);
    expect(rows[1]?.[4]).toBe(3);
    expect(String(rows[1]?.[1])).not.toBe(bad); // masked, never the raw number
    expect(String(rows[1]?.[5])).toContain('citizenId');
    expect(rows[2]?.[4]).toBe(4);
    expect(String(rows[2]?.[6])).toMatch(/required/);
    expect(String(rows[2]?.[6])).toMatch(/number/);
    const stored = JSON.stringify(await t.app.database.db.selectFrom('collection_upload_errors').selectAll().where('upload_id', '=', u.id).execute());
    expect(stored).not.toContain(bad);
  });

  it('writes nothing for an atomic upload with a bad row and reports every error', async () => {
    const ds = await publishEntry();
    const u = await uploadAndWait(ds.url, csv(['citizenId,name', `${citizenId(9)},甲`, `${citizenId(10)},`, `${citizenId(9)},乙`]), 'atomic.csv');
    expect(u).toMatchObject({ status: 'rejected', rowsRead: 3, accepted: 0, rejected: 2 });
    expect(u.error.code).toBe('COLLECTION_BATCH_INVALID');
    expect(await recordCount(ds.code)).toBe(0);
  });

  it('rejects an upload with an unknown column', async () => {
    const ds = await publishEntry();
    const u = await uploadAndWait(ds.url, csv(['citizenId,name,shoeSize', `${citizenId(11)},甲,42`]), 'unknown.csv', { mode: 'partial' });
    expect(u).toMatchObject({ status: 'rejected', accepted: 0 });
    expect(u.error.code).toBe('COLLECTION_UPLOAD_COLUMNS');
    expect(u.error.message).toContain('shoeSize');
    expect(await recordCount(ds.code)).toBe(0);
  });

  it('rejects a truncated xlsx with a clear error and no 500', async () => {
    const ds = await publishEntry();
    const whole = await xlsxOf([['citizenId', 'name'], [citizenId(12), '甲']]);
    const u = await uploadAndWait(ds.url, whole.subarray(0, Math.floor(whole.length / 2)), 'cut.xlsx');
    expect(u.status).toBe('rejected');
    expect(u.error.code).toBe('FILE_FORMAT_INVALID');
    expect(u.error.message).toMatch(/xlsx/);
  });

  it('refuses another department with 403', async () => {
    const ds = await publishEntry();
    const res = await upload(ds.url, csv(['citizenId,name', `${citizenId(13)},甲`]), 'x.csv', { cookie: as.psbEditor });
    expect(res.statusCode).toBe(403);
    expect((await call('GET', `${ds.url}/uploads`, as.psbEditor)).statusCode).toBe(403);
  });

  it('lists uploads and audits receipt and end', async () => {
    const ds = await publishEntry();
    const u = await uploadAndWait(ds.url, csv(['citizenId,name', `${citizenId(14)},甲`]), 'one.csv');
    const list = await ok(await call('GET', `${ds.url}/uploads`, as.editor));
    expect(list.items.map((i: { id: string }) => i.id)).toContain(u.id);
    const actions = await t.app.database.db.selectFrom('audit_log').select('action').where('action', 'in', ['collection.upload_received', 'collection.upload_finished']).execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(new Set(['collection.upload_received', 'collection.upload_finished']));
  });

  it('marks uploads cut off by a restart as failed', async () => {
    const ds = await publishEntry();
    const u = await uploadAndWait(ds.url, csv(['citizenId,name', `${citizenId(15)},甲`]), 'one.csv');
    await t.app.database.db.updateTable('collection_uploads').set({ status: 'processing', finished_at: null }).where('id', '=', u.id).execute();
    const { failInterruptedUploads } = await import('./index.js');
    expect(await failInterruptedUploads(t.app)).toBe(1);
    const after = await ok(await call('GET', `${ds.url}/uploads/${u.id}`, as.editor));
    expect(after.status).toBe('failed');
    expect(after.error.message).toContain('interrupted by a restart');
  });

  it('imports a 20,000-row CSV', async () => {
    const ds = await publishEntry();
    const lines = ['citizenId,name,children'];
    for (let i = 0; i < 20_000; i++) lines.push(`${citizenId(100_000 + i)},名${i % 1000},${i % 10}`);
    const started = Date.now();
    const u = await uploadAndWait(ds.url, csv(lines), 'big.csv', { mode: 'partial' });
    const seconds = (Date.now() - started) / 1000;
    console.log(`20,000-row CSV upload: ${seconds.toFixed(1)} s, ${Math.round(20_000 / seconds)} rows/s (${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`);
    expect(u).toMatchObject({ status: 'done', rowsRead: 20_000, accepted: 20_000, rejected: 0 });
    expect(await recordCount(ds.code)).toBe(20_000);
  }, 120_000);
});

describe('file uploads over the size limit', () => {
  let small: TestPlatform;
  beforeAll(async () => {
    // The workbook limit is lower still: a data upload is held to its own limit only.
    small = await startTestPlatform({ config: { HUITONG_XLSX_MAX_BYTES: '1024', HUITONG_UPLOAD_MAX_BYTES: '4096' } });
  });
  afterAll(async () => {
    await small.close();
  });

  it('refuses a file larger than HUITONG_UPLOAD_MAX_BYTES with 413 and records the upload as rejected', async () => {
    const cookie = await small.login('editor');
    const created = await small.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie, body: entryFields({ items: ITEMS }) });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    for (const [who, action] of [
      ['editor', 'submit'],
      ['reviewer', 'approve'],
      ['authority', 'publish'],
    ] as const) {
      const res = await small.call({ method: 'POST', url: `/api/v1/catalog/entries/${id}/transitions`, cookie: await small.login(who), body: { action } });
      expect(res.statusCode, res.body).toBe(200);
    }
    const code = (await small.call({ method: 'GET', url: `/api/v1/catalog/entries/${id}`, cookie })).json().code as string;
    const lines = ['citizenId,name'];
    for (let i = 0; i < 200; i++) lines.push(`${citizenId(i)},甲`);
    const { body, headers } = multipart(csv(lines), 'big.csv');
    const res = await small.call({ method: 'POST', url: `/api/v1/datasets/${encodeURIComponent(code)}/uploads`, cookie, body, headers });
    expect(res.statusCode, res.body).toBe(413);
    const rows = await small.app.database.db.selectFrom('collection_uploads').select(['status']).execute();
    expect(rows.map((r) => r.status)).toEqual(['rejected']);

    const { body: fits, headers: fitsHeaders } = multipart(csv(lines.slice(0, 100)), 'fits.csv'); // ~2 KB: over the workbook limit, under the upload one
    expect(fits.length).toBeGreaterThan(1024);
    const accepted = await small.call({ method: 'POST', url: `/api/v1/datasets/${encodeURIComponent(code)}/uploads`, cookie, body: fits, headers: fitsHeaders });
    expect(accepted.statusCode, accepted.body).toBe(202);
    const uploadId = accepted.json().uploadId as string;
    for (let i = 0; i < 500; i++) {
      const u = (await small.call({ method: 'GET', url: `/api/v1/datasets/${encodeURIComponent(code)}/uploads/${uploadId}`, cookie })).json();
      if (u.status === 'done') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const done = (await small.call({ method: 'GET', url: `/api/v1/datasets/${encodeURIComponent(code)}/uploads/${uploadId}`, cookie })).json();
    expect(done).toMatchObject({ status: 'done', accepted: 99 });
  });
});
