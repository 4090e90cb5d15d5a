import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, startTestPlatform, type TestPlatform } from '../../../test/harness.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let t: TestPlatform;
let editor: string;
beforeAll(async () => {
  t = await startTestPlatform();
  editor = await t.login('editor');
});
afterAll(async () => {
  await t.close();
});

/** A multipart/form-data body with one file part, as a browser's upload sends it. */
function multipart(bytes: Buffer, opts: { filename?: string; contentType?: string; field?: string } = {}) {
  const boundary = `----huitong${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${opts.field ?? 'file'}"; filename="${opts.filename ?? 'catalog.xlsx'}"\r\nContent-Type: ${opts.contentType ?? XLSX_TYPE}\r\n\r\n`,
  );
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

function upload(bytes: Buffer, cookie: string | undefined, opts: Parameters<typeof multipart>[1] = {}) {
  const { body, headers } = multipart(bytes, opts);
  return t.call({ method: 'POST', url: '/api/v1/catalog/import', ...(cookie ? { cookie } : {}), body, headers });
}

/** The header a department types: Chinese names only, no key row. */
const ENTRY_HEADER = ['信息资源名称', '英文名称', '摘要', '信息资源分类', '分类代码', '关键词', '格式分类', '格式类型', '共享类型', '共享条件', '法律依据', '共享方式', '开放类型', '开放条件', '更新周期'];
const ITEM_HEADER = ['资源名称', '信息项名称', '英文标识符', '数据类型', '长度', '代码集', '是否必填', '是否标识'];

/** A valid 目录 row in ENTRY_HEADER order; override cells by header name. */
function entryRow(name: string, overrides: Record<string, unknown> = {}): unknown[] {
  const base: Record<string, unknown> = {
    信息资源名称: name,
    英文名称: 'Imported resource',
    摘要: '批量导入测试用的信息资源。',
    信息资源分类: '部门',
    分类代码: '301001',
    关键词: '导入、测试',
    格式分类: '数据库',
    格式类型: 'MySQL',
    共享类型: '无条件共享',
    共享方式: '接口、文件',
    开放类型: '不予开放',
    更新周期: '每月',
    ...overrides,
  };
  return ENTRY_HEADER.map((h) => base[h] ?? null);
}

/** A workbook as a department would fill it in. */
async function workbook(opts: { entryHeader?: string[]; entries: unknown[][]; itemHeader?: string[]; items?: unknown[][]; sheets?: string[] }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const [entrySheet = '目录', itemSheet = '信息项'] = opts.sheets ?? [];
  const e = wb.addWorksheet(entrySheet);
  e.addRow(opts.entryHeader ?? ENTRY_HEADER);
  for (const r of opts.entries) e.addRow(r);
  const i = wb.addWorksheet(itemSheet);
  i.addRow(opts.itemHeader ?? ITEM_HEADER);
  for (const r of opts.items ?? []) i.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function countEntries(): Promise<number> {
  const row = await t.app.database.db
    .selectFrom('catalog_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function storedFields(name: string) {
  const row = await t.app.database.db
    .selectFrom('catalog_versions')
    .select(['data', 'status', 'entry_id'])
    .where('name', '=', name)
    .orderBy('version', 'desc')
    .executeTakeFirstOrThrow();
  return { ...row, data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown> };
}

async function loadWorkbook(bytes: Buffer | string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes as Buffer) as unknown as ExcelJS.Buffer);
  return wb;
}

async function exportXlsx(query = ''): Promise<Buffer> {
  const res = await t.call({ method: 'GET', url: `/api/v1/catalog/export.xlsx${query}`, cookie: editor });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe(XLSX_TYPE);
  return res.rawPayload;
}

/** Drafts, submits, approves and publishes an entry through the API; returns its id. */
async function publish(fields: Record<string, unknown>): Promise<string> {
  const created = await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: editor, body: fields });
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  for (const [who, action] of [['editor', 'submit'], ['reviewer', 'approve'], ['authority', 'publish']] as const) {
    const res = await t.call({ method: 'POST', url: `/api/v1/catalog/entries/${id}/transitions`, cookie: await t.login(who), body: { action } });
    expect(res.statusCode, res.body).toBe(200);
  }
  return id;
}

/** Renames every entry of an exported workbook (both sheets) so it can be imported again. */
function renameAll(wb: ExcelJS.Workbook, rename: (name: string) => string): void {
  const entries = wb.getWorksheet('目录') as ExcelJS.Worksheet;
  const items = wb.getWorksheet('信息项') as ExcelJS.Worksheet;
  entries.eachRow((row, n) => {
    if (n >= 3 && row.getCell(1).value) row.getCell(1).value = rename(String(row.getCell(1).value));
  });
  items.eachRow((row, n) => {
    if (n >= 3 && row.getCell(1).value) row.getCell(1).value = rename(String(row.getCell(1).value));
  });
}

describe('export and import round trip', () => {
  it('exports the published catalog and imports it back into a department as new drafts', async () => {
    const published = await t.call({ method: 'GET', url: '/api/v1/catalog/search?pageSize=1', cookie: editor });
    const total = published.json().total as number;
    expect(total).toBeGreaterThan(0);

    const wb = await loadWorkbook(await exportXlsx());
    const sheet = wb.getWorksheet('目录') as ExcelJS.Worksheet;
    expect(sheet.getRow(1).getCell(1).value).toBe('信息资源名称');
    expect(sheet.getRow(2).getCell(1).value).toBe('name');
    const names: string[] = [];
    sheet.eachRow((row, n) => {
      if (n >= 3 && row.getCell(1).value) names.push(String(row.getCell(1).value));
    });
    expect(names).toHaveLength(total);
    expect(names).toContain('人口户籍信息');
    const household = sheet.getRow(3 + names.indexOf('人口户籍信息'));
    expect(household.getCell(9).value).toBe('无条件共享');
    expect(household.getCell(15).value).toBe('实时');

    renameAll(wb, (n) => `${n}（导入）`);
    const before = await countEntries();
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()), editor);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().created).toBe(total);
    expect(await countEntries()).toBe(before + total);

    // Same metadata and data items, new name, a draft of the importing department.
    const original = await storedFields('人口户籍信息');
    const copy = await storedFields('人口户籍信息（导入）');
    expect(copy.status).toBe('draft');
    expect(copy.data).toEqual({ ...original.data, name: '人口户籍信息（导入）' });
    const entry = await t.call({ method: 'GET', url: `/api/v1/catalog/entries/${copy.entry_id}`, cookie: editor });
    expect(entry.json()).toMatchObject({ departmentId: await t.departmentId(DEMO.civil), status: 'draft', latestVersion: 1 });

    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', 'in', ['catalog.imported', 'catalog.exported']).execute();
    expect(audit.find((a) => a.action === 'catalog.imported')?.details).toMatchObject({ count: total });
    expect(audit.some((a) => a.action === 'catalog.exported')).toBe(true);
  });

  it('exports only the entries matching the search filters', async () => {
    const wb = await loadWorkbook(await exportXlsx('?shareType=conditional'));
    const sheet = wb.getWorksheet('目录') as ExcelJS.Worksheet;
    const shareTypes: unknown[] = [];
    sheet.eachRow((row, n) => {
      if (n >= 3 && row.getCell(1).value) shareTypes.push(row.getCell(9).value);
    });
    expect(shareTypes.length).toBeGreaterThan(0);
    expect(new Set(shareTypes)).toEqual(new Set(['有条件共享']));
  });

  it('escapes cells that a spreadsheet would run as formulas, and imports them back unchanged', async () => {
    const name = `公式注入测试${Date.now() % 100000}`;
    const summary = '=HYPERLINK("http://evil.example/x","点击")';
    await publish(entryFields({ name, summary, keywords: ['+cmd', '@SUM(1)', '-1', '正常'], items: [{ name: '字段', nameEn: 'field', dataType: 'C', length: 10, codeList: '=1+1' }] }));
    const wb = await loadWorkbook(await exportXlsx(`?q=${encodeURIComponent(name)}`));
    const entries = wb.getWorksheet('目录') as ExcelJS.Worksheet;
    const items = wb.getWorksheet('信息项') as ExcelJS.Worksheet;
    const rowOf = (ws: ExcelJS.Worksheet) => {
      let found: ExcelJS.Row | undefined;
      ws.eachRow((r) => {
        if (r.getCell(1).value === name) found ??= r;
      });
      return found as ExcelJS.Row;
    };
    const row = rowOf(entries);
    expect(row.getCell(3).value).toBe(`'${summary}`);
    expect(row.getCell(6).value).toBe("'+cmd、@SUM(1)、-1、正常");
    expect(rowOf(items).getCell(6).value).toBe("'=1+1");
    // No cell anywhere starts with a formula character.
    for (const ws of [entries, items]) {
      ws.eachRow((r) =>
        r.eachCell((c) => {
          if (typeof c.value === 'string') expect(c.value).not.toMatch(/^[=+\-@\t\r]/);
          expect(c.formula).toBeUndefined();
        }),
      );
    }

    renameAll(wb, (n) => `${n}副本`);
    const res = await upload(Buffer.from(await wb.xlsx.writeBuffer()), editor);
    expect(res.statusCode, res.body).toBe(201);
    const copy = await storedFields(`${name}副本`);
    expect(copy.data.summary).toBe(summary);
    expect(copy.data.keywords).toEqual(['+cmd', '@SUM(1)', '-1', '正常']);
    expect((copy.data.items as { codeList: string }[])[0]?.codeList).toBe('=1+1');
  });
});

describe('import validation', () => {
  it('reports every bad row and field and saves nothing', async () => {
    const before = await countEntries();
    const bytes = await workbook({
      entries: [
        entryRow('导入校验甲', { 共享类型: '随便共享' }), // row 2: unknown share type
        entryRow('导入校验乙', { 共享类型: '有条件共享' }), // row 3: conditional without conditions or legal basis
        entryRow('导入校验丙'), // row 4: fine
        entryRow('导入校验丁', { 分类代码: '101001', 更新周期: '' }), // row 5: class code of another class, no frequency
        entryRow('人口户籍信息'), // row 6: name taken in the catalog
        entryRow('导入校验丙'), // row 7: duplicate within the file
      ],
      items: [
        ['导入校验丙', '统一社会信用代码', 'uscc', 'C', 18, null, '是', '是'],
        ['导入校验丙', '金额', 'amount', 'X', 'abc', null, '也许', '否'], // row 3: bad type, length, yes/no
        ['导入校验丙', '名称', 'name', 'C', null, null, '是', '否'], // row 4: C needs a length
      ],
    });
    const res = await upload(bytes, editor);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('CATALOG_IMPORT_INVALID');
    const found = (body.errors as { field: string; rule: string; row?: number }[]).map((e) => `${e.field} ${e.rule}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '目录!R2.shareType enum',
        '目录!R3.legalBasis legal_basis_required',
        '目录!R3.shareConditions share_conditions_required',
        '目录!R5.classCode class_prefix',
        '目录!R5.updateFrequency required',
        '目录!R6.name unique',
        '目录!R7.name unique',
        '信息项!R3.dataType enum',
        '信息项!R3.length integer',
        '信息项!R3.required boolean',
        '信息项!R4.length length_required',
      ]),
    );
    expect(found.some((f) => f.startsWith('目录!R4.'))).toBe(false);
    expect(body.errors.find((e: { field: string }) => e.field === '目录!R2.shareType').row).toBe(2);
    expect(await countEntries()).toBe(before);
  });

  it('refuses unknown column headers and names them', async () => {
    const bytes = await workbook({ entryHeader: [...ENTRY_HEADER, '备注'], entries: [[...entryRow('导入未知列'), '随手写的']] });
    const res = await upload(bytes, editor);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: '目录!P1', rule: 'unknown_column' })]);
  });

  it('refuses a data item whose entry is not in the file', async () => {
    const bytes = await workbook({ entries: [entryRow('导入有主条目')], items: [['不存在的资源', '字段', 'field', 'D', null, null, '否', '否']] });
    const res = await upload(bytes, editor);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: '信息项!R2.entryName', rule: 'unknown_entry' })]);
  });

  it('refuses a workbook without the data item sheet', async () => {
    const bytes = await workbook({ entries: [entryRow('导入缺表')], sheets: ['目录', 'Sheet2'] });
    const res = await upload(bytes, editor);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: '信息项', rule: 'missing_sheet' })]);
  });

  it('accepts English enum values and yes/no words in a file without a key row', async () => {
    const bytes = await workbook({
      entries: [entryRow('导入英文取值', { 信息资源分类: 'departmental', 共享类型: 'unconditional', 共享方式: 'api', 更新周期: 'half_yearly', 格式分类: 'spreadsheet' })],
      items: [['导入英文取值', '日期', 'day', 'd', null, null, 'Y', 'false']],
    });
    const res = await upload(bytes, editor);
    expect(res.statusCode, res.body).toBe(201);
    const stored = await storedFields('导入英文取值');
    expect(stored.data).toMatchObject({ shareManner: ['api'], updateFrequency: 'half_yearly', formatCategory: 'spreadsheet', items: [{ dataType: 'D', required: true, isIdentifier: false }] });
  });
});

describe('import guards', () => {
  it('answers bytes that are not a workbook with a clean 422, not a 500', async () => {
    const res = await upload(Buffer.from('name,summary\n甲,乙\n'), editor);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().code).toBe('CATALOG_IMPORT_UNREADABLE');
    const zipButNotXlsx = await upload(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(64)]), editor);
    expect(zipButNotXlsx.statusCode).toBe(422);
  });

  it('refuses other file types and non-multipart bodies with 415', async () => {
    const csv = await upload(Buffer.from('a,b\n'), editor, { filename: 'catalog.csv', contentType: 'text/csv' });
    expect(csv.statusCode).toBe(415);
    const xls = await upload(Buffer.from('x'), editor, { filename: 'catalog.xls', contentType: 'application/vnd.ms-excel' });
    expect(xls.statusCode).toBe(415);
    const json = await t.call({ method: 'POST', url: '/api/v1/catalog/import', cookie: editor, body: { file: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  it('answers a request without a file part with 422', async () => {
    const res = await upload(await workbook({ entries: [entryRow('导入字段名')] }), editor, { field: 'other' });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'file', rule: 'required' })]);
  });

  it('refuses a file larger than the limit with 413', async () => {
    const res = await upload(Buffer.alloc(t.app.config.HUITONG_XLSX_MAX_BYTES + 1024, 1), editor);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('does not let people of other roles import', async () => {
    const before = await countEntries();
    const bytes = await workbook({ entries: [entryRow('导入越权')] });
    for (const who of ['reviewer', 'authority', 'deptadmin']) {
      const res = await upload(bytes, await t.login(who));
      expect(res.statusCode, who).toBe(403);
    }
    expect((await upload(bytes, undefined)).statusCode).toBe(401);
    expect(await countEntries()).toBe(before);
  });

  it('requires sign-in for the spreadsheet export', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/catalog/export.xlsx' });
    expect(res.statusCode).toBe(401);
  });
});
