import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { FieldError } from '../errors.js';
import { escapeCell } from './escape.js';

/** The columns the error report adds after the original ones; an import of a corrected report ignores them. */
export const REPORT_COLUMNS = { rowNo: '行号', field: '错误字段', reason: '错误原因' } as const;

/** One rejected row: its number in the upload, its original values and what is wrong with them. */
export type ReportRow = { rowNo: number; values: Record<string, string>; errors: FieldError[] };

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const ERROR_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFC7CE' } };

/**
 * exceljs's streaming writer does not push back: its sheet buffer writes into the zip entry
 * ignoring the answer, so committed rows pile up in memory while the zip deflates. Wait for the
 * zip entry (reached through exceljs internals, checked at run time) and for `out` to drain.
 */
async function relieve(ws: ExcelJS.Worksheet, out: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const pipes = (ws as unknown as { _stream?: { pipes?: unknown[] } })._stream?.pipes;
  const entry = pipes?.[0] as (Writable & { _writableState?: { needDrain?: boolean } }) | undefined;
  // exceljs pipes into a readable-stream v2 PassThrough, which lacks writableNeedDrain.
  if (entry && typeof entry.once === 'function' && entry._writableState?.needDrain === true) await once(entry, 'drain');
  if (out.writableNeedDrain) await once(out, 'drain');
}

/**
 * Writes the error report of an import as xlsx to `out`: one line per rejected row with the
 * original columns (the cells at fault shaded), then 行号, 错误字段 and 错误原因 (one line per
 * field). Streams with exceljs's WorkbookWriter, so memory stays bounded however many rows; every
 * text cell goes through escapeCell because the values are whatever the uploader typed.
 */
export async function writeErrorReport(rows: AsyncIterable<ReportRow>, header: string[], out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = 'Huitong 汇通';
  const ws = wb.addWorksheet('错误报告', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    ...header.map((h) => ({ width: Math.min(40, Math.max(10, h.length * 2 + 2)) })),
    { width: 8 },
    { width: 20 },
    { width: 60 },
  ];
  const top = ws.addRow([...header, REPORT_COLUMNS.rowNo, REPORT_COLUMNS.field, REPORT_COLUMNS.reason].map(escapeCell));
  top.font = { bold: true };
  top.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
  top.commit();

  const position = new Map(header.map((h, i) => [h, i + 1]));
  let written = 0;
  for await (const r of rows) {
    if (++written % 256 === 0) await relieve(ws, out);
    const fields = [...new Set(r.errors.map((e) => e.field))];
    const row = ws.addRow([
      ...header.map((h) => escapeCell(r.values[h] ?? '')),
      r.rowNo,
      escapeCell(fields.join('\n')),
      escapeCell(r.errors.map((e) => `${e.field}: ${e.message}`).join('\n')),
    ]);
    for (const f of fields) {
      const col = position.get(f);
      if (col !== undefined) row.getCell(col).fill = ERROR_FILL;
    }
    row.getCell(header.length + 2).alignment = { wrapText: true, vertical: 'top' };
    row.getCell(header.length + 3).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  ws.commit();
  await wb.commit();
  await finished(out);
}
