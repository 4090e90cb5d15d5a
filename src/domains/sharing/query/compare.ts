import { isSubjectToken, SUBJECT_KINDS, tokenForIdentifier } from '../../../platform/vault/index.js';
import type { Keyring } from '../../../platform/vault/index.js';
import type { ItemShape } from './masking.js';

/**
 * Verification mode (核验): a claimed value against the stored one, both normalised — text
 * trimmed, dates as YYYY-MM-DD, date-times as instants, numbers as numbers, yes/no words as
 * booleans, identifiers through the vault's normalisation (so case and full-width digits do not
 * matter) and compared by token, so the stored identifier is never decrypted.
 */

const DATE_PATTERNS: RegExp[] = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})(\d{2})(\d{2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日$/, /^(\d{4})\.(\d{1,2})\.(\d{1,2})$/];

/** A claimed date in a usual spelling as YYYY-MM-DD, or null when it is not a real date. */
export function normaliseClaimDate(raw: string): string | null {
  const s = raw.trim();
  for (const re of DATE_PATTERNS) {
    const m = re.exec(s);
    if (!m) continue;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
    return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  return null;
}

const TRUE_WORDS = new Set(['true', '1', '是', 'y', 'yes']);
const FALSE_WORDS = new Set(['false', '0', '否', 'n', 'no']);

function asBoolean(v: unknown): boolean | null {
  if (typeof v === 'boolean') return v;
  const s = String(v).trim().toLowerCase();
  return TRUE_WORDS.has(s) ? true : FALSE_WORDS.has(s) ? false : null;
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  const s = String(v).trim();
  if (!/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(s)) return null;
  return Number(s);
}

/** True when the claim names the same value as the stored one. */
export function claimMatches(keyring: Keyring, shape: ItemShape, claim: string | number | boolean, stored: unknown): boolean {
  if (stored === null || stored === undefined) return false;
  const text = String(claim).trim();
  if (isSubjectToken(stored)) {
    // An identifier item: the claim's token of any kind the claim is valid as (tokens differ per kind).
    for (const kind of SUBJECT_KINDS) {
      const t = tokenForIdentifier(keyring, kind, text, { usccLegacy: 'warn' });
      if (t.ok && t.token === stored) return true;
    }
    return text === stored;
  }
  if (typeof stored === 'number') {
    const n = asNumber(claim);
    return n !== null && n === stored;
  }
  if (typeof stored === 'boolean') return asBoolean(claim) === stored;
  if (typeof stored !== 'string') return false;
  if (shape.dataType === 'D' || /^\d{4}-\d{2}-\d{2}$/.test(stored)) {
    const d = normaliseClaimDate(text);
    if (d !== null) return d === normaliseClaimDate(stored);
  }
  if (shape.dataType === 'T') {
    const a = Date.parse(text);
    const b = Date.parse(stored);
    if (!Number.isNaN(a) && !Number.isNaN(b)) return a === b;
  }
  return text === stored.trim();
}
