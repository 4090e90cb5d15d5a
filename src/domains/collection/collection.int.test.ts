import { sql } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFields, publishEntry as publishEntryVia, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { citizenIdCheckChar, usccCheckChar } from '../../platform/validators/index.js';

let t: TestPlatform;
const as = { editor: '', reviewer: '', deptadmin: '', authority: '', psbEditor: '' };

beforeAll(async () => {
  t = await startTestPlatform();
  for (const [k, username] of Object.entries({ editor: 'editor', reviewer: 'reviewer', deptadmin: 'deptadmin', authority: 'authority', psbEditor: 'psb.editor' })) {
    as[k as keyof typeof as] = await t.login(username);
  }
});
afterAll(async () => {
  await t.close();
});

const call = (method: string, url: string, cookie: string, body?: unknown, headers?: Record<string, string>) =>
  t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}), ...(headers ? { headers } : {}) });

/** A valid citizen ID number born on the date, with a sequence number; check character computed. */
function citizenId(seq: number, birth = '19900101'): string {
  const first17 = `441302${birth}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}
/** A valid unified social credit code. */
function uscc(seq: number): string {
  const org = String(10000000 + seq).slice(-8);
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...org].reduce((s, ch, i) => s + Number(ch) * (weights[i] as number), 0);
  const c = 11 - (sum % 11);
  const first17 = `12441300${org}${c === 10 ? 'X' : c === 11 ? '0' : String(c)}`;
  return first17 + usccCheckChar(first17);
}

const PERSON_ITEMS = [
  { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
  { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  { name: '出生日期', nameEn: 'birthDate', dataType: 'D' },
  { name: '婚姻状况', nameEn: 'maritalStatus', dataType: 'C', length: 4, codeList: '已婚/离婚/丧偶' },
  { name: '子女数', nameEn: 'children', dataType: 'I', length: 2 },
  { name: '补助金额', nameEn: 'amount', dataType: 'Y', length: 8 },
  { name: '是否有效', nameEn: 'active', dataType: 'L' },
  { name: '登记时间', nameEn: 'registeredAt', dataType: 'T' },
  { name: '性别', nameEn: 'sex', dataType: 'C', length: 1, codeList: 'GB/T 2261.1 性别代码' },
];

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

const publishEntry = (items: unknown[], overrides: Record<string, unknown> = {}) => publishEntryVia(t, as, { items, ...overrides });

let keyCounter = 0;
const newKey = () => `k-${Date.now()}-${keyCounter++}`;

/** Sends a batch; mode atomic unless given. */
function send(url: string, records: unknown[], opts: { mode?: 'atomic' | 'partial'; key?: string; cookie?: string } = {}) {
  return call('POST', `${url}/batches${opts.mode ? `?mode=${opts.mode}` : ''}`, opts.cookie ?? as.editor, { records }, { 'idempotency-key': opts.key ?? newKey() });
}

const person = (seq: number, extra: Record<string, unknown> = {}) => ({ values: { citizenId: citizenId(seq), name: `张${seq}`, ...extra } });

async function datasetRow(code: string) {
  const list = await ok(await call('GET', '/datasets', as.editor));
  return list.items.find((d: { code: string }) => d.code === code);
}

function versionsOf(code: string, key: string) {
  return t.app.database.db
    .selectFrom('dataset_records as r')
    .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
    .select(['r.version', 'r.deleted', 'r.schema_version', 'r.raw', 'r.normalised'])
    .where('d.code', '=', code)
    .where('r.record_key', '=', key)
    .orderBy('r.version')
    .execute();
}

async function tokenOf(code: string, seq: number): Promise<string> {
  const rows = await t.app.database.db
    .selectFrom('dataset_records as r')
    .innerJoin('datasets as d', 'd.id', 'r.dataset_id')
    .select(['r.record_key', 'r.normalised'])
    .where('d.code', '=', code)
    .execute();
  const name = `张${seq}`;
  const row = rows.find((r) => (typeof r.normalised === 'string' ? JSON.parse(r.normalised) : r.normalised).name === name);
  if (!row) throw new Error(`no record for ${name}`);
  return row.record_key;
}

let people: Awaited<ReturnType<typeof publishEntry>>;
let declared: Awaited<ReturnType<typeof publishEntry>>;
let companies: Awaited<ReturnType<typeof publishEntry>>;

beforeAll(async () => {
  people = await publishEntry(PERSON_ITEMS);
  declared = await publishEntry([
    { name: '事项编号', nameEn: 'itemNo', dataType: 'C', length: 20, required: true },
    { name: '状态', nameEn: 'status', dataType: 'C', length: 4, codeList: '正常/注销', required: true },
  ]);
  companies = await publishEntry([
    { name: '统一社会信用代码', nameEn: 'uscc', dataType: 'C', length: 18, required: true, isIdentifier: true },
    { name: '名称', nameEn: 'name', dataType: 'C', length: 200, required: true },
  ]);
});

describe('atomic and partial batches', () => {
  it('applies a good atomic batch, keys records by subject token and counts them', async () => {
    const body = await ok(await send(people.url, [person(1, { birthDate: '1990/01/01', active: '是', amount: '1200.50' }), person(2)]));
    expect(body).toMatchObject({ status: 'applied', received: 2, accepted: 2, rejected: 0, errors: [], schemaVersion: 1 });
    const token = await tokenOf(people.code, 1);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const [v1] = await versionsOf(people.code, token);
    const raw = typeof v1?.raw === 'string' ? JSON.parse(v1.raw) : v1?.raw;
    const normalised = typeof v1?.normalised === 'string' ? JSON.parse(v1.normalised) : v1?.normalised;
    expect(raw).toEqual({ citizenId: token, name: '张1', birthDate: '1990/01/01', active: '是', amount: '1200.50' });
    expect(normalised).toMatchObject({ citizenId: token, birthDate: '1990-01-01', active: true, amount: 1200.5 });
    expect(await datasetRow(people.code)).toMatchObject({ recordCount: 2, schemaVersion: 1, keyKind: 'subject' });
  });

  it('rejects a whole atomic batch with any bad row, with every row error, and applies nothing', async () => {
    const before = (await datasetRow(people.code)).recordCount;
    const res = await send(people.url, [person(3), { values: { citizenId: citizenId(4), name: '' } }, person(5, { children: 'x' })]);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('COLLECTION_BATCH_INVALID');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { row: 1, field: 'name', rule: 'required', message: expect.any(String) },
        { row: 2, field: 'children', rule: 'type', message: expect.any(String) },
      ]),
    );
    expect((await datasetRow(people.code)).recordCount).toBe(before);
    const batches = await ok(await call('GET', `${people.url}/batches`, as.editor));
    expect(batches.items[0]).toMatchObject({ status: 'rejected', received: 3, accepted: 0, rejected: 3 });
  });

  it('applies the good rows of a partial batch and quarantines the bad ones with reasons, identifiers masked', async () => {
    const bad = `${citizenId(7).slice(0, 17)}${citizenId(7).endsWith('1') ? '2' : '1'}`;
    const res = await send(people.url, [person(6), { values: { citizenId: bad, name: '李' } }, person(8, { maritalStatus: '未婚' })], { mode: 'partial' });
    const body = await ok(res, 207);
    expect(body).toMatchObject({ status: 'partial', received: 3, accepted: 1, rejected: 2 });
    expect(body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 1, field: 'citizenId', rule: 'check_char' }), expect.objectContaining({ row: 2, field: 'maritalStatus', rule: 'code_list' })]),
    );
    expect(res.body).not.toContain(bad);
    const q = await ok(await call('GET', `${people.url}/quarantine?status=open`, as.editor));
    const rows = q.items.filter((i: { batchId: string }) => i.batchId === body.batchId);
    expect(rows).toHaveLength(2);
    const row1 = rows.find((r: { row: number }) => r.row === 1);
    expect(row1.raw.values.citizenId).toMatch(/\*{6,}/);
    expect(JSON.stringify(q)).not.toContain(bad);
    expect(JSON.stringify(q)).not.toContain(citizenId(8));
  });

  it('closes a quarantined row once a later batch writes its key', async () => {
    const first = await ok(await send(people.url, [person(9, { children: 123 })], { mode: 'partial' }), 207);
    await ok(await send(people.url, [person(9, { children: 3 })]));
    const q = await ok(await call('GET', `${people.url}/quarantine`, as.editor));
    expect(q.items.find((i: { batchId: string }) => i.batchId === first.batchId)).toMatchObject({ status: 'resubmitted' });
  });
});

describe('idempotency', () => {
  it('applies a batch sent twice with the same Idempotency-Key once and replays the answer', async () => {
    const key = newKey();
    const first = await ok(await send(people.url, [person(20)], { key }));
    const again = await send(people.url, [person(20)], { key });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first);
    const batches = await ok(await call('GET', `${people.url}/batches?pageSize=200`, as.editor));
    expect(batches.items.filter((b: { idempotencyKey: string }) => b.idempotencyKey === key)).toHaveLength(1);
    expect(await versionsOf(people.code, await tokenOf(people.code, 20))).toHaveLength(1);
  });

  it('refuses a different body under a used Idempotency-Key with 409', async () => {
    const key = newKey();
    await ok(await send(people.url, [person(21)], { key }));
    const res = await send(people.url, [person(22)], { key });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('COLLECTION_IDEMPOTENCY_CONFLICT');
  });

  it('replays a rejected atomic batch as the same 422', async () => {
    const key = newKey();
    const a = await send(people.url, [{ values: { name: 'x' } }], { key });
    const b = await send(people.url, [{ values: { name: 'x' } }], { key });
    expect(a.statusCode).toBe(422);
    expect(b.statusCode).toBe(422);
    expect(b.json().errors).toEqual(a.json().errors);
  });

  it('applies two concurrent sends of one batch once', async () => {
    const key = newKey();
    const [a, b] = await Promise.all([send(people.url, [person(24)], { key }), send(people.url, [person(24)], { key })]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect([a.headers['idempotent-replayed'], b.headers['idempotent-replayed']].filter(Boolean)).toHaveLength(1);
    expect(await versionsOf(people.code, await tokenOf(people.code, 24))).toHaveLength(1);
  });

  it('requires an Idempotency-Key header', async () => {
    const res = await call('POST', `${people.url}/batches`, as.editor, { records: [person(23)] });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toMatch(/idempotency-key/);
  });
});

describe('history and tombstones', () => {
  it('keeps every change as a version, writes none for an unchanged resubmission, and deletes by tombstone', async () => {
    await ok(await send(people.url, [person(30, { children: 1 })]));
    const token = await tokenOf(people.code, 30);
    const same = await ok(await send(people.url, [person(30, { children: 1 })]));
    expect(same).toMatchObject({ accepted: 1, unchanged: 1 });
    expect(await versionsOf(people.code, token)).toHaveLength(1);
    // The same number typed with spaces is the same subject and the same values: still no new version.
    const spaced = await ok(await send(people.url, [{ values: { citizenId: ` ${citizenId(30)} `, name: '张30', children: 1 } }]));
    expect(spaced.unchanged).toBe(1);
    expect(await versionsOf(people.code, token)).toHaveLength(1);
    await ok(await send(people.url, [person(30, { children: 2 })]));
    const count = (await datasetRow(people.code)).recordCount;
    await ok(await send(people.url, [{ values: { citizenId: citizenId(30) }, deleted: true }]));
    const versions = await versionsOf(people.code, token);
    expect(versions.map((v) => [v.version, v.deleted])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect((await datasetRow(people.code)).recordCount).toBe(count - 1);
    const again = await ok(await send(people.url, [{ values: { citizenId: citizenId(30) }, deleted: true }]));
    expect(again.unchanged).toBe(1);
    expect(await versionsOf(people.code, token)).toHaveLength(3);
  });

  it('records who wrote each version and in which batch', async () => {
    const body = await ok(await send(people.url, [person(31)], { cookie: as.deptadmin }));
    const row = await t.app.database.db.selectFrom('dataset_records').select(['batch_id', 'written_by']).where('batch_id', '=', body.batchId).executeTakeFirstOrThrow();
    const user = await t.app.database.db.selectFrom('users').select('id').where('username', '=', 'deptadmin').executeTakeFirstOrThrow();
    expect(row.written_by).toBe(user.id);
  });

  it('keys a dataset without an identifier item by the declared key', async () => {
    await ok(await send(declared.url, [{ key: 'A-1', values: { itemNo: 'A-1', status: '正常' } }]));
    await ok(await send(declared.url, [{ key: 'A-1', values: { itemNo: 'A-1', status: '注销' } }]));
    expect(await versionsOf(declared.code, 'A-1')).toHaveLength(2);
    const res = await send(declared.url, [{ values: { itemNo: 'A-2', status: '正常' } }, { key: 'A-3', values: { itemNo: 'A-3', status: '其他' } }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ row: 0, field: 'key', rule: 'required' }), expect.objectContaining({ row: 1, field: 'status', rule: 'code_list' })]),
    );
  });
});

describe('per-row, per-field errors', () => {
  const cases: [string, unknown, string, string][] = [
    ['a wrong check character', { citizenId: `${citizenId(40).slice(0, 17)}${citizenId(40).endsWith('0') ? '1' : '0'}`, name: '甲' }, 'citizenId', 'check_char'],
    ['an impossible birth date in the ID number', { citizenId: (() => { const f = '44130219900230001'; return f + citizenIdCheckChar(f); })(), name: '甲' }, 'citizenId', 'birth_date'],
    ['an ID number of the wrong length', { citizenId: '4413021990', name: '甲' }, 'citizenId', 'length'],
    ['an ID number that is not text', { citizenId: 441302, name: '甲' }, 'citizenId', 'type'],
    ['a missing identifier', { name: '甲' }, 'citizenId', 'required'],
    ['text too long', { citizenId: citizenId(41), name: '一二三四五六七八九十十一' }, 'name', 'length'],
    ['a number for text', { citizenId: citizenId(42), name: 12 }, 'name', 'type'],
    ['an impossible date', { citizenId: citizenId(43), name: '甲', birthDate: '2021-02-29' }, 'birthDate', 'date'],
    ['a date in no accepted format', { citizenId: citizenId(44), name: '甲', birthDate: '01.02.2020' }, 'birthDate', 'date'],
    ['a value outside the code list', { citizenId: citizenId(45), name: '甲', maritalStatus: '未婚' }, 'maritalStatus', 'code_list'],
    ['a fraction for an integer', { citizenId: citizenId(46), name: '甲', children: 1.5 }, 'children', 'type'],
    ['too many digits', { citizenId: citizenId(47), name: '甲', children: 100 }, 'children', 'length'],
    ['text for money', { citizenId: citizenId(48), name: '甲', amount: 'abc' }, 'amount', 'type'],
    ['a word that is not a logical value', { citizenId: citizenId(49), name: '甲', active: 'maybe' }, 'active', 'type'],
    ['a date-time that is not ISO', { citizenId: citizenId(50), name: '甲', registeredAt: 'yesterday' }, 'registeredAt', 'date_time'],
    ['an unknown item', { citizenId: citizenId(51), name: '甲', nickname: 'x' }, 'nickname', 'unknown_field'],
    ['a missing required item', { citizenId: citizenId(52) }, 'name', 'required'],
  ];
  for (const [what, values, field, rule] of cases) {
    it(`reports ${what} on its row and field`, async () => {
      const res = await send(people.url, [person(60), { values }]);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors).toEqual([expect.objectContaining({ row: 1, field, rule, message: expect.any(String) })]);
      const id = (values as { citizenId?: unknown }).citizenId;
      if (typeof id === 'string') expect(res.body).not.toContain(id);
    });
  }

  it('reports a duplicate key within a batch on the later row', async () => {
    const res = await send(people.url, [person(61), person(62), { values: { citizenId: citizenId(61).toLowerCase(), name: '重' } }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ row: 2, field: 'citizenId', rule: 'duplicate_key' })]);
  });

  it('reports a malformed record as a row error, not a failed request', async () => {
    const res = await send(people.url, [person(63), 'nonsense', { values: 5 }, { values: {}, extra: 1 }], { mode: 'partial' });
    const body = await ok(res, 207);
    expect(body.accepted).toBe(1);
    expect(body.errors.map((e: { row: number }) => e.row)).toEqual(expect.arrayContaining([1, 2, 3]));
  });

  it('does not restrict values by a code list that names a standard', async () => {
    await ok(await send(people.url, [person(64, { sex: '1', registeredAt: '2026-01-02 09:30' })]));
  });

  it('checks credit codes of a company dataset', async () => {
    const good = uscc(1);
    await ok(await send(companies.url, [{ values: { uscc: good, name: '某公司' } }]));
    const bad = `${good.slice(0, 17)}${good.endsWith('1') ? '2' : '1'}`;
    const res = await send(companies.url, [{ values: { uscc: bad, name: '某公司' } }]);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ row: 0, field: 'uscc', rule: 'check_char' })]);
  });

  it('refuses more than 10,000 records', async () => {
    const res = await send(declared.url, Array.from({ length: 10_001 }, (_, i) => ({ key: `x${i}`, values: { itemNo: 'x', status: '正常' } })));
    expect(res.statusCode).toBe(422);
  });

  it('accepts a batch of 10,000 records', async () => {
    const res = await send(declared.url, Array.from({ length: 10_000 }, (_, i) => ({ key: `bulk-${i}`, values: { itemNo: `B${i}`, status: '正常' } })));
    expect((await ok(res)).accepted).toBe(10_000);
  }, 60_000);
});

describe('large batches', () => {
  it('applies 10,000 records keyed by citizen ID in one batch', async () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({ values: { citizenId: citizenId(i % 1000, `1980${String(1 + Math.floor(i / 1000)).padStart(2, '0')}15`), name: `批${i}` } }));
    const started = Date.now();
    const body = await ok(await send(people.url, records));
    expect(body).toMatchObject({ accepted: 10_000, rejected: 0 });
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

describe('who may write', () => {
  it('refuses another department with 403 and audits it', async () => {
    const res = await send(people.url, [person(70)], { cookie: as.psbEditor });
    expect(res.statusCode).toBe(403);
    const denied = await t.app.database.db.selectFrom('audit_log').select(['action', 'outcome']).where('action', '=', 'access.denied').orderBy('seq', 'desc').executeTakeFirst();
    expect(denied).toMatchObject({ outcome: 'denied' });
    expect((await call('GET', `${people.url}/batches`, as.psbEditor)).statusCode).toBe(403);
    expect((await call('GET', `${people.url}/quarantine`, as.psbEditor)).statusCode).toBe(403);
  });

  it('lists only the own department’s datasets, with record counts', async () => {
    const psb = await ok(await call('GET', '/datasets', as.psbEditor));
    expect(psb.items.map((d: { code: string }) => d.code)).not.toContain(people.code);
    const civil = await ok(await call('GET', '/datasets', as.deptadmin));
    expect(civil.items.find((d: { code: string }) => d.code === people.code)).toMatchObject({ recordCount: expect.any(Number), lastWrittenAt: expect.any(String) });
  });

  it('refuses a person without a provider role', async () => {
    expect((await send(people.url, [person(71)], { cookie: as.reviewer })).statusCode).toBe(403);
  });

  it('answers 404 for an entry that is not published', async () => {
    const draft = await ok(await call('POST', '/catalog/entries', as.editor, entryFields({ items: PERSON_ITEMS })), 201);
    expect((await send(`/datasets/${draft.id}`, [person(72)])).statusCode).toBe(404);
    expect((await send(`/datasets/${encodeURIComponent('399999/99999')}`, [person(72)])).statusCode).toBe(404);
  });

  it('audits each batch once with counts and no identifier', async () => {
    const body = await ok(await send(people.url, [person(73)]));
    const entries = await t.app.database.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'collection.batch_applied').execute();
    const mine = entries.filter((e) => JSON.stringify(e.details).includes(body.batchId));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine[0]?.details)).not.toContain(citizenId(73));
  });
});

describe('schema migration', () => {
  it('moves the dataset to a newly published version; old records keep their schema version', async () => {
    const entry = await publishEntry(PERSON_ITEMS.slice(0, 2));
    await ok(await send(entry.url, [person(80)]));
    const opened = await call('POST', `/catalog/entries/${entry.id}/versions`, as.editor);
    expect(opened.statusCode, opened.body).toBe(201);
    const current = (await ok(await call('GET', `/catalog/entries/${entry.id}`, as.editor))).current;
    const fields = Object.fromEntries(Object.entries(current).filter(([k]) => Object.keys(entryFields()).includes(k) || ['nameEn', 'shareConditions', 'legalBasis', 'openConditions', 'relatedSystems', 'relatedResourceCodes', 'scopeOfUse', 'sharingPeriod'].includes(k)));
    const items = [...PERSON_ITEMS.slice(0, 2), { name: '住址', nameEn: 'address', dataType: 'C', length: 100, codeList: null, required: false, isIdentifier: false }];
    await ok(await call('PUT', `/catalog/entries/${entry.id}/draft`, as.editor, { ...fields, items }));
    for (const [who, action] of [
      [as.editor, 'submit'],
      [as.reviewer, 'approve'],
      [as.authority, 'publish'],
    ] as const) {
      await ok(await call('POST', `/catalog/entries/${entry.id}/transitions`, who, { action }));
    }
    const body = await ok(await send(entry.url, [person(81, { address: '惠城区' })]));
    expect(body.schemaVersion).toBe(2);
    expect((await versionsOf(entry.code, await tokenOf(entry.code, 80)))[0]?.schema_version).toBe(1);
    expect((await versionsOf(entry.code, await tokenOf(entry.code, 81)))[0]?.schema_version).toBe(2);
    const migrated = await t.app.database.db.selectFrom('audit_log').select('details').where('action', '=', 'collection.schema_migrated').execute();
    expect(migrated.some((m) => JSON.stringify(m.details).includes(entry.code))).toBe(true);
  });
});

describe('no raw identifier outside the vault', () => {
  it('leaves no citizen ID number or credit code in any column of any table but subjects', async () => {
    const ids = [citizenId(90), citizenId(91), citizenId(92)];
    await ok(await send(people.url, ids.map((id, i) => ({ values: { citizenId: id, name: `扫${i}` } }))));
    await ok(await send(people.url, [{ values: { citizenId: citizenId(93), name: '' } }, { values: { citizenId: citizenId(94), name: '扫' } }], { mode: 'partial' }), 207);
    // A second identifier item (the spouse) is tokenised too, and an identifier sent in an unknown
    // field of a quarantined row is masked there.
    const marriage = await publishEntry([
      { name: '男方公民身份号码', nameEn: 'husbandId', dataType: 'C', length: 18, required: true, isIdentifier: true },
      { name: '女方身份证号', nameEn: 'wifeId', dataType: 'C', length: 18, required: true },
      { name: '登记日期', nameEn: 'registeredOn', dataType: 'D', required: true },
    ]);
    await ok(await send(marriage.url, [{ values: { husbandId: citizenId(95), wifeId: citizenId(96, '19920202'), registeredOn: '2020-05-20' } }]));
    await ok(await send(marriage.url, [{ values: { husbandId: citizenId(97), wifeId: 'bad', registeredOn: '2020-05-20', note: `配偶 ${citizenId(98)}` } }], { mode: 'partial' }), 207);
    const needles = [...ids, citizenId(93), citizenId(94), citizenId(1), uscc(1), citizenId(95), citizenId(96, '19920202'), citizenId(97), citizenId(98)];
    const db = t.app.database.db;
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
      JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'jsonb', 'json', 'character varying', 'bytea', 'ARRAY')
        AND c.table_name <> 'subjects'`.execute(db);
    expect(columns.rows.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const col of columns.rows) {
      const expr = col.data_type === 'bytea' ? sql`encode(${sql.ref(col.column_name)}, 'escape')` : sql`${sql.ref(col.column_name)}::text`;
      for (const needle of needles) {
        const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(col.table_name)} WHERE upper(${expr}) LIKE ${`%${needle.toUpperCase()}%`}`.execute(db);
        if (Number(r.rows[0]?.n) > 0) found.push(`${col.table_name}.${col.column_name}`);
      }
    }
    expect(found).toEqual([]);
    // The scan itself finds what is there: the name written beside the identifiers.
    const control = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dataset_records WHERE raw::text LIKE ${'%扫0%'}`.execute(db);
    expect(Number(control.rows[0]?.n)).toBe(1);
    const subjects = await db.selectFrom('subjects').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(Number(subjects.n)).toBeGreaterThanOrEqual(ids.length);
  });
});
