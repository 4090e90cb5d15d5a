import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { createCsvParser, MAX_COLUMNS, type RawRow } from './csv.js';
import { createChunkDecoder, DETECT_SAMPLE_BYTES, detectEncoding } from './encoding.js';
import { unescapeCell } from './escape.js';
import { FileFormatError } from './files.errors.js';
import { verifyZip } from './zip.js';

export type { RawRow } from './csv.js';

/** What readRows reads: the format the upload declares, and for xlsx the sheet (default: the first). */
export type ReadRowsOptions = { format: 'csv' | 'xlsx'; sheet?: string };

/** One data row keyed by header name; cells missing from a short xlsx row are ''. */
export type TableRow = { rowNo: number; values: Record<string, string> };

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // .xls, .doc: the pre-2007 binary formats

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** Reads chunks until `min` bytes or the end; returns them and the iterator positioned after them. */
async function peek(input: Readable, min: number): Promise<{ head: Buffer[]; headBytes: Buffer; rest: AsyncIterator<Buffer> }> {
  const rest = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  while (size < min) {
    const next = await rest.next();
    if (next.done) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    size += chunk.length;
  }
  return { head, headBytes: Buffer.concat(head), rest };
}

async function* chunksOf(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  yield* head;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
  }
}

const emptyFile = () => new FileFormatError('empty', '文件是空的。 The file is empty.');

/** Detects the encoding from the first 64 KB, decodes chunk by chunk and parses CSV records. */
async function* readCsvRows(input: Readable): AsyncGenerator<RawRow> {
  const { head, headBytes, rest } = await peek(input, DETECT_SAMPLE_BYTES);
  if (headBytes.length === 0) throw emptyFile();
  if (startsWith(headBytes, ZIP_MAGIC) || startsWith(headBytes, OLE_MAGIC) || headBytes.includes(0)) {
    throw new FileFormatError(
      'encoding',
      '文件不是 CSV 文本文件（看起来是 Excel 或其他二进制文件），请选择正确的文件格式。 The file is not CSV text (it looks like an Excel or other binary file); choose the matching format.',
      { byteOffset: 0 },
    );
  }
  const decoder = createChunkDecoder(detectEncoding(headBytes));
  const parser = createCsvParser();
  let any = false;
  for await (const chunk of chunksOf(head, rest)) {
    for (const row of parser.push(decoder.write(chunk))) {
      any = true;
      yield row;
    }
  }
  for (const row of [...parser.push(decoder.end()), ...parser.end()]) {
    any = true;
    yield row;
  }
  if (!any) throw new FileFormatError('empty', '文件中没有数据行。 The file has no rows.');
}

const notXlsx = (damaged: boolean) =>
  new FileFormatError(
    'not_xlsx',
    damaged
      ? 'xlsx 文件内容已损坏，请在 Excel 中重新另存为 .xlsx 后上传。 The .xlsx file is damaged; save it again as .xlsx in Excel.'
      : '文件不是 xlsx 表格，请在 Excel 中另存为 .xlsx 后上传。 The file is not an .xlsx workbook; save it as .xlsx in Excel.',
  );

/** Formats a date cell: the day alone when it has no time of day (exceljs gives dates in UTC). */
function dateText(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** The text of a cell whatever exceljs made of it: rich text, hyperlinks, formula results, numbers, dates. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return unescapeCell(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : dateText(value);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return unescapeCell(value.richText.map((r) => r.text).join(''));
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('error' in value) return String(value.error);
  return '';
}

/** Reads of a verified workbook before it is called damaged (see readXlsxRows). */
const XLSX_READ_ATTEMPTS = 3;

/**
 * Spools the upload to a temporary file (disk, not memory), checks it is a whole zip, then reads
 * the chosen sheet row by row with exceljs's streaming WorkbookReader.
 */
async function* readXlsxRows(input: Readable, sheet: string | undefined): AsyncGenerator<RawRow> {
  const { head, headBytes, rest } = await peek(input, 4);
  if (headBytes.length === 0) throw emptyFile();
  if (!startsWith(headBytes, ZIP_MAGIC)) {
    throw startsWith(headBytes, OLE_MAGIC)
      ? new FileFormatError('not_xlsx', '这是旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后上传。 This is an old .xls file; save it as .xlsx in Excel and upload again.')
      : notXlsx(false);
  }
  const dir = await mkdtemp(join(tmpdir(), 'huitong-upload-'));
  const path = join(dir, 'upload.xlsx');
  let reader: ExcelJS.stream.xlsx.WorkbookReader | undefined;
  try {
    const file = createWriteStream(path);
    try {
      for await (const chunk of chunksOf(head, rest)) {
        if (!file.write(chunk)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      }
    } finally {
      file.end();
      await finished(file);
    }
    await verifyZip(path);
    // exceljs's streaming reader has timing races of its own (under load it now and then ends
    // the zip walk before xl/workbook.xml and fails on a verified, whole file). The file is on
    // disk, so a failure before the first row is retried; after a row it cannot be, as the
    // caller may have used the rows.
    let yielded = false;
    for (let attempt = 1; ; attempt++) {
      reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
        worksheets: 'emit',
        sharedStrings: 'cache',
        // Styles tell a date cell from a number.
        styles: 'cache',
        hyperlinks: 'ignore',
        entries: 'ignore',
      });
      let found = false;
      try {
        for await (const ws of reader) {
          const name = (ws as unknown as { name?: string }).name;
          if (sheet !== undefined && name !== sheet) {
            // Read the skipped sheet to its end: exceljs deletes a sheet it spooled to a temp file as
            // soon as we move on, and a read still opening that file would fail outside our reach.
            for await (const _row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
              // discard
            }
            continue;
          }
          found = true;
          for await (const row of ws as unknown as AsyncIterable<ExcelJS.Row>) {
            const values = row.values as ExcelJS.CellValue[];
            if (values.length - 1 > MAX_COLUMNS) {
              throw new FileFormatError('too_many_columns', `第 ${row.number} 行超过 ${MAX_COLUMNS} 列。 Row ${row.number} has more than ${MAX_COLUMNS} columns.`, { rowNo: row.number });
            }
            const cells: string[] = [];
            for (let c = 1; c < values.length; c++) cells.push(cellText(values[c]));
            if (cells.every((s) => s === '')) continue;
            yielded = true;
            yield { rowNo: row.number, cells };
          }
          break;
        }
      } catch (err) {
        if (err instanceof FileFormatError) throw err;
        (reader as unknown as { stream?: Readable }).stream?.destroy();
        if (yielded || attempt >= XLSX_READ_ATTEMPTS) throw notXlsx(true);
        continue;
      }
      if (!found) {
        throw new FileFormatError('empty', sheet === undefined ? '工作簿中没有工作表。 The workbook has no sheets.' : `工作簿中没有名为“${sheet}”的工作表。 The workbook has no sheet named “${sheet}”.`);
      }
      return;
    }
  } finally {
    (reader as unknown as { stream?: Readable } | undefined)?.stream?.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads an uploaded table row by row in bounded memory: CSV in UTF-8 or GBK (detected), or one
 * sheet of an xlsx. Skips all-empty rows; rowNo is the row number a spreadsheet shows. Text cells
 * are unescaped (unescapeCell), so a corrected error report can be uploaded again. Bad input
 * throws FileFormatError from the iteration, never anything else.
 */
export async function* readRows(input: Readable, opts: ReadRowsOptions): AsyncGenerator<RawRow> {
  // A failing source (client aborted the upload) surfaces through the iteration below.
  try {
    if (opts.format === 'csv') yield* readCsvRows(input);
    else yield* readXlsxRows(input, opts.sheet);
  } catch (err) {
    if (err instanceof FileFormatError) throw err;
    if ((err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as { code?: string }).code === 'ECONNRESET') {
      throw new FileFormatError('truncated', '上传在中途中断，请重新上传。 The upload was interrupted; upload the file again.');
    }
    throw err;
  } finally {
    input.destroy();
  }
}

/**
 * Reads a table whose first non-empty row is the header: returns the (trimmed) column names and
 * the data rows keyed by them. A blank or repeated column name is 'bad_header'; a value in a
 * column without a name is 'ragged_row'.
 */
export async function readTable(input: Readable, opts: ReadRowsOptions): Promise<{ header: string[]; rows: AsyncIterable<TableRow> }> {
  const it = readRows(input, opts);
  let header: string[];
  let headerRow: number;
  try {
    const first = await it.next();
    if (first.done) throw emptyFile();
    headerRow = first.value.rowNo;
    header = first.value.cells.map((c) => c.trim());
    while (header.length > 0 && header[header.length - 1] === '') header.pop();
    const seen = new Set<string>();
    header.forEach((name, i) => {
      if (name === '') {
        throw new FileFormatError('bad_header', `表头第 ${i + 1} 列没有列名。 Column ${i + 1} of the header has no name.`, { rowNo: headerRow });
      }
      if (seen.has(name)) {
        throw new FileFormatError('bad_header', `表头中列名“${name}”重复。 The header names column “${name}” twice.`, { rowNo: headerRow });
      }
      seen.add(name);
    });
  } catch (err) {
    await it.return(undefined);
    throw err;
  }
  const names = header;
  async function* dataRows(): AsyncGenerator<TableRow> {
    for await (const { rowNo, cells } of it) {
      const values: Record<string, string> = {};
      cells.forEach((cell, i) => {
        const name = names[i];
        if (name !== undefined) values[name] = cell;
        else if (cell !== '') {
          throw new FileFormatError('ragged_row', `第 ${rowNo} 行第 ${i + 1} 列有值，但该列没有列名。 Row ${rowNo} has a value in column ${i + 1}, which has no header.`, { rowNo });
        }
      });
      for (const name of names) values[name] ??= '';
      yield { rowNo, values };
    }
  }
  return { header: names, rows: dataRows() };
}
