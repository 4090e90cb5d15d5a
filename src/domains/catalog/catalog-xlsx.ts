import ExcelJS from 'exceljs';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { type FieldError, platformError } from '../../platform/errors.js';
import { escapeCell, unescapeCell } from '../../platform/files/index.js';
import { catalogError } from './catalog.errors.js';
import type { TVersion } from './catalog.present.js';
import {
  type CLASSIFICATIONS,
  DATA_TYPES,
  type FORMAT_CATEGORIES,
  type OPEN_TYPES,
  type SHARE_MANNERS,
  type SHARE_TYPES,
  type TEntryFields,
  type UPDATE_FREQUENCIES,
} from './catalog.schema.js';
import { parseEntryFields } from './catalog.service.js';

/*
 * The spreadsheet departments fill in (批量导入模板) and the export that produces the same layout.
 *
 * Sheet 目录: row 1 the Chinese column names, row 2 the English field keys (so people and
 * programs both can read it), one entry per row from row 3. Sheet 信息项: the same two header
 * rows, one data item per row, linked to its entry by 资源名称. The import finds columns by
 * either header (Chinese name or English key), so a department may reorder or drop optional
 * columns, and skips row 2 when it holds the keys.
 */

/** Sheet names; the import looks sheets up by these names. */
export const ENTRY_SHEET = '目录';
export const ITEM_SHEET = '信息项';

/** Upper bounds of one import; beyond them a department splits the file. */
export const MAX_IMPORT_ENTRIES = 2_000;
export const MAX_IMPORT_ITEMS = 20_000;
/** What the unpacked workbook may declare in total; guards memory against zip bombs. */
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;

/** A field error that also names the sheet row, for the import page's row column. */
export type ImportFieldError = FieldError & { row?: number };

/** One row of sheet 目录: its validated fields, or null when the row has errors (reported separately). */
export type ParsedEntry = { row: number; name: string; fields: TEntryFields | null };

// Chinese labels of the enums; `satisfies` makes a new enum value fail tsc until it has a label.
const CLASSIFICATION_LABELS = { basic: '基础', thematic: '主题', departmental: '部门' } as const satisfies Record<(typeof CLASSIFICATIONS)[number], string>;
const SHARE_TYPE_LABELS = { unconditional: '无条件共享', conditional: '有条件共享', none: '不予共享' } as const satisfies Record<(typeof SHARE_TYPES)[number], string>;
const OPEN_TYPE_LABELS = { unconditional: '无条件开放', conditional: '有条件开放', none: '不予开放' } as const satisfies Record<(typeof OPEN_TYPES)[number], string>;
const SHARE_MANNER_LABELS = { api: '接口', file: '文件', query: '查询' } as const satisfies Record<(typeof SHARE_MANNERS)[number], string>;
const UPDATE_FREQUENCY_LABELS = {
  realtime: '实时',
  daily: '每日',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
  half_yearly: '每半年',
  yearly: '每年',
  irregular: '不定期',
} as const satisfies Record<(typeof UPDATE_FREQUENCIES)[number], string>;
const FORMAT_CATEGORY_LABELS = {
  electronic_file: '电子文件',
  spreadsheet: '电子表格',
  database: '数据库',
  image: '图形图像',
  streaming: '流媒体',
  self_describing: '自描述格式',
  service_interface: '服务接口',
} as const satisfies Record<(typeof FORMAT_CATEGORIES)[number], string>;
const DATA_TYPE_LABELS = {
  C: '字符',
  N: '数值',
  Y: '货币',
  D: '日期',
  T: '日期时间',
  L: '逻辑',
  M: '备注',
  G: '通用',
  B: '双精度',
  I: '整型',
  F: '浮点',
} as const satisfies Record<(typeof DATA_TYPES)[number], string>;

type Labels = Readonly<Record<string, string>>;

/** Accepted spellings → enum value: the Chinese label, the English value, and common short forms people type. */
function lookupOf(labels: Labels, extra: (value: string, label: string) => string[] = () => []): Map<string, string> {
  const m = new Map<string, string>();
  for (const [value, label] of Object.entries(labels)) {
    for (const s of [value, label, ...extra(value, label)]) m.set(normalise(s), value);
  }
  return m;
}

function normalise(s: string): string {
  return s.replace(/\s+/g, '').toLowerCase();
}

type EntryKey = Exclude<keyof TEntryFields, 'items'>;
type EntryColumn =
  | { key: EntryKey; label: string; kind: 'text'; width: number; required?: true }
  | { key: EntryKey; label: string; kind: 'list'; width: number }
  | { key: EntryKey; label: string; kind: 'enum' | 'enumList'; width: number; labels: Labels; lookup: Map<string, string>; required?: true }
  | { key: 'code' | 'provider' | 'publishedAt'; label: string; kind: 'readonly'; width: number };

const withoutSuffix = (_v: string, label: string) => [label.replace(/(共享|开放)$/, '')];

/**
 * The columns of sheet 目录, in the order of the 2017 guideline. The last three are written by
 * the export for reference and ignored by the import: codes are generated, the provider is the
 * importing department, and an import makes drafts, not published entries.
 */
const ENTRY_COLUMNS: readonly EntryColumn[] = [
  { key: 'name', label: '信息资源名称', kind: 'text', width: 28, required: true },
  { key: 'nameEn', label: '英文名称', kind: 'text', width: 28 },
  { key: 'summary', label: '摘要', kind: 'text', width: 48, required: true },
  { key: 'classification', label: '信息资源分类', kind: 'enum', width: 12, labels: CLASSIFICATION_LABELS, lookup: lookupOf(CLASSIFICATION_LABELS, (_v, l) => [`${l}类`, `${l}信息资源`]), required: true },
  { key: 'classCode', label: '分类代码', kind: 'text', width: 12, required: true },
  { key: 'keywords', label: '关键词', kind: 'list', width: 20 },
  { key: 'formatCategory', label: '格式分类', kind: 'enum', width: 12, labels: FORMAT_CATEGORY_LABELS, lookup: lookupOf(FORMAT_CATEGORY_LABELS), required: true },
  { key: 'formatType', label: '格式类型', kind: 'text', width: 12 },
  { key: 'shareType', label: '共享类型', kind: 'enum', width: 12, labels: SHARE_TYPE_LABELS, lookup: lookupOf(SHARE_TYPE_LABELS, withoutSuffix), required: true },
  { key: 'shareConditions', label: '共享条件', kind: 'text', width: 30 },
  { key: 'legalBasis', label: '法律依据', kind: 'text', width: 30 },
  { key: 'shareManner', label: '共享方式', kind: 'enumList', width: 14, labels: SHARE_MANNER_LABELS, lookup: lookupOf(SHARE_MANNER_LABELS, (_v, l) => [`${l}方式`, l === '接口' ? 'API' : l]) },
  { key: 'openType', label: '开放类型', kind: 'enum', width: 12, labels: OPEN_TYPE_LABELS, lookup: lookupOf(OPEN_TYPE_LABELS, withoutSuffix), required: true },
  { key: 'openConditions', label: '开放条件', kind: 'text', width: 30 },
  { key: 'updateFrequency', label: '更新周期', kind: 'enum', width: 10, labels: UPDATE_FREQUENCY_LABELS, lookup: lookupOf(UPDATE_FREQUENCY_LABELS), required: true },
  { key: 'relatedSystems', label: '所属系统', kind: 'list', width: 24 },
  { key: 'relatedResourceCodes', label: '关联资源代码', kind: 'list', width: 20 },
  { key: 'scopeOfUse', label: '使用范围', kind: 'text', width: 30 },
  { key: 'sharingPeriod', label: '共享期限', kind: 'text', width: 12 },
  { key: 'code', label: '信息资源代码', kind: 'readonly', width: 18 },
  { key: 'provider', label: '提供方', kind: 'readonly', width: 22 },
  { key: 'publishedAt', label: '发布日期', kind: 'readonly', width: 12 },
];

type ItemKey = 'entryName' | 'name' | 'nameEn' | 'dataType' | 'length' | 'codeList' | 'required' | 'isIdentifier';
type ItemColumn = { key: ItemKey; label: string; width: number; required?: true };

/** The columns of sheet 信息项. */
const ITEM_COLUMNS: readonly ItemColumn[] = [
  { key: 'entryName', label: '资源名称', width: 28, required: true },
  { key: 'name', label: '信息项名称', width: 22, required: true },
  { key: 'nameEn', label: '英文标识符', width: 22, required: true },
  { key: 'dataType', label: '数据类型', width: 10, required: true },
  { key: 'length', label: '长度', width: 8 },
  { key: 'codeList', label: '代码集', width: 30 },
  { key: 'required', label: '是否必填', width: 10 },
  { key: 'isIdentifier', label: '是否标识', width: 10 },
];

const DATA_TYPE_LOOKUP = lookupOf(DATA_TYPE_LABELS, (v, l) => [`${v}${l}`, `${v}${l}型`, `${l}型`]);
const TRUE_WORDS = new Set(['是', 'y', 'yes', 'true', '1', '√', '✓', '必填', '标识']);
const FALSE_WORDS = new Set(['否', 'n', 'no', 'false', '0', '']);
/** How list cells are split; the export writes `、`, people also type commas, semicolons and line breaks. */
const LIST_SEPARATOR = /[、,，;；\n]+/;

/** The text of a cell whatever exceljs made of it: rich text, hyperlinks, formula results, numbers. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return unescapeCell(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return unescapeCell(value.richText.map((r) => r.text).join(''));
  if ('hyperlink' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('error' in value) return String(value.error);
  return '';
}

function colLetter(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** Readable locator of a cell: sheet, row, field key, e.g. `目录!R5.shareType`. */
function at(sheet: string, row: number, key: string): string {
  return `${sheet}!R${row}.${key}`;
}

type Header<K extends string> = { columns: Map<K, number>; dataStart: number };

/**
 * Maps header cells to known columns (by Chinese name or English key) and reports unknown,
 * duplicate and missing required ones. Row 2 is a key row when every cell in it is a key.
 */
function readHeader<K extends string>(
  ws: ExcelJS.Worksheet,
  sheet: string,
  defs: readonly { key: K; label: string; required?: true }[],
  errors: ImportFieldError[],
): Header<K> {
  const byName = new Map<string, K>();
  for (const d of defs) {
    byName.set(normalise(d.label), d.key);
    byName.set(normalise(d.key), d.key);
  }
  const columns = new Map<K, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const text = cellText(cell.value).trim();
    if (!text) return;
    const key = byName.get(normalise(text));
    if (!key) {
      errors.push({ field: `${sheet}!${colLetter(col)}1`, row: 1, rule: 'unknown_column', message: `unknown column “${text}” 未知的列，请使用模板中的列名` });
    } else if (columns.has(key)) {
      errors.push({ field: `${sheet}!${colLetter(col)}1`, row: 1, rule: 'duplicate_column', message: `column “${text}” appears twice 列重复` });
    } else {
      columns.set(key, col);
    }
  });
  for (const d of defs) {
    if (d.required && !columns.has(d.key)) {
      errors.push({ field: `${sheet}!R1.${d.key}`, row: 1, rule: 'missing_column', message: `required column missing 缺少必填列“${d.label}”（${d.key}）` });
    }
  }
  const keys = new Set<string>(defs.map((d) => d.key));
  const second = ws.getRow(2);
  let cells = 0;
  let allKeys = true;
  second.eachCell((cell) => {
    const text = cellText(cell.value).trim();
    if (!text) return;
    cells++;
    if (!keys.has(text)) allKeys = false;
  });
  return { columns, dataStart: cells > 0 && allKeys ? 3 : 2 };
}

function isBlankRow(row: ExcelJS.Row): boolean {
  let blank = true;
  row.eachCell((cell) => {
    if (cellText(cell.value).trim()) blank = false;
  });
  return blank;
}

/** Data rows of a sheet below its header, blank rows skipped. */
function dataRows(ws: ExcelJS.Worksheet, start: number): ExcelJS.Row[] {
  const rows: ExcelJS.Row[] = [];
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (n >= start && !isBlankRow(row)) rows.push(row);
  });
  return rows;
}

/**
 * Sums the uncompressed sizes the zip's central directory declares, or null when the bytes are
 * not a zip. exceljs inflates the whole file in memory, so this check runs before it does.
 */
function declaredUnzippedSize(buf: Buffer): number | null {
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return null;
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) !== 0x06054b50) continue;
    const count = buf.readUInt16LE(i + 10);
    let off = buf.readUInt32LE(i + 16);
    let total = 0;
    for (let n = 0; n < count; n++) {
      if (off + 46 > buf.length || buf.readUInt32LE(off) !== 0x02014b50) return null;
      const size = buf.readUInt32LE(off + 24);
      // ZIP64 markers: nothing a spreadsheet of this size needs; treat as oversized.
      total += size === 0xffffffff ? Number.POSITIVE_INFINITY : size;
      off += 46 + buf.readUInt16LE(off + 28) + buf.readUInt16LE(off + 30) + buf.readUInt16LE(off + 32);
    }
    return total;
  }
  return null;
}

/** Opens the workbook or throws CATALOG_IMPORT_UNREADABLE / PAYLOAD_TOO_LARGE; nothing else leaks out of exceljs. */
async function loadWorkbook(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const unzipped = declaredUnzippedSize(buffer);
  if (unzipped === null) {
    throw catalogError('CATALOG_IMPORT_UNREADABLE', 'The file is not an .xlsx workbook (an .xls or .csv file must first be saved as .xlsx). 文件不是 xlsx 格式，请另存为 .xlsx 后上传。');
  }
  if (unzipped > MAX_UNZIPPED_BYTES) {
    throw platformError('PAYLOAD_TOO_LARGE', `The workbook unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB. 表格解压后过大。`);
  }
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads.
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch {
    throw catalogError('CATALOG_IMPORT_UNREADABLE', 'The workbook could not be read; save it again as .xlsx. 无法读取该表格，请重新另存为 .xlsx。');
  }
  return wb;
}

type RawItem = { row: number; fields: Record<string, unknown> };

/** One row of sheet 目录 → the raw field object parseEntryFields expects, with cell-level errors. */
function readEntryRow(row: ExcelJS.Row, columns: Map<string, number>, errors: ImportFieldError[]): { fields: Record<string, unknown>; badKeys: Set<string> } {
  const fields: Record<string, unknown> = {};
  const badKeys = new Set<string>();
  const bad = (key: string, rule: string, message: string) => {
    badKeys.add(key);
    errors.push({ field: at(ENTRY_SHEET, row.number, key), row: row.number, rule, message });
  };
  for (const col of ENTRY_COLUMNS) {
    if (col.kind === 'readonly') continue;
    const index = columns.get(col.key);
    if (index === undefined) continue;
    const text = cellText(row.getCell(index).value).trim();
    switch (col.kind) {
      case 'text':
        fields[col.key] = text;
        break;
      case 'list':
        fields[col.key] = text ? text.split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean) : [];
        break;
      case 'enum': {
        if (!text) {
          if (col.required) bad(col.key, 'required', `${col.label}: required 必填`);
          break;
        }
        const value = col.lookup.get(normalise(text));
        if (value) fields[col.key] = value;
        else bad(col.key, 'enum', `${col.label}: “${text}” is not one of ${Object.values(col.labels).join('/')} 取值无效`);
        break;
      }
      case 'enumList': {
        const values: string[] = [];
        for (const part of text ? text.split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean) : []) {
          const value = col.lookup.get(normalise(part));
          if (value) {
            if (!values.includes(value)) values.push(value);
          } else {
            bad(col.key, 'enum', `${col.label}: “${part}” is not one of ${Object.values(col.labels).join('/')} 取值无效`);
          }
        }
        fields[col.key] = values;
        break;
      }
    }
  }
  return { fields, badKeys };
}

/** One row of sheet 信息项 → a raw data item, with cell-level errors. */
function readItemRow(row: ExcelJS.Row, columns: Map<ItemKey, number>, errors: ImportFieldError[]): { entryName: string; item: RawItem; badKeys: Set<string> } {
  const badKeys = new Set<string>();
  const bad = (key: string, rule: string, message: string) => {
    badKeys.add(key);
    errors.push({ field: at(ITEM_SHEET, row.number, key), row: row.number, rule, message });
  };
  const cell = (key: ItemKey) => {
    const index = columns.get(key);
    return index === undefined ? null : row.getCell(index).value;
  };
  const text = (key: ItemKey) => cellText(cell(key)).trim();
  const fields: Record<string, unknown> = { name: text('name'), nameEn: text('nameEn') };

  const dataType = text('dataType');
  const type = DATA_TYPE_LOOKUP.get(normalise(dataType));
  if (type) fields.dataType = type;
  else bad('dataType', dataType ? 'enum' : 'required', `数据类型: “${dataType}” is not one of ${Object.keys(DATA_TYPE_LABELS).join('/')} 数据类型无效`);

  const length = cell('length');
  const lengthText = cellText(length).trim();
  if (!lengthText) fields.length = null;
  else if (/^\d+$/.test(lengthText)) fields.length = Number(lengthText);
  else bad('length', 'integer', `长度: “${lengthText}” is not a whole number 长度须为正整数`);

  const codeList = text('codeList');
  fields.codeList = codeList || null;

  for (const [key, label] of [['required', '是否必填'], ['isIdentifier', '是否标识']] as const) {
    const v = cell(key);
    if (typeof v === 'boolean') {
      fields[key] = v;
      continue;
    }
    const word = normalise(cellText(v));
    if (TRUE_WORDS.has(word)) fields[key] = true;
    else if (FALSE_WORDS.has(word)) fields[key] = false;
    else bad(key, 'boolean', `${label}: “${cellText(v)}” — write 是 or 否 请填写“是”或“否”`);
  }
  return { entryName: text('entryName'), item: { row: row.number, fields }, badKeys };
}

const CLASS_DIGITS = { basic: '1', thematic: '2', departmental: '3' } as const;

/** Valid stand-ins for entry fields that failed on their own; see validateEntry. */
const ENTRY_STAND_INS: Partial<Record<EntryKey, (input: Record<string, unknown>) => unknown>> = {
  name: () => '占位名称',
  summary: () => '占位',
  classification: (input) => {
    const digit = typeof input.classCode === 'string' ? input.classCode[0] : undefined;
    return Object.entries(CLASS_DIGITS).find(([, d]) => d === digit)?.[0] ?? 'basic';
  },
  classCode: (input) => `${CLASS_DIGITS[input.classification as keyof typeof CLASS_DIGITS] ?? '1'}00001`,
  formatCategory: () => 'database',
  shareType: () => 'unconditional',
  openType: () => 'none',
  updateFrequency: () => 'irregular',
};
const ITEM_STAND_INS: Record<string, (i: number) => unknown> = {
  name: (i) => `占位信息项${i}`,
  nameEn: (i) => `stand_in_${i}`,
  dataType: () => 'M',
  length: () => null,
  codeList: () => null,
};

/** The fields each cross-field rule of ZEntryFields reads. */
const RULE_INPUTS: Record<string, string[]> = {
  class_prefix: ['classification', 'classCode'],
  legal_basis_required: ['shareType'],
  share_conditions_required: ['shareType'],
  share_manner_required: ['shareType'],
  open_conditions_required: ['openType'],
};

/**
 * parseEntryFields, made to report every problem of a row: zod runs the cross-field rules
 * (legal basis, class prefix, lengths) only once each field is valid on its own, so a row with
 * a bad share type would hide its missing lengths. A second pass replaces the fields that failed
 * with valid stand-ins and adds what the rules then find.
 */
function validateEntry(input: Record<string, unknown>): ReturnType<typeof parseEntryFields> {
  const first = parseEntryFields(input);
  if (first.ok) return first;
  const patched: Record<string, unknown> = { ...input };
  const items = ((input.items as Record<string, unknown>[] | undefined) ?? []).slice(0, 500).map((i) => ({ ...i }));
  const entryKeys = new Set<string>();
  for (const e of first.errors) {
    const m = /^items\[(\d+)\]\.(\w+)/.exec(e.field);
    if (m) {
      const item = items[Number(m[1])];
      const standIn = ITEM_STAND_INS[m[2] as string];
      if (item && standIn) item[m[2] as string] = standIn(Number(m[1]));
    } else {
      entryKeys.add(e.field.split(/[.[]/)[0] ?? e.field);
    }
  }
  // Classification first: the class-code stand-in follows it, and the other way round.
  for (const key of ['classification', ...entryKeys].filter((k, i, all) => entryKeys.has(k) && all.indexOf(k) === i)) {
    const standIn = ENTRY_STAND_INS[key as EntryKey];
    if (standIn) patched[key] = standIn(patched);
  }
  patched.items = items;
  const second = parseEntryFields(patched);
  if (second.ok) return first;
  const seen = new Set(first.errors.map((e) => e.field));
  // A rule that reads a stand-in would judge a value nobody wrote.
  const readsStandIn = (rule: string) => (RULE_INPUTS[rule] ?? []).some((k) => entryKeys.has(k));
  return { ok: false, errors: [...first.errors, ...second.errors.filter((e) => !seen.has(e.field) && !readsStandIn(e.rule))] };
}

/** Orders problems as a person fixes them: file and sheet level first, then 目录 rows, then 信息项 rows. */
export function sortImportErrors(errors: ImportFieldError[]): ImportFieldError[] {
  const sheetOrder = (e: ImportFieldError) => (e.field.startsWith(ITEM_SHEET) ? 1 : 0);
  return [...errors].sort((a, b) => sheetOrder(a) - sheetOrder(b) || (a.row ?? 0) - (b.row ?? 0));
}

/**
 * Reads a catalog workbook and validates every row. Reports each bad cell, unknown or missing
 * columns, missing sheets, duplicate names in the file and items pointing at unknown entries,
 * all at once; the caller saves nothing unless `errors` is empty. Throws only when the bytes
 * are not a readable workbook.
 */
export async function parseCatalogWorkbook(buffer: Buffer): Promise<{ entries: ParsedEntry[]; errors: ImportFieldError[] }> {
  const wb = await loadWorkbook(buffer);
  const errors: ImportFieldError[] = [];
  const entrySheet = wb.getWorksheet(ENTRY_SHEET);
  const itemSheet = wb.getWorksheet(ITEM_SHEET);
  for (const [name, ws] of [[ENTRY_SHEET, entrySheet], [ITEM_SHEET, itemSheet]] as const) {
    if (!ws) errors.push({ field: name, rule: 'missing_sheet', message: `sheet “${name}” is missing 缺少工作表“${name}”` });
  }
  if (!entrySheet || !itemSheet) return { entries: [], errors };

  const entryHeader = readHeader(entrySheet, ENTRY_SHEET, ENTRY_COLUMNS, errors);
  const itemHeader = readHeader(itemSheet, ITEM_SHEET, ITEM_COLUMNS, errors);
  // Without its columns no row can be read meaningfully; say what is wrong with the header first.
  if (errors.some((e) => e.rule === 'missing_column')) return { entries: [], errors };

  const entryRows = dataRows(entrySheet, entryHeader.dataStart);
  const itemRows = dataRows(itemSheet, itemHeader.dataStart);
  if (entryRows.length > MAX_IMPORT_ENTRIES) {
    errors.push({ field: ENTRY_SHEET, rule: 'max_rows', message: `${entryRows.length} entries; at most ${MAX_IMPORT_ENTRIES} per file 每个文件最多 ${MAX_IMPORT_ENTRIES} 条目录，请分批导入` });
  }
  if (itemRows.length > MAX_IMPORT_ITEMS) {
    errors.push({ field: ITEM_SHEET, rule: 'max_rows', message: `${itemRows.length} data items; at most ${MAX_IMPORT_ITEMS} per file 每个文件最多 ${MAX_IMPORT_ITEMS} 个信息项，请分批导入` });
  }
  if (errors.some((e) => e.rule === 'max_rows')) return { entries: [], errors };
  if (entryRows.length === 0) {
    errors.push({ field: ENTRY_SHEET, rule: 'empty', message: 'no entries in the sheet 工作表中没有目录' });
    return { entries: [], errors };
  }

  type Pending = { row: number; name: string; fields: Record<string, unknown>; badKeys: Set<string>; items: (RawItem & { badKeys: Set<string> })[] };
  const pending: Pending[] = [];
  const byName = new Map<string, Pending>();
  for (const row of entryRows) {
    const { fields, badKeys } = readEntryRow(row, entryHeader.columns as Map<string, number>, errors);
    const name = typeof fields.name === 'string' ? fields.name : '';
    const p: Pending = { row: row.number, name, fields, badKeys, items: [] };
    pending.push(p);
    if (!name) continue;
    const first = byName.get(name);
    if (first) {
      badKeys.add('name');
      errors.push({ field: at(ENTRY_SHEET, row.number, 'name'), row: row.number, rule: 'unique', message: `“${name}” is also on row ${first.row} 名称与第 ${first.row} 行重复` });
    } else {
      byName.set(name, p);
    }
  }

  for (const row of itemRows) {
    const { entryName, item, badKeys } = readItemRow(row, itemHeader.columns, errors);
    const owner = byName.get(entryName);
    if (!owner) {
      errors.push({
        field: at(ITEM_SHEET, row.number, 'entryName'),
        row: row.number,
        rule: entryName ? 'unknown_entry' : 'required',
        message: entryName ? `no entry named “${entryName}” in sheet ${ENTRY_SHEET} 资源名称在“${ENTRY_SHEET}”表中不存在` : '资源名称: required 必填',
      });
      continue;
    }
    owner.items.push({ ...item, badKeys });
  }

  const entries: ParsedEntry[] = [];
  for (const p of pending) {
    const input = { ...p.fields, items: p.items.map((i) => i.fields) };
    const result = validateEntry(input);
    const cellBad = p.badKeys.size > 0 || p.items.some((i) => i.badKeys.size > 0) || (p.name !== '' && byName.get(p.name) !== p);
    if (!result.ok) {
      for (const e of result.errors) {
        // Point item problems at their row in 信息项; skip what a cell check already reported.
        const m = /^items\[(\d+)\]\.?(.*)$/.exec(e.field);
        const item = m ? p.items[Number(m[1])] : undefined;
        if (item && m) {
          const key = m[2] || 'name';
          if (item.badKeys.has(key)) continue;
          errors.push({ field: at(ITEM_SHEET, item.row, key), row: item.row, rule: e.rule, message: e.message });
        } else {
          const key = e.field.split(/[.[]/)[0] || e.field;
          if (p.badKeys.has(key)) continue;
          errors.push({ field: at(ENTRY_SHEET, p.row, e.field), row: p.row, rule: e.rule, message: e.message });
        }
      }
    }
    entries.push({ row: p.row, name: p.name, fields: result.ok && !cellBad ? result.fields : null });
  }
  return { entries, errors: sortImportErrors(errors) };
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const KEY_FONT: Partial<ExcelJS.Font> = { italic: true, color: { argb: 'FF808080' }, size: 9 };

/** Offers the allowed Chinese labels as a drop-down; a warning only, so English values still go in. */
function listValidation(values: readonly string[]): ExcelJS.DataValidation {
  return { type: 'list', allowBlank: true, showErrorMessage: true, errorStyle: 'warning', formulae: [`"${values.join(',')}"`] };
}

function addHeader(ws: ExcelJS.Worksheet, defs: readonly { key: string; label: string; width: number; required?: true }[]): void {
  ws.columns = defs.map((d) => ({ key: d.key, width: d.width }));
  const labels = ws.getRow(1);
  const keys = ws.getRow(2);
  defs.forEach((d, i) => {
    const label = labels.getCell(i + 1);
    label.value = d.label;
    label.font = { bold: true, color: d.required ? { argb: 'FFC00000' } : { argb: 'FF000000' } };
    label.fill = HEADER_FILL;
    const key = keys.getCell(i + 1);
    key.value = d.key;
    key.font = KEY_FONT;
  });
  ws.views = [{ state: 'frozen', ySplit: 2, xSplit: 1 }];
}

/** Rows a department gets drop-downs for beyond the exported ones, to add entries in place. */
const SPARE_ROWS = 200;

/**
 * Writes versions into the import layout, so an export is also a filled-in template. Every text
 * cell goes through escapeCell: catalog text comes from many departments and must not run as a
 * formula on someone else's desktop.
 */
export async function buildCatalogWorkbook(versions: TVersion[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Huitong 汇通';
  const entries = wb.addWorksheet(ENTRY_SHEET);
  const items = wb.addWorksheet(ITEM_SHEET);
  addHeader(entries, ENTRY_COLUMNS);
  addHeader(items, ITEM_COLUMNS);
  const text = (s: string) => escapeCell(s);

  versions.forEach((v, i) => {
    const row = entries.getRow(3 + i);
    ENTRY_COLUMNS.forEach((col, c) => {
      let value: string;
      switch (col.kind) {
        case 'text':
          value = String(v[col.key] ?? '');
          break;
        case 'list':
          value = (v[col.key] as string[]).join('、');
          break;
        case 'enum':
          value = col.labels[v[col.key] as string] ?? String(v[col.key]);
          break;
        case 'enumList':
          value = (v[col.key] as string[]).map((x) => col.labels[x] ?? x).join('、');
          break;
        case 'readonly':
          value = col.key === 'code' ? v.code : col.key === 'provider' ? v.departmentName : v.publishedAt ? todayInShanghai(new Date(v.publishedAt)) : '';
          break;
      }
      row.getCell(c + 1).value = text(value);
    });
  });

  let itemRow = 3;
  for (const v of versions) {
    for (const item of v.items) {
      items.getRow(itemRow++).values = [
        text(v.name),
        text(item.name),
        text(item.nameEn),
        item.dataType,
        item.length ?? null,
        item.codeList === null ? null : text(item.codeList),
        item.required ? '是' : '否',
        item.isIdentifier ? '是' : '否',
      ];
    }
  }

  // Text format keeps codes such as 101001 from turning into numbers when people type them.
  const classCodeCol = ENTRY_COLUMNS.findIndex((c) => c.key === 'classCode') + 1;
  const lastEntryRow = 2 + versions.length + SPARE_ROWS;
  for (let r = 3; r <= lastEntryRow; r++) {
    const row = entries.getRow(r);
    row.getCell(classCodeCol).numFmt = '@';
    ENTRY_COLUMNS.forEach((col, c) => {
      if (col.kind === 'enum') row.getCell(c + 1).dataValidation = listValidation(Object.values(col.labels));
    });
  }
  const typeCol = ITEM_COLUMNS.findIndex((c) => c.key === 'dataType') + 1;
  const yesNoCols = [ITEM_COLUMNS.findIndex((c) => c.key === 'required') + 1, ITEM_COLUMNS.findIndex((c) => c.key === 'isIdentifier') + 1];
  for (let r = 3; r < itemRow + SPARE_ROWS; r++) {
    const row = items.getRow(r);
    row.getCell(typeCol).dataValidation = listValidation(DATA_TYPES);
    for (const c of yesNoCols) row.getCell(c).dataValidation = listValidation(['是', '否']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
