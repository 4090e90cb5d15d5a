/**
 * Working-day calendar on plain `YYYY-MM-DD` strings (dates in Asia/Shanghai).
 *
 * Pure: no I/O, no clock, no local time. Date arithmetic converts the date parts to a
 * UTC day number and back, so the machine's time zone never changes a result.
 * A year without a loaded official arrangement is an error, never a weekend-only guess:
 * 调休 moves working days onto weekends, so guessing would silently shift deadlines.
 */
import type { Holiday, YearArrangement } from './official.js';

/** The loaded arrangements, indexed for day lookups; build it with `buildCalendar`. */
export type CalendarData = {
  readonly years: ReadonlyMap<number, YearArrangement>;
  readonly holidayByDate: ReadonlyMap<string, Holiday>;
  readonly adjustedWorkdays: ReadonlySet<string>;
};

/** What a date is on the calendar. */
export type DayKind = 'working' | 'adjusted_working' | 'holiday' | 'weekend';

/** Thrown when a date falls in a year whose official arrangement is not loaded. */
export class CalendarYearMissingError extends Error {
  readonly year: number;
  constructor(year: number) {
    super(`${year} 年节假日安排尚未载入 / no holiday arrangement loaded for ${year}`);
    this.name = 'CalendarYearMissingError';
    this.year = year;
  }
}

const MS_PER_DAY = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // UTC+8 all year: China has no DST since 1991.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a real calendar date written exactly as `YYYY-MM-DD`. */
export function isValidIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function assertDate(date: string): void {
  if (!isValidIsoDate(date)) throw new RangeError(`invalid date (expected YYYY-MM-DD): ${String(date)}`);
}

/** Days since 1970-01-01 for a valid date string (UTC arithmetic only). */
function toDayNumber(date: string): number {
  const t = new Date(0);
  t.setUTCFullYear(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return Math.round(t.getTime() / MS_PER_DAY);
}

function fromDayNumber(day: number): string {
  return formatUtcDate(new Date(day * MS_PER_DAY));
}

function formatUtcDate(t: Date): string {
  const y = String(t.getUTCFullYear()).padStart(4, '0');
  const m = String(t.getUTCMonth() + 1).padStart(2, '0');
  const d = String(t.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOf(date: string): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

function isWeekend(date: string): boolean {
  const w = weekdayOf(date);
  return w === 0 || w === 6;
}

/** Lists what is wrong with one year's arrangement (empty when it is usable). */
export function validateArrangement(a: YearArrangement): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(a.year) || a.year < 1 || a.year > 9999) problems.push(`invalid year: ${a.year}`);
  const inYear = (what: string, date: string): boolean => {
    if (!isValidIsoDate(date)) {
      problems.push(`${what}: invalid date ${JSON.stringify(date)}`);
      return false;
    }
    if (yearOf(date) !== a.year) {
      problems.push(`${what}: ${date} is outside ${a.year}`);
      return false;
    }
    return true;
  };

  const holidayDays = new Map<string, string>();
  for (const h of a.holidays) {
    const what = `holiday ${h.name || '(unnamed)'}`;
    if (!h.name) problems.push(`${what}: missing name`);
    const okStart = inYear(`${what} start`, h.start);
    const okEnd = inYear(`${what} end`, h.end);
    if (!okStart || !okEnd) continue;
    if (h.start > h.end) {
      problems.push(`${what}: start ${h.start} is after end ${h.end}`);
      continue;
    }
    for (let d = toDayNumber(h.start); d <= toDayNumber(h.end); d++) {
      const date = fromDayNumber(d);
      const other = holidayDays.get(date);
      if (other !== undefined) problems.push(`${what}: ${date} overlaps holiday ${other}`);
      else holidayDays.set(date, h.name);
    }
  }

  const seen = new Set<string>();
  for (const date of a.adjustedWorkdays) {
    if (!inYear('adjusted workday', date)) continue;
    if (seen.has(date)) problems.push(`adjusted workday ${date} is listed twice`);
    seen.add(date);
    if (!isWeekend(date)) problems.push(`adjusted workday ${date} is not a Saturday or Sunday`);
    const h = holidayDays.get(date);
    if (h !== undefined) problems.push(`adjusted workday ${date} lies inside holiday ${h}`);
  }
  return problems;
}

/** Indexes the arrangements for lookups; throws if any is invalid or a year repeats. */
export function buildCalendar(arrangements: readonly YearArrangement[]): CalendarData {
  const years = new Map<number, YearArrangement>();
  const holidayByDate = new Map<string, Holiday>();
  const adjustedWorkdays = new Set<string>();
  for (const a of arrangements) {
    const problems = validateArrangement(a);
    if (problems.length > 0) throw new Error(`invalid holiday arrangement for ${a.year}: ${problems.join('; ')}`);
    if (years.has(a.year)) throw new Error(`holiday arrangement for ${a.year} is given twice`);
    years.set(a.year, a);
    for (const h of a.holidays) {
      for (let d = toDayNumber(h.start); d <= toDayNumber(h.end); d++) holidayByDate.set(fromDayNumber(d), h);
    }
    for (const date of a.adjustedWorkdays) adjustedWorkdays.add(date);
  }
  return { years, holidayByDate, adjustedWorkdays };
}

/** Classifies a date; throws CalendarYearMissingError if its year is not loaded. */
export function dayKind(cal: CalendarData, date: string): DayKind {
  assertDate(date);
  const year = yearOf(date);
  if (!cal.years.has(year)) throw new CalendarYearMissingError(year);
  if (cal.holidayByDate.has(date)) return 'holiday';
  if (cal.adjustedWorkdays.has(date)) return 'adjusted_working';
  return isWeekend(date) ? 'weekend' : 'working';
}

/** The official holiday a date belongs to, if any (for display: "春节假期"). */
export function holidayOn(cal: CalendarData, date: string): Holiday | undefined {
  dayKind(cal, date); // same validation and missing-year rule as every other lookup
  return cal.holidayByDate.get(date);
}

/** Whether government offices work on this date (调休 weekend days count as working). */
export function isWorkingDay(cal: CalendarData, date: string): boolean {
  const kind = dayKind(cal, date);
  return kind === 'working' || kind === 'adjusted_working';
}

/**
 * The n-th working day after `from` — deadline arithmetic where the day of receipt is not
 * counted. n = 0 returns `from` itself if it is a working day, else the next working day
 * (a period ending on a rest day ends on the next working day). Throws
 * CalendarYearMissingError when the count runs into a year that is not loaded.
 */
export function addWorkingDays(cal: CalendarData, from: string, n: number): string {
  assertDate(from);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`working-day count must be a non-negative integer: ${n}`);
  let day = toDayNumber(from);
  if (n === 0) {
    while (!isWorkingDay(cal, fromDayNumber(day))) day++;
    return fromDayNumber(day);
  }
  let left = n;
  while (left > 0) {
    day++;
    if (isWorkingDay(cal, fromDayNumber(day))) left--;
  }
  return fromDayNumber(day);
}

/** Counts working days d with a < d <= b (negated when b < a); inverse of addWorkingDays. */
export function workingDaysBetween(cal: CalendarData, a: string, b: string): number {
  assertDate(a);
  assertDate(b);
  if (b < a) return -workingDaysBetween(cal, b, a);
  let count = 0;
  for (let d = toDayNumber(a) + 1; d <= toDayNumber(b); d++) {
    if (isWorkingDay(cal, fromDayNumber(d))) count++;
  }
  return count;
}

/** The calendar date in Asia/Shanghai (UTC+8) at instant `now`, as `YYYY-MM-DD`. */
export function todayInShanghai(now: Date): string {
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('invalid Date');
  return formatUtcDate(new Date(t + SHANGHAI_OFFSET_MS));
}
