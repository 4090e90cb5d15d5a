import { todayInShanghai } from '../../platform/calendar/calendar.js';

/**
 * Whether a dataset is being updated as often as its catalog entry promises (B1, 002 §16).
 * Pure date rules on the Asia/Shanghai calendar (UTC+8, no daylight saving).
 */

/** Where a dataset stands against its declared update frequency. */
export const FRESHNESS_STATUSES = [
  'ok', // the next update is not due for a while
  'due_soon', // the next update is due within the warning window (3 days for monthly and longer)
  'overdue', // the due date has passed without an accepted batch
  'never', // no batch has ever been accepted
  'not_applicable', // the frequency is not one the platform can hold a dataset to
] as const;
export type FreshnessStatus = (typeof FRESHNESS_STATUSES)[number];

export type Freshness = { status: FreshnessStatus; dueAt: string | null };

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/**
 * How each 更新周期 of the catalog (catalog.schema UPDATE_FREQUENCIES) sets the next due date
 * from the Shanghai date of the last accepted batch, and how early "due soon" starts.
 * - realtime / daily: the end of the next day (a real-time feed silent for a whole day is late);
 * - weekly, monthly, quarterly, half_yearly, yearly: the same date one period later;
 * - irregular (不定期, the catalog's static data): 002 §16 — static data changed in a quarter is
 *   updated by the 10th of the first month of the next quarter; the platform cannot see when the
 *   source changed, so it asks for at least one batch (an unchanged resend counts) per quarter.
 */
const RULES: Record<string, { days?: number; months?: number; staticQuarter?: true; warnDays: number }> = {
  realtime: { days: 1, warnDays: 0 },
  daily: { days: 1, warnDays: 0 },
  weekly: { days: 7, warnDays: 1 },
  monthly: { months: 1, warnDays: 3 },
  quarterly: { months: 3, warnDays: 3 },
  half_yearly: { months: 6, warnDays: 3 },
  yearly: { months: 12, warnDays: 3 },
  irregular: { staticQuarter: true, warnDays: 3 },
};

/** Whether the platform holds datasets of this frequency to a due date. */
export function isTrackedFrequency(frequency: string): boolean {
  return frequency in RULES;
}

function ymd(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y as number, m as number, d as number];
}

/** The last moment of a Shanghai calendar date (23:59:59.999 +08:00). */
function endOfShanghaiDay(y: number, m: number, d: number): Date {
  return new Date(Date.UTC(y, m - 1, d + 1) - SHANGHAI_OFFSET_MS - 1);
}

/** The date `months` after y-m-d, clamped to the end of a shorter month (01-31 + 1 month = 02-28). */
function addMonths(y: number, m: number, d: number, months: number): [number, number, number] {
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return [ny, nm, Math.min(d, last)];
}

/** The end of the day by which the next update is due after one on `last`; undefined for an untracked frequency. */
export function nextDueAt(frequency: string, last: Date): Date | undefined {
  const rule = RULES[frequency];
  if (!rule) return undefined;
  const [y, m, d] = ymd(todayInShanghai(last));
  if (rule.staticQuarter) {
    // The first month of the next quarter: Jan / Apr / Jul / Oct, day 10.
    const firstMonthNext = Math.floor((m - 1) / 3) * 3 + 4;
    return firstMonthNext > 12 ? endOfShanghaiDay(y + 1, firstMonthNext - 12, 10) : endOfShanghaiDay(y, firstMonthNext, 10);
  }
  if (rule.months) return endOfShanghaiDay(...addMonths(y, m, d, rule.months));
  return endOfShanghaiDay(y, m, d + (rule.days ?? 1));
}

/** A dataset's freshness at `now`, from its declared frequency and its last accepted batch (null: none). */
export function freshnessOf(frequency: string, lastAcceptedAt: Date | null, now: Date): Freshness {
  const rule = RULES[frequency];
  if (!rule) return { status: 'not_applicable', dueAt: null };
  if (!lastAcceptedAt) return { status: 'never', dueAt: null };
  const due = nextDueAt(frequency, lastAcceptedAt) as Date;
  const left = due.getTime() - now.getTime();
  const status: FreshnessStatus = left < 0 ? 'overdue' : left <= rule.warnDays * DAY_MS ? 'due_soon' : 'ok';
  return { status, dueAt: due.toISOString() };
}
