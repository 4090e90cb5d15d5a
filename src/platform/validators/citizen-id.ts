/**
 * 18-character citizen ID number (公民身份号码), GB 11643-1999.
 *
 * Layout: 6-digit address code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male),
 * 1 check char (ISO 7064 MOD 11-2).
 *
 * Deliberately NOT checked (see ARCHITECTURE "Known gotchas"):
 * - whether the address code is a currently valid region: codes are retired and renumbered,
 *   but a number keeps its original code for life (the standard's own example 440524… is no
 *   longer current);
 * - a birth year ≥ 1900: the standard's example is born in 1880. Only years before 1800 are
 *   rejected, as no living or recorded holder has one.
 *
 * Messages never echo the number itself: identifiers must not reach logs.
 */

/** ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 for positions 1–17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** Check char indexed by the weighted sum mod 11. */
const CHECK_CHARS = '10X98765432';

const MIN_BIRTH_YEAR = 1800;

export type CitizenIdRule = 'length' | 'charset' | 'birth_date' | 'check_char';

export type CitizenIdResult =
  | { ok: true; normalized: string; birthDate: string; sex: 'male' | 'female' }
  | { ok: false; rule: CitizenIdRule; message: string };

const MESSAGES: Record<CitizenIdRule, string> = {
  length: '公民身份号码应为18位 / A citizen ID number must be 18 characters long',
  charset:
    '公民身份号码前17位应为数字，最后一位为数字或 X / A citizen ID number must be 17 digits followed by a digit or X',
  birth_date:
    '公民身份号码中的出生日期无效（须为真实日期，不晚于今天，不早于1800年） / The birth date in the citizen ID number is invalid (must be a real date, not in the future, year 1800 or later)',
  check_char: '公民身份号码校验码错误 / The check character of the citizen ID number is wrong',
};

/** Trims and upper-cases, because the check char X is often typed as a lower-case x. */
function normalize(id: string): string {
  return id.trim().toUpperCase();
}

/** Computes the ISO 7064 MOD 11-2 check char, so test and demo numbers are valid by construction. */
export function citizenIdCheckChar(first17: string): string {
  if (!/^[0-9]{17}$/.test(first17)) {
    throw new RangeError('citizenIdCheckChar needs exactly 17 digits');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] ?? 0);
  }
  return CHECK_CHARS.charAt(sum % 11);
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD: a birth "in the future" is judged by the local calendar, not UTC. */
function todayInShanghai(): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

/** Returns YYYY-MM-DD if the 8 digits form a real date in [1800-01-01, today], otherwise null. */
function parseBirthDate(yyyymmdd: string, today: string): string | null {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (y < MIN_BIRTH_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  // Same fixed-width format, so string order is date order.
  return iso > today ? null : iso;
}

/** Validates an 18-character citizen ID number; `today` (YYYY-MM-DD, default: today in Asia/Shanghai) makes the future-date rule testable. */
export function validateCitizenId(id: string, opts?: { today?: string }): CitizenIdResult {
  const today = opts?.today ?? todayInShanghai();
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(today)) {
    // A malformed `today` is a programming error, not a bad ID: fail loudly.
    throw new RangeError('validateCitizenId: opts.today must be YYYY-MM-DD');
  }
  const s = normalize(id);
  const fail = (rule: CitizenIdRule): CitizenIdResult => ({ ok: false, rule, message: MESSAGES[rule] });

  if (s.length !== 18) return fail('length');
  if (!/^[0-9]{17}[0-9X]$/.test(s)) return fail('charset');
  const birthDate = parseBirthDate(s.slice(6, 14), today);
  if (birthDate === null) return fail('birth_date');
  if (citizenIdCheckChar(s.slice(0, 17)) !== s.charAt(17)) return fail('check_char');

  // The sequence code (positions 15–17) is odd for men and even for women.
  const sex = (s.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female';
  return { ok: true, normalized: s, birthDate, sex };
}

/** Masks all but the first 4 and last 4 characters, because UI, API and logs must not show raw ID numbers. */
export function maskCitizenId(id: string): string {
  const s = normalize(id);
  // Anything that is not a full-length number (e.g. an old 15-digit one) is masked entirely.
  if (s.length !== 18) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(10)}${s.slice(14)}`;
}
