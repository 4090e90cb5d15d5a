import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createChunkDecoder,
  createDecodeStream,
  csvEscapeCell,
  detectEncoding,
  escapeCell,
  FileFormatError,
  type RawRow,
  readRows,
  readTable,
  unescapeCell,
  writeErrorReport,
} from './index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huitong-files-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** GBK bytes of known characters; ASCII passes through. */
const GBK: Record<string, number[]> = {
  中: [0xd6, 0xd0],
  文: [0xce, 0xc4],
  汇: [0xbb, 0xe3],
  通: [0xcd, 0xa8],
  张: [0xd5, 0xc5],
  三: [0xc8, 0xfd],
};
function gbk(s: string): Buffer {
  const out: number[] = [];
  for (const ch of s) {
    const bytes = GBK[ch];
    if (bytes) out.push(...bytes);
    else if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else throw new Error(`no GBK bytes for ${ch} in the test table`);
  }
  return Buffer.from(out);
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** A stream that delivers exactly these chunks, so chunk boundaries are where the test puts them. */
const chunks = (...parts: Buffer[]) => Readable.from(parts);

async function collect(rows: AsyncIterable<RawRow>): Promise<RawRow[]> {
  const out: RawRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

/** The FileFormatError a promise rejects with; fails the test if it resolves or rejects with anything else. */
async function formatError(p: Promise<unknown>): Promise<FileFormatError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(FileFormatError);
    return err as FileFormatError;
  }
  throw new Error('expected a FileFormatError');
}

describe('detectEncoding', () => {
  it('takes a UTF-8 byte order mark as UTF-8', () => {
    expect(detectEncoding(Buffer.concat([BOM, utf8('a,b')]))).toBe('utf-8');
  });
  it('takes valid UTF-8 without a mark as UTF-8', () => {
    expect(detectEncoding(utf8('姓名,单位\n张三,汇通'))).toBe('utf-8');
  });
  it('takes GBK bytes as GB18030', () => {
    expect(detectEncoding(gbk('中文,汇通\n张三,中文'))).toBe('gb18030');
  });
  it('allows a UTF-8 character cut by the end of the sample', () => {
    expect(detectEncoding(utf8('ab中').subarray(0, 4))).toBe('utf-8');
  });
  it('refuses overlong and surrogate sequences as UTF-8', () => {
    expect(detectEncoding(Buffer.from([0x61, 0xc0, 0xaf, 0x62]))).toBe('gb18030');
    expect(detectEncoding(Buffer.from([0xed, 0xa0, 0x80, 0x62]))).toBe('gb18030');
  });
});

describe('createChunkDecoder', () => {
  it('decodes a character split across chunks, byte by byte', () => {
    for (const [enc, bytes] of [
      ['utf-8', utf8('中文汇通')],
      ['gb18030', gbk('中文汇通')],
    ] as const) {
      const d = createChunkDecoder(enc);
      let text = '';
      for (const b of bytes) text += d.write(Uint8Array.of(b));
      text += d.end();
      expect(text).toBe('中文汇通');
    }
  });
  it('names the byte offset of invalid UTF-8', () => {
    const d = createChunkDecoder('utf-8');
    d.write(utf8('abc中'));
    const err = (() => {
      try {
        d.write(Buffer.from([0x61, 0xff, 0x62]));
      } catch (e) {
        return e as FileFormatError;
      }
      throw new Error('no error');
    })();
    expect(err.rule).toBe('encoding');
    expect(err.byteOffset).toBe(7);
    expect(err.message).toContain('byte offset 7');
  });
  it('names the byte offset of invalid GBK', () => {
    const d = createChunkDecoder('gb18030');
    expect(d.write(gbk('中文'))).toBe('中文');
    // A lead byte followed by a space is no GBK character.
    expect(() => d.write(Buffer.from([0x61, 0x81, 0x20]))).toThrow(expect.objectContaining({ rule: 'encoding', byteOffset: 5 }));
  });

  it('works as a stream transform', async () => {
    const bytes = utf8('中文汇通');
    const parts: string[] = [];
    await pipeline(chunks(bytes.subarray(0, 2), bytes.subarray(2, 7), bytes.subarray(7)), createDecodeStream('utf-8'), async (texts: AsyncIterable<string>) => {
      for await (const t of texts) parts.push(t);
    });
    expect(parts.join('')).toBe('中文汇通');
  });

  it('reports a character cut off at the end of the file', () => {
    const d = createChunkDecoder('utf-8');
    d.write(utf8('a中').subarray(0, 3));
    expect(() => d.end()).toThrow(FileFormatError);
  });
});

describe('readRows: CSV', () => {
  it('reads UTF-8 with a byte order mark and strips it', async () => {
    const rows = await collect(readRows(chunks(BOM, utf8('姓名,单位\r\n张三,汇通\r\n')), { format: 'csv' }));
    expect(rows).toEqual([
      { rowNo: 1, cells: ['姓名', '单位'] },
      { rowNo: 2, cells: ['张三', '汇通'] },
    ]);
  });

  it('reads UTF-8 without a byte order mark', async () => {
    const rows = await collect(readRows(chunks(utf8('a,b\n1,2')), { format: 'csv' }));
    expect(rows.map((r) => r.cells)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('detects and decodes GBK', async () => {
    const { header, rows } = await readTable(chunks(gbk('中文,汇通\n张三,中文汇通\n')), { format: 'csv' });
    expect(header).toEqual(['中文', '汇通']);
    const all = [];
    for await (const r of rows) all.push(r);
    expect(all).toEqual([{ rowNo: 2, values: { 中文: '张三', 汇通: '中文汇通' } }]);
  });

  it('keeps a multi-byte character whole across a chunk boundary', async () => {
    const u = utf8('名称\n中文\n');
    const g = gbk('中文\n张三\n');
    // Split inside 中 (3 bytes in UTF-8, 2 in GBK).
    const utfRows = await collect(readRows(chunks(u.subarray(0, 8), u.subarray(8)), { format: 'csv' }));
    expect(utfRows.map((r) => r.cells[0])).toEqual(['名称', '中文']);
    const gbkRows = await collect(readRows(chunks(g.subarray(0, 1), g.subarray(1, 6), g.subarray(6)), { format: 'csv' }));
    expect(gbkRows.map((r) => r.cells[0])).toEqual(['中文', '张三']);
  });

  it('refuses invalid UTF-8 after a valid sample, naming the byte offset', async () => {
    const head = utf8(`${'中文,abc\n'.repeat(8_000)}`); // > 64 KB, all valid: detected as UTF-8
    const bad = Buffer.concat([utf8('x,'), Buffer.from([0xd6, 0xd0]), utf8('\n')]); // GBK 中 inside UTF-8
    const err = await formatError(collect(readRows(chunks(head, bad), { format: 'csv' })));
    expect(err.rule).toBe('encoding');
    expect(err.byteOffset).toBe(head.length + 2);
    expect(err.message).toMatch(/字节.*byte offset/);
  });

  it('handles quoted fields with commas, line breaks and doubled quotes', async () => {
    const csv = 'name,note\n"Zhang, San","line 1\nline 2"\n"say ""hi""",""\n';
    const rows = await collect(readRows(chunks(utf8(csv)), { format: 'csv' }));
    expect(rows).toEqual([
      { rowNo: 1, cells: ['name', 'note'] },
      { rowNo: 2, cells: ['Zhang, San', 'line 1\nline 2'] },
      { rowNo: 3, cells: ['say "hi"', ''] },
    ]);
  });

  it('handles a doubled quote split across chunks', async () => {
    const rows = await collect(readRows(chunks(utf8('"a"'), utf8('"b",c\n')), { format: 'csv' }));
    expect(rows[0]?.cells).toEqual(['a"b', 'c']);
  });

  it('skips blank lines but keeps counting rows', async () => {
    const rows = await collect(readRows(chunks(utf8('a,b\n\n1,2\n,\n')), { format: 'csv' }));
    expect(rows.map((r) => r.rowNo)).toEqual([1, 3]);
  });

  it('refuses a ragged row, naming it', async () => {
    const err = await formatError(collect(readRows(chunks(utf8('a,b\n1,2\n3,4,5\n')), { format: 'csv' })));
    expect(err.rule).toBe('ragged_row');
    expect(err.rowNo).toBe(3);
    expect(err.message).toContain('Row 3');
    expect(err.message).toContain('第 3 行');
  });

  it('refuses a quote left open at the end of the file as truncated', async () => {
    const err = await formatError(collect(readRows(chunks(utf8('a,b\n1,"unfinished\n2,3\n')), { format: 'csv' })));
    expect(err.rule).toBe('truncated');
    expect(err.rowNo).toBe(2);
  });

  it('refuses an empty file and an xlsx uploaded as CSV', async () => {
    expect((await formatError(collect(readRows(chunks(), { format: 'csv' })))).rule).toBe('empty');
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    expect((await formatError(collect(readRows(chunks(zip), { format: 'csv' })))).rule).toBe('encoding');
  });

  it('refuses a blank or repeated column name', async () => {
    expect((await formatError(readTable(chunks(utf8('a,,b\n1,2,3\n')), { format: 'csv' }))).rule).toBe('bad_header');
    expect((await formatError(readTable(chunks(utf8('a,a\n1,2\n')), { format: 'csv' }))).rule).toBe('bad_header');
  });
});

describe('readRows: xlsx', () => {
  async function makeWorkbook(path: string): Promise<void> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('说明').addRow(['not this sheet']);
    const ws = wb.addWorksheet('数据');
    ws.addRow(['姓名', '数量', '日期', '公式']);
    ws.addRow(['张三', 42, new Date(Date.UTC(2026, 0, 15)), escapeCell('=1+1')]);
    ws.addRow([]);
    ws.addRow(['李四', 7.5, null, { formula: '1+1', result: 2 }]);
    await wb.xlsx.writeFile(path);
  }

  it('round-trips a workbook: names, numbers, dates, formula results, escaped text', async () => {
    const path = join(dir, 'round-trip.xlsx');
    await makeWorkbook(path);
    const { header, rows } = await readTable(createReadStream(path), { format: 'xlsx', sheet: '数据' });
    expect(header).toEqual(['姓名', '数量', '日期', '公式']);
    const all = [];
    for await (const r of rows) all.push(r);
    expect(all).toEqual([
      { rowNo: 2, values: { 姓名: '张三', 数量: '42', 日期: '2026-01-15', 公式: '=1+1' } },
      { rowNo: 4, values: { 姓名: '李四', 数量: '7.5', 日期: '', 公式: '2' } },
    ]);
  });

  it('reads the first sheet by default and refuses an unknown sheet', async () => {
    const path = join(dir, 'sheets.xlsx');
    await makeWorkbook(path);
    const rows = await collect(readRows(createReadStream(path), { format: 'xlsx' }));
    expect(rows).toEqual([{ rowNo: 1, cells: ['not this sheet'] }]);
    const err = await formatError(collect(readRows(createReadStream(path), { format: 'xlsx', sheet: '无此表' })));
    expect(err.rule).toBe('empty');
  });

  it('skips sheets without a stray error from a temp file deleted while still opening', async () => {
    // exceljs spools a sheet that precedes the shared strings to a temp file and deletes it when
    // the reader moves on; skipping a sheet unread used to leave an open() racing that delete.
    const path = join(dir, 'skip.xlsx');
    await makeWorkbook(path);
    for (let i = 0; i < 150; i++) {
      const err = await formatError(collect(readRows(createReadStream(path), { format: 'xlsx', sheet: '无此表' })));
      expect(err.rule).toBe('empty');
    }
  });

  it('refuses a workbook cut in half with a FileFormatError, not a crash', async () => {
    const path = join(dir, 'whole.xlsx');
    await makeWorkbook(path);
    const bytes = await readFile(path);
    const half = join(dir, 'half.xlsx');
    await writeFile(half, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await formatError(collect(readRows(createReadStream(half), { format: 'xlsx' })));
    expect(['truncated', 'not_xlsx']).toContain(err.rule);
  });

  it('refuses a workbook damaged in the middle with a FileFormatError', async () => {
    const path = join(dir, 'damaged.xlsx');
    await makeWorkbook(path);
    const bytes = Buffer.from(await readFile(path));
    bytes.fill(0x41, 200, bytes.length - 2000);
    const damaged = join(dir, 'damaged2.xlsx');
    await writeFile(damaged, bytes);
    const err = await formatError(collect(readRows(createReadStream(damaged), { format: 'xlsx' })));
    expect(['truncated', 'not_xlsx']).toContain(err.rule);
  });

  it('refuses a workbook whose sheet data is damaged (exceljs alone would hang)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('数据');
    for (let i = 0; i < 2000; i++) ws.addRow([`张三${i}`, i, `note ${i}`]);
    const path = join(dir, 'big.xlsx');
    await wb.xlsx.writeFile(path);
    const bytes = Buffer.from(await readFile(path));
    // Inside the deflated sheet: the zip's directory stays intact, the data does not.
    for (let k = 0; k < 128; k++) bytes[5000 + k] = (k * 73 + 11) & 0xff;
    const damaged = join(dir, 'big-damaged.xlsx');
    await writeFile(damaged, bytes);
    const err = await formatError(collect(readRows(createReadStream(damaged), { format: 'xlsx' })));
    expect(err.rule).toBe('not_xlsx');
  });

  it('lets the caller stop early without leaving errors behind', async () => {
    const path = join(dir, 'early.xlsx');
    await makeWorkbook(path);
    for await (const row of readRows(createReadStream(path), { format: 'xlsx', sheet: '数据' })) {
      expect(row.rowNo).toBe(1);
      break;
    }
    for await (const _ of readRows(chunks(utf8('a,b\n1,2\n3,4\n')), { format: 'csv' })) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it('refuses a file that is not a workbook', async () => {
    expect((await formatError(collect(readRows(chunks(utf8('a,b\n1,2\n')), { format: 'xlsx' })))).rule).toBe('not_xlsx');
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    const err = await formatError(collect(readRows(chunks(xls), { format: 'xlsx' })));
    expect(err.rule).toBe('not_xlsx');
    expect(err.message).toContain('.xls');
  });
});

describe('formula injection', () => {
  it('escapes = + - @ tab and CR, and unescapes exactly', () => {
    for (const s of ['=SUM(A1)', '+1', '-1', '@x', '\tx', '\rx', "'=x", "''+x"]) {
      expect(escapeCell(s)).toBe(`'${s}`);
      expect(unescapeCell(escapeCell(s))).toBe(s);
    }
    expect(escapeCell('张三')).toBe('张三');
    expect(escapeCell("'plain")).toBe("'plain");
  });

  it('quotes CSV cells after escaping them', () => {
    expect(csvEscapeCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvEscapeCell('a,b')).toBe('"a,b"');
    expect(csvEscapeCell('plain')).toBe('plain');
  });

  it('writes the error report with original columns, row numbers, reasons, and formulas escaped', async () => {
    const path = join(dir, 'report.xlsx');
    async function* rows() {
      yield { rowNo: 2, values: { 姓名: '=cmd|calc', 电话: '+8613800000000' }, errors: [{ field: '电话', rule: 'phone', message: '电话号码格式错误 invalid phone' }] };
      yield {
        rowNo: 5,
        values: { 姓名: '张三', 电话: '' },
        errors: [
          { field: '电话', rule: 'required', message: '必填 required' },
          { field: '姓名', rule: 'format', message: '=bad message' },
        ],
      };
    }
    await writeErrorReport(rows(), ['姓名', '电话'], createWriteStream(path));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.worksheets[0];
    expect(ws?.getRow(1).values).toEqual([undefined, '姓名', '电话', '行号', '错误字段', '错误原因']);
    expect(ws?.getRow(2).values).toEqual([undefined, "'=cmd|calc", "'+8613800000000", 2, '电话', '电话: 电话号码格式错误 invalid phone']);
    expect(ws?.getRow(3).values).toEqual([undefined, '张三', undefined, 5, '电话\n姓名', '电话: 必填 required\n姓名: =bad message']);
    // Reading the report back gives the original values.
    const back = await collect(readRows(createReadStream(path), { format: 'xlsx' }));
    expect(back[1]?.cells.slice(0, 2)).toEqual(['=cmd|calc', '+8613800000000']);
  });
});

describe('bounded memory', () => {
  it('reads a 1,000,000-row CSV in bounded memory', { timeout: 60_000 }, async () => {
    const path = join(dir, 'million.csv');
    const out = createWriteStream(path);
    out.write('编号,姓名,单位,金额,备注\n');
    for (let i = 1; i <= 1_000_000; i++) {
      const line = `${i},张三${i % 1000},汇通数据局,${(i * 7) % 100000}.25,"备注, 第${i}行"\n`;
      if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    out.end();
    await finished(out);
    const size = (await stat(path)).size;

    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    let count = 0;
    let last = '';
    for await (const row of readRows(createReadStream(path), { format: 'csv' })) {
      count++;
      if ((count & 0xfff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
      last = row.cells[0] ?? '';
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    console.log(`1,000,000-row CSV (${(size / 1e6).toFixed(1)} MB): peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB (before reading ${(baseline / 1024 / 1024).toFixed(0)} MB)`);
    expect(count).toBe(1_000_001);
    expect(last).toBe('1000000');
    expect(peak).toBeLessThan(300 * 1024 * 1024);
  });

  it('writes and reads back a 100,000-row error report as xlsx in bounded memory', { timeout: 60_000 }, async () => {
    const path = join(dir, 'big-report.xlsx');
    const header = ['编号', '姓名', '单位'];
    async function* rows() {
      for (let i = 1; i <= 100_000; i++) {
        yield { rowNo: i + 1, values: { 编号: String(i), 姓名: `=张三${i}`, 单位: '汇通数据局' }, errors: [{ field: '姓名', rule: 'format', message: '格式错误 bad format' }] };
      }
    }
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    try {
      await writeErrorReport(rows(), header, createWriteStream(path));
      let count = 0;
      for await (const row of readRows(createReadStream(path), { format: 'xlsx' })) {
        count++;
        if (count === 2) expect(row.cells.slice(0, 4)).toEqual(['1', '=张三1', '汇通数据局', '2']);
      }
      expect(count).toBe(100_001);
    } finally {
      clearInterval(sampler);
    }
    console.log(`100,000-row xlsx report (${((await stat(path)).size / 1e6).toFixed(1)} MB) written and read back: peak RSS ${(peak / 1024 / 1024).toFixed(0)} MB (before ${(baseline / 1024 / 1024).toFixed(0)} MB)`);
    // Looser than the CSV bound: exceljs's reader and GC timing add noise; what matters is that it does not grow with rows.
    expect(peak).toBeLessThan(400 * 1024 * 1024);
  });
});
