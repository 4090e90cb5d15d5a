import type { Executor } from '../db/index.js';
import { buildCalendar, type CalendarData } from './calendar.js';
import { OFFICIAL_ARRANGEMENTS, type YearArrangement } from './official.js';

/** The calendar loaded from the database, cached; other processes' changes show within a minute. */
export type CalendarStore = {
  get(): Promise<CalendarData>;
  invalidate(): void;
};

const CACHE_MS = 60_000;

/** Reads every stored year's arrangement. */
export async function loadArrangements(db: Executor): Promise<YearArrangement[]> {
  const rows = await db.selectFrom('calendar_years').selectAll().orderBy('year').execute();
  return rows.map((r) => ({
    year: r.year,
    holidays: r.holidays as YearArrangement['holidays'],
    adjustedWorkdays: r.adjusted_workdays as string[],
  }));
}

/** Inserts the shipped official arrangements for years the database does not have yet. */
export async function ensureOfficialYears(db: Executor, now: Date): Promise<number[]> {
  const have = new Set((await db.selectFrom('calendar_years').select('year').execute()).map((r) => r.year));
  const added: number[] = [];
  for (const a of OFFICIAL_ARRANGEMENTS) {
    if (have.has(a.year)) continue;
    await db
      .insertInto('calendar_years')
      .values({
        year: a.year,
        holidays: JSON.stringify(a.holidays),
        adjusted_workdays: JSON.stringify(a.adjustedWorkdays),
        source: 'official',
        updated_at: now,
        updated_by: null,
      })
      .onConflict((oc) => oc.column('year').doNothing())
      .execute();
    added.push(a.year);
  }
  return added;
}

/** A cached view of the stored calendar. */
export function createCalendarStore(db: Executor): CalendarStore {
  let cached: { at: number; data: CalendarData } | undefined;
  return {
    async get() {
      if (!cached || Date.now() - cached.at > CACHE_MS) {
        cached = { at: Date.now(), data: buildCalendar(await loadArrangements(db)) };
      }
      return cached.data;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
