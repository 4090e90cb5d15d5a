import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, publishEntry as publishEntryVia, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

let t: TestPlatform;
const as = { editor: '', reviewer: '', authority: '', psbEditor: '' };
let psbName: string; // 户籍登记信息 / 姓名, responsibility of the public security bureau
let civilMarital: string; // 婚姻登记和收养登记信息 / 婚姻状况, responsibility of civil affairs
let people: { id: string; code: string; url: string };

const call = (method: string, url: string, cookie: string, body?: unknown, headers?: Record<string, string>) =>
  t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

function citizenId(seq: number): string {
  const first17 = `44130219900101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

async function basicItemId(category: string, name: string) {
  const row = await t.app.database.db.selectFrom('basic_items').select('id').where('category', '=', category).where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

const publishEntry = (items: unknown[]) => publishEntryVia(t, as, { items });

let keyCounter = 0;
const send = (url: string, records: unknown[], mode: 'atomic' | 'partial' = 'atomic') =>
  call('POST', `${url}/batches?mode=${mode}`, as.editor, { records }, { 'idempotency-key': `one-source-${keyCounter++}` });

beforeAll(async () => {
  t = await startTestPlatform();
  as.editor = await t.login('editor');
  as.reviewer = await t.login('reviewer');
  as.authority = await t.login('authority');
  psbName = await basicItemId('户籍登记信息', '姓名');
  civilMarital = await basicItemId('婚姻登记和收养登记信息', '婚姻状况');
  people = await publishEntry([
    { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
    { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, basicItemId: psbName },
    { name: '婚姻状况', nameEn: 'maritalStatus', dataType: 'C', length: 4, basicItemId: civilMarital },
  ]);
});
afterAll(async () => {
  await t.close();
});

describe('one data, one source (一数一源)', () => {
  it("refuses another department's write of a basic data item with 422 naming the responsible department, writing nothing", async () => {
    const res = await send(people.url, [{ values: { citizenId: citizenId(1), maritalStatus: '已婚' } }, { values: { citizenId: citizenId(2), name: '张三' } }], 'partial');
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('COLLECTION_NOT_SOURCE');
    expect(body.detail).toContain(DEMO.psb);
    expect(body.detail).toContain('姓名');
    expect(body.detail).toMatch(/One data, one source/);
    expect(body.detail).toContain(people.code);
    expect(body.errors).toEqual([expect.objectContaining({ field: 'name', rule: 'one_source' })]);
    const db = t.app.database.db;
    // Nothing of this entry's dataset (the demo city has collected records of its own elsewhere).
    const ofEntry = db.selectFrom('datasets').select('id').where('entry_id', '=', people.id);
    expect(await db.selectFrom('collection_batches').select('id').where('dataset_id', 'in', ofEntry).execute()).toEqual([]);
    expect(await db.selectFrom('dataset_records').select('record_key').where('dataset_id', 'in', ofEntry).execute()).toEqual([]);
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'collection.write_refused').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.outcome).toBe('denied');
    expect(JSON.stringify(audit[0]?.details)).toContain('COLLECTION_NOT_SOURCE');
    expect(JSON.stringify(audit[0]?.details)).not.toContain(citizenId(2));
  });

  it('accepts the items the department is responsible for, and empty values of the others', async () => {
    const res = await send(people.url, [{ values: { citizenId: citizenId(3), maritalStatus: '已婚', name: '' } }, { values: { citizenId: citizenId(4), name: null } }]);
    expect((await ok(res)).accepted).toBe(2);
  });

  it('accepts the write of the responsible department once the item is reassigned to it', async () => {
    const civil = await t.departmentId(DEMO.civil);
    await ok(await call('POST', `/catalog/basic-items/${psbName}/reassign`, as.authority, { departmentId: civil, reason: '测试' }));
    try {
      expect((await ok(await send(people.url, [{ values: { citizenId: citizenId(5), name: '李四' } }]))).accepted).toBe(1);
    } finally {
      await ok(await call('POST', `/catalog/basic-items/${psbName}/reassign`, as.authority, { departmentId: await t.departmentId(DEMO.psb), reason: '复原' }));
    }
  });

  it('ends an upload carrying such values as rejected with the same message', async () => {
    const file = Buffer.from(`citizenId,name\r\n${citizenId(6)},王五\r\n`, 'utf8');
    const boundary = '----huitongonesource';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const mode of ['atomic', 'partial'] as const) {
      const res = await t.call({ method: 'POST', url: `/api/v1${people.url}/uploads?mode=${mode}`, cookie: as.editor, body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
      const { uploadId } = await ok(res, 202);
      const deadline = Date.now() + 30_000;
      let u = await ok(await call('GET', `${people.url}/uploads/${uploadId}`, as.editor));
      while (['receiving', 'processing'].includes(u.status) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        u = await ok(await call('GET', `${people.url}/uploads/${uploadId}`, as.editor));
      }
      expect(u.status, mode).toBe('rejected');
      expect(u.error.code).toBe('COLLECTION_NOT_SOURCE');
      expect(u.error.message).toContain(DEMO.psb);
      expect(u.accepted).toBe(0);
    }
    const refused = await t.app.database.db.selectFrom('audit_log').select('target_type').where('action', '=', 'collection.write_refused').where('target_type', '=', 'upload').execute();
    expect(refused).toHaveLength(2);
  });

  it('refuses to submit an entry whose data item names an unknown basic data item', async () => {
    const created = await ok(
      await call('POST', '/catalog/entries', as.editor, entryFields({ items: [{ name: '姓名', nameEn: 'name', dataType: 'C', length: 10, basicItemId: '01900000-0000-7000-8000-000000000001' }] })),
      201,
    );
    const res = await call('POST', `/catalog/entries/${created.id}/transitions`, as.editor, { action: 'submit' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'items[0].basicItemId', rule: 'exists' })]);
    const malformed = await call('POST', '/catalog/entries', as.editor, entryFields({ items: [{ name: '姓名', nameEn: 'name', dataType: 'C', length: 10, basicItemId: 'x' }] }));
    expect(malformed.statusCode).toBe(422);
  });
});
