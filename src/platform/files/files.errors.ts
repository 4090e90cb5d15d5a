import { AppError, type ErrorSpec } from '../errors.js';

/** Error codes of the file machinery (uploads and downloads of CSV / xlsx). */
export const FILES_ERRORS = {
  /** An uploaded file cannot be read as the table it claims to be; `rule` says why. */
  FILE_FORMAT_INVALID: { status: 422, title: 'Unreadable file 文件无法读取' },
} as const satisfies Record<string, ErrorSpec>;

/**
 * Why a file was refused. The first six are the brief's; `cell_too_long` bounds memory when a
 * file has no line breaks, `bad_header` refuses blank or duplicate column names.
 */
export type FileFormatRule =
  /** Bytes that are not valid in the detected encoding, or a character cut off at the end. */
  | 'encoding'
  /** The file ends early: an unterminated quote, a zip without its central directory. */
  | 'truncated'
  /** A CSV record with a different number of fields than the first one, or an xlsx value outside the header. */
  | 'ragged_row'
  /** Declared or detected as xlsx but not a readable workbook. */
  | 'not_xlsx'
  /** No non-empty row at all, or no such sheet. */
  | 'empty'
  /** More columns than MAX_COLUMNS. */
  | 'too_many_columns'
  /** One cell longer than MAX_CELL_CHARS (also what an unterminated quote in a huge file turns into). */
  | 'cell_too_long'
  /** A blank or duplicate column name in the header row. */
  | 'bad_header';

/**
 * A file refused for its format. An AppError (422 FILE_FORMAT_INVALID) so the HTTP layer
 * presents it as is; the message is bilingual, Chinese first.
 */
export class FileFormatError extends AppError {
  readonly rule: FileFormatRule;
  /** The spreadsheet row (1-based) the problem is on, when there is one. */
  readonly rowNo: number | undefined;
  /** The byte offset (0-based, in the uploaded file) of an encoding problem. */
  readonly byteOffset: number | undefined;

  constructor(rule: FileFormatRule, message: string, at: { rowNo?: number; byteOffset?: number } = {}) {
    super('FILE_FORMAT_INVALID', FILES_ERRORS.FILE_FORMAT_INVALID, message, {
      errors: [{ field: at.rowNo === undefined ? 'file' : `row ${at.rowNo}`, rule, message }],
    });
    this.name = 'FileFormatError';
    this.rule = rule;
    this.rowNo = at.rowNo;
    this.byteOffset = at.byteOffset;
  }
}
