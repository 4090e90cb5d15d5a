import { FileFormatError } from './files.errors.js';

/** Most columns a table may have; beyond it the file is refused before a row is held in memory. */
export const MAX_COLUMNS = 1_024;
/** Longest cell (Excel's own limit); also bounds memory when a quote is never closed. */
export const MAX_CELL_CHARS = 32_767;

/** One record of a table: its spreadsheet row number (1-based) and its cells. */
export type RawRow = { rowNo: number; cells: string[] };

/** A push parser: feed text in chunks, get back the records completed so far. */
export type CsvParser = { push(text: string): RawRow[]; end(): RawRow[] };

/**
 * An RFC 4180 CSV parser over text chunks (csv-parse is not installed). Quoted fields may hold
 * commas, line breaks and doubled quotes; records end at CRLF, LF or a lone CR. Like Excel it is
 * lenient where nothing is lost (a quote inside an unquoted field is literal, text after a
 * closing quote is appended) and strict where data would be: a record whose field count differs
 * from the first is 'ragged_row', a quote still open at the end is 'truncated'. Row numbers
 * count every record, blank ones too, so they match the row numbers Excel shows; all-empty
 * records are not returned.
 */
export function createCsvParser(): CsvParser {
  let field = '';
  let record: string[] = [];
  let inQuotes = false;
  let quotePending = false; // a quote ended the last chunk: closing, or the first of a doubled pair
  let atFieldStart = true;
  let skipLf = false; // the previous record ended with CR; a following LF belongs to it
  let started = false;
  let rowNo = 0; // records completed
  let quoteRow = 0; // row a still-open quoted field started on
  let width: number | undefined;
  let out: RawRow[] = [];

  const tooLong = (): never => {
    throw new FileFormatError(
      'cell_too_long',
      `第 ${rowNo + 1} 行有超过 ${MAX_CELL_CHARS} 个字符的单元格（可能是引号未闭合）。 Row ${rowNo + 1} has a cell longer than ${MAX_CELL_CHARS} characters (perhaps a quote that is never closed).`,
      { rowNo: rowNo + 1 },
    );
  };
  const endField = () => {
    record.push(field);
    if (record.length > MAX_COLUMNS) {
      throw new FileFormatError(
        'too_many_columns',
        `第 ${rowNo + 1} 行超过 ${MAX_COLUMNS} 列。 Row ${rowNo + 1} has more than ${MAX_COLUMNS} columns.`,
        { rowNo: rowNo + 1 },
      );
    }
    field = '';
    atFieldStart = true;
  };
  const endRecord = () => {
    endField();
    rowNo++;
    const cells = record;
    record = [];
    if (cells.every((c) => c === '')) return;
    if (width === undefined) width = cells.length;
    else if (cells.length !== width) {
      throw new FileFormatError(
        'ragged_row',
        `第 ${rowNo} 行有 ${cells.length} 列，而首行有 ${width} 列（可能是逗号或引号有误）。 Row ${rowNo} has ${cells.length} fields but the first row has ${width} (a stray comma or quote?).`,
        { rowNo },
      );
    }
    out.push({ rowNo, cells });
  };

  const push = (text: string): RawRow[] => {
    out = [];
    let i = 0;
    const n = text.length;
    if (!started && n > 0) {
      started = true;
      if (text.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < n) {
      if (quotePending) {
        quotePending = false;
        if (text.charCodeAt(i) === 34) {
          field += '"';
          i++;
          continue;
        }
        inQuotes = false;
      }
      if (inQuotes) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          if (field.length > MAX_CELL_CHARS) tooLong();
          break;
        }
        field += text.slice(i, q);
        if (field.length > MAX_CELL_CHARS) tooLong();
        i = q + 1;
        if (i >= n) {
          quotePending = true;
          break;
        }
        if (text.charCodeAt(i) === 34) {
          field += '"';
          i++;
        } else inQuotes = false;
        continue;
      }
      const c = text.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === 10) {
          i++;
          continue;
        }
      }
      if (c === 44) {
        endField();
        i++;
      } else if (c === 10) {
        endRecord();
        i++;
      } else if (c === 13) {
        endRecord();
        skipLf = true;
        i++;
      } else if (c === 34 && atFieldStart) {
        inQuotes = true;
        quoteRow = rowNo + 1;
        atFieldStart = false;
        i++;
      } else {
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13) break;
          j++;
        }
        field += text.slice(i, j);
        if (field.length > MAX_CELL_CHARS) tooLong();
        atFieldStart = false;
        i = j;
      }
    }
    return out;
  };

  const end = (): RawRow[] => {
    out = [];
    if (quotePending) {
      quotePending = false;
      inQuotes = false;
    }
    if (inQuotes) {
      throw new FileFormatError(
        'truncated',
        `第 ${quoteRow} 行的引号到文件末尾仍未闭合，文件可能不完整。 A quote opened on row ${quoteRow} is never closed; the file may be cut off.`,
        { rowNo: quoteRow },
      );
    }
    if (field !== '' || record.length > 0 || !atFieldStart) endRecord();
    return out;
  };

  return { push, end };
}
