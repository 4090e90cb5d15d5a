import type { SubjectKind } from '../../platform/vault/index.js';
import type { TSchemaItem } from './collection.schema.js';

/**
 * Pure rules for one value of one data item: type, length, code list. Messages name the rule
 * and the item, never the value, so no identifier can reach an answer, a log or a table.
 */

export type ValueResult = { ok: true; normalised: unknown } | { ok: false; rule: string; message: string };

const fail = (rule: string, message: string): ValueResult => ({ ok: false, rule, message });

/** The identifier kind an identifier item holds, read from its names; null when they do not say. */
export function identifierKindOf(item: Pick<TSchemaItem, 'name' | 'nameEn'>): SubjectKind | null {
  const text = `${item.name} ${item.nameEn}`.toLowerCase();
  if (/身份证|公民身份号码|身份号码|citizen_?id|id_?card|idno|sfzh/.test(text)) return 'citizen_id';
  if (/统一社会信用代码|信用代码|uscc|credit_?code|tyshxydm/.test(text)) return 'uscc';
  if (/注册号|登记号|registration/.test(text)) return 'registration_no';
  return null;
}

/**
 * The identifier kind of an item that is not the record's key but still holds an identifier
 * (a spouse's ID number, a parent company's credit code): its value is tokenised too. Stricter
 * than identifierKindOf, so that 身份证件类型 (a document type) is not mistaken for a number.
 */
export function secondaryIdentifierKindOf(item: Pick<TSchemaItem, 'name' | 'nameEn' | 'dataType'>): SubjectKind | null {
  if (item.dataType !== 'C') return null;
  const text = `${item.name} ${item.nameEn}`.toLowerCase();
  if (/身份证号|公民身份号码|身份号码|citizen_?id(_?no)?\b|id_?card_?no|sfzh/.test(text)) return 'citizen_id';
  if (/统一社会信用代码|信用代码|uscc|credit_?code|tyshxydm/.test(text)) return 'uscc';
  return null;
}

const CITIZEN_ID_LIKE = /\d{17}[\dXx]/g;
const USCC_LIKE = /[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/gi;

/** Masks every run of text shaped like a citizen ID number or a credit code (for text kept outside the vault). */
export function maskIdentifierShapes(text: string): string {
  return text.replace(CITIZEN_ID_LIKE, (m) => `${m.slice(0, 4)}${'*'.repeat(10)}${m.slice(14)}`).replace(USCC_LIKE, (m) => `${m.slice(0, 4)}${'*'.repeat(10)}${m.slice(14)}`);
}

/**
 * The allowed values of an inline code list (`正常/注销`, `A、B、C`, `1-男,2-女` is read as
 * written); null when the code list names a standard (`GB/T 2261.1 性别代码`) rather than
 * listing values: then it cannot be checked here.
 */
export function parseCodeList(codeList: string | null): string[] | null {
  if (!codeList) return null;
  const s = codeList.trim();
  if (/\b(GB|GA|DB|GB\/T|GA\/T)\b|标准|代码表|见附/i.test(s)) return null;
  const parts = s.split(/[/、,，|；;]/).map((p) => p.trim());
  if (parts.length < 2 || parts.some((p) => p.length === 0 || p.length > 50 || /\s/.test(p))) return null;
  return parts;
}

/** True when the value counts as absent (required check). */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

const DATE_FORMATS: RegExp[] = [/^(\d{4})-(\d{2})-(\d{2})$/, /^(\d{4})\/(\d{2})\/(\d{2})$/, /^(\d{4})(\d{2})(\d{2})$/];

/** A real calendar date in one of the accepted spellings, as YYYY-MM-DD; null otherwise. */
export function normaliseDate(raw: string): string | null {
  const s = raw.trim();
  for (const re of DATE_FORMATS) {
    const m = re.exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (y < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return `${m[1]}-${m[2]}-${m[3]}`;
  }
  return null;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO 8601 date-time as UTC ISO text; without an offset it is read as Beijing time (+08:00). */
export function normaliseDateTime(raw: string): string | null {
  const m = DATE_TIME.exec(raw.trim());
  if (!m) return null;
  const date = normaliseDate(`${m[1]}-${m[2]}-${m[3]}`);
  const [h, mi, sec] = [Number(m[4]), Number(m[5]), Number(m[6] ?? '0')];
  if (!date || h > 23 || mi > 59 || sec > 59) return null;
  let offset = m[8] ?? '+08:00';
  if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const ms = m[7] ? m[7].slice(0, 4).padEnd(4, '0') : '.000';
  const t = new Date(`${date}T${m[4]}:${m[5]}:${String(sec).padStart(2, '0')}${ms}${offset}`);
  return Number.isNaN(t.getTime()) ? null : t.toISOString();
}

const NUMERIC = /^[+-]?(\d+(\.\d+)?|\.\d+)$/;

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMERIC.test(value.trim())) return Number(value.trim());
  return null;
}

/** Digits of a number as written, sign and decimal point left out. */
function digitCount(value: unknown): number {
  const s = typeof value === 'number' ? String(value) : String(value).trim();
  return s.replace(/^[+-]/, '').replace('.', '').replace(/^0+(?=\d)/, '').length;
}

const TRUE_WORDS = new Set(['true', '1', '是', 'y', 'yes']);
const FALSE_WORDS = new Set(['false', '0', '否', 'n', 'no']);

/** Checks one present, non-blank value against its item and returns the normalised value. */
export function checkValue(item: TSchemaItem, value: unknown): ValueResult {
  const label = `${item.name} (${item.nameEn})`;
  let normalised: unknown;
  switch (item.dataType) {
    case 'C':
    case 'M': {
      if (typeof value !== 'string') return fail('type', `${label}: must be text 应为字符串`);
      normalised = value.trim();
      const len = [...(normalised as string)].length;
      if (item.length !== null && len > item.length) return fail('length', `${label}: at most ${item.length} characters 长度不得超过 ${item.length}`);
      break;
    }
    case 'N':
    case 'Y':
    case 'I':
    case 'F':
    case 'B': {
      const n = toNumber(value);
      if (n === null) return fail('type', `${label}: must be a number 应为数值`);
      if (item.dataType === 'I' && !Number.isInteger(n)) return fail('type', `${label}: must be a whole number 应为整数`);
      if ((item.dataType === 'N' || item.dataType === 'Y' || item.dataType === 'I') && item.length !== null && digitCount(value) > item.length) {
        return fail('length', `${label}: at most ${item.length} digits 位数不得超过 ${item.length}`);
      }
      normalised = n;
      break;
    }
    case 'D': {
      const d = typeof value === 'string' ? normaliseDate(value) : typeof value === 'number' ? normaliseDate(String(value)) : null;
      if (!d) return fail('date', `${label}: must be a real date YYYY-MM-DD (or YYYY/MM/DD, YYYYMMDD) 应为有效日期`);
      normalised = d;
      break;
    }
    case 'T': {
      const t = typeof value === 'string' ? normaliseDateTime(value) : null;
      if (!t) return fail('date_time', `${label}: must be an ISO 8601 date-time 应为有效的日期时间`);
      normalised = t;
      break;
    }
    case 'L': {
      if (typeof value === 'boolean') normalised = value;
      else {
        const s = String(value).trim().toLowerCase();
        if (TRUE_WORDS.has(s)) normalised = true;
        else if (FALSE_WORDS.has(s)) normalised = false;
        else return fail('type', `${label}: must be true/false (是/否, 1/0) 应为逻辑值`);
      }
      break;
    }
    case 'G':
      normalised = value;
      break;
  }
  const allowed = parseCodeList(item.codeList);
  if (allowed && (typeof normalised === 'string' || typeof normalised === 'number') && !allowed.includes(String(normalised))) {
    return fail('code_list', `${label}: must be one of ${allowed.join(' / ')} 不在代码表范围内`);
  }
  return { ok: true, normalised };
}
