export { csvEscapeCell, escapeCell, unescapeCell } from './escape.js';
export { createChunkDecoder, createDecodeStream, DETECT_SAMPLE_BYTES, detectEncoding, type TextEncoding } from './encoding.js';
export { FILES_ERRORS, FileFormatError, type FileFormatRule } from './files.errors.js';
export { MAX_CELL_CHARS, MAX_COLUMNS } from './csv.js';
export { type RawRow, type ReadRowsOptions, readRows, readTable, type TableRow } from './rows.js';
export { REPORT_COLUMNS, type ReportRow, writeErrorReport } from './report.js';
export { CJK_FONT_CANDIDATES, type CjkFont, CjkFontMissingError, parseFontSetting, resolveCjkFont, applyCjkFont } from './cjk-font.js';
