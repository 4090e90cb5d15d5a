import { maskIdentifier, type SubjectKind } from '../../../platform/vault/index.js';

/**
 * Partial masking (部分脱敏) of served values, chosen by what a data item holds, read from its
 * names and data type: a person's name keeps its first and last character (张*三, 李*), a phone
 * number its first three and last four digits (138****5678), an identifier the form of
 * maskIdentifier, an address its first six characters, a date its year; anything else keeps its
 * first and last character. A masked value is always text (or null when there is no value).
 */

/** How a granted item is served: in full, or partially masked. */
export const MASKINGS = ['none', 'partial'] as const;
export type Masking = (typeof MASKINGS)[number];

/** What a data item holds, as far as masking cares. */
export type ValueKind = 'person_name' | 'phone' | 'address' | 'date' | 'date_time' | 'other';

/** The names and data type of a data item (catalog / dataset schema). */
export type ItemShape = { name: string; nameEn: string; dataType?: string | undefined };

const PHONE = /电话|手机|联系方式|phone|mobile|(^|_)tel($|_)|telephone/i;
const ADDRESS = /地址|住址|住所|居所|address|(^|_)addr($|_)/i;
const DATE_WORDS = /日期|生日|(^|_)date($|_)|_on$|birthday/i;
/** 姓名 is a person's name; 名称 (发证机关名称, 单位名称) names an organisation or a thing. */
const PERSON_NAME_ZH = /姓名|名字/;
const PERSON_NAME_EN = /^(name|full_?name|person_?name|real_?name|[a-z]+_person_name|holder_name|applicant_name|spouse_name|contact_name)$/i;

/** The kind of value an item holds, for masking. */
export function valueKindOf(item: ItemShape): ValueKind {
  if (item.dataType === 'D') return 'date';
  if (item.dataType === 'T') return 'date_time';
  const zh = item.name;
  const en = item.nameEn;
  if (PHONE.test(zh) || PHONE.test(en)) return 'phone';
  if (ADDRESS.test(zh) || ADDRESS.test(en)) return 'address';
  if (PERSON_NAME_ZH.test(zh) || (!zh.includes('名称') && PERSON_NAME_EN.test(en))) return 'person_name';
  if (DATE_WORDS.test(zh) || DATE_WORDS.test(en)) return 'date';
  return 'other';
}

/** Text as an array of code points, so a CJK character or an emoji is one unit. */
const chars = (s: string) => [...s];

/** Keeps the first and last character: 张*三, 欧**锋; two characters keep the first (李*); one is hidden. */
function keepEnds(s: string): string {
  const c = chars(s);
  if (c.length <= 1) return '*';
  if (c.length === 2) return `${c[0]}*`;
  return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
}

/** 138****5678: the first three and last four digits of a number of eight or more characters. */
function maskPhone(s: string): string {
  const c = chars(s);
  if (c.length < 8) return keepEnds(s);
  return `${c.slice(0, 3).join('')}${'*'.repeat(c.length - 7)}${c.slice(-4).join('')}`;
}

/** The first six characters, the rest as asterisks (广东省惠州市****). */
function maskAddress(s: string): string {
  const c = chars(s);
  if (c.length <= 6) return keepEnds(s);
  return `${c.slice(0, 6).join('')}${'*'.repeat(c.length - 6)}`;
}

/** The year only: 1985-**-**; date-times likewise (every digit after the year hidden). */
function maskDate(s: string): string {
  const m = /^(\d{4})(.*)$/s.exec(s);
  if (!m) return keepEnds(s);
  return `${m[1]}${(m[2] as string).replace(/\d/g, '*')}`;
}

/** The text form of a stored value. */
function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A value masked partially by the kind of the item that holds it; null stays null. */
export function maskValue(kind: ValueKind, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = asText(value);
  if (s.length === 0) return '';
  switch (kind) {
    case 'person_name':
      return keepEnds(s);
    case 'phone':
      return maskPhone(s);
    case 'address':
      return maskAddress(s);
    case 'date':
    case 'date_time':
      return maskDate(s);
    case 'other':
      return keepEnds(s);
  }
}

/** An identifier served under a grant: in full only with masking 'none', else its masked form. */
export function presentIdentifier(kind: SubjectKind, value: string, masking: Masking): string {
  return masking === 'none' ? value : maskIdentifier(kind, value);
}

/** A value served under a grant: unchanged with masking 'none', else masked by the item's kind. */
export function presentValue(kind: ValueKind, value: unknown, masking: Masking): unknown {
  if (value === undefined) return null;
  return masking === 'none' ? value : maskValue(kind, value);
}

const CITIZEN_ID_RUN = /\d{17}[\dXx]/g;
const USCC_RUN = /[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/g;

/**
 * Free text a caller sends (a purpose, an item name) with every run shaped like a citizen ID
 * number or a credit code masked, so that nothing typed into it puts an identifier into the audit
 * trail. Not for vault tokens: a hex token may hold such a run by chance.
 */
export function maskIdentifierRuns(text: string): string {
  const mask = (m: string) => `${m.slice(0, 4)}${'*'.repeat(10)}${m.slice(14)}`;
  return text.replace(CITIZEN_ID_RUN, mask).replace(USCC_RUN, mask);
}
