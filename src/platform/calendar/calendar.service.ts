import { record } from '../audit/audit.js';
import { inTransaction } from '../db/index.js';
import { platformError } from '../errors.js';
import type { Ctx } from '../http/context.js';
import { addWorkingDays, CalendarYearMissingError, dayKind, holidayOn, validateArrangement } from './calendar.js';
import type { YearArrangement } from './official.js';
import { loadArrangements } from './store.js';

/** Turns a missing-year error into the API's answer; other errors pass through. */
function explainCalendarError(err: unknown): never {
  if (err instanceof CalendarYearMissingError) throw platformError('CALENDAR_YEAR_MISSING', err.message);
  if (err instanceof RangeError) {
    throw platformError('VALIDATION_FAILED', err.message, { errors: [{ field: 'query', rule: 'range', message: err.message }] });
  }
  throw err;
}

/** Every loaded year with its holidays and adjusted working days. */
export async function listYears(ctx: Ctx) {
  const rows = await ctx.app.database.db.selectFrom('calendar_years').select(['year', 'source', 'updated_at']).orderBy('year').execute();
  const arrangements = await loadArrangements(ctx.app.database.db);
  return arrangements.map((a) => {
    const meta = rows.find((r) => r.year === a.year);
    return { ...a, source: meta?.source ?? 'official', updatedAt: meta ? new Date(meta.updated_at).toISOString() : null };
  });
}

/** Adds or replaces one year's arrangement after validating it; audited. */
export async function setYear(ctx: Ctx, arrangement: YearArrangement) {
  const problems = validateArrangement(arrangement);
  if (problems.length) {
    throw platformError('VALIDATION_FAILED', problems.join('; '), {
      errors: problems.map((message) => ({ field: 'holidays', rule: 'arrangement', message })),
    });
  }
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const before = await tx.selectFrom('calendar_years').selectAll().where('year', '=', arrangement.year).executeTakeFirst();
    await tx
      .insertInto('calendar_years')
      .values({
        year: arrangement.year,
        holidays: JSON.stringify(arrangement.holidays),
        adjusted_workdays: JSON.stringify(arrangement.adjustedWorkdays),
        source: 'operator',
        updated_at: now,
        updated_by: ctx.actor.id,
      })
      .onConflict((oc) =>
        oc.column('year').doUpdateSet({
          holidays: JSON.stringify(arrangement.holidays),
          adjusted_workdays: JSON.stringify(arrangement.adjustedWorkdays),
          source: 'operator',
          updated_at: now,
          updated_by: ctx.actor.id,
        }),
      )
      .execute();
    await record(tx, {
      actor: ctx.actor,
      action: 'calendar.year_set',
      targetType: 'calendar_year',
      targetId: String(arrangement.year),
      requestId: ctx.requestId,
      at: now,
      details: { replaced: Boolean(before), holidays: arrangement.holidays.length, adjustedWorkdays: arrangement.adjustedWorkdays.length },
    });
  });
  ctx.app.calendar.invalidate();
  return arrangement;
}

/** The n-th working day after `from` (the start day not counted). */
export async function addWorkingDaysFrom(ctx: Ctx, from: string, days: number) {
  try {
    return { from, days, result: addWorkingDays(await ctx.app.calendar.get(), from, days) };
  } catch (err) {
    explainCalendarError(err);
  }
}

/** Whether a date is a working day, and what kind of day it is. */
export async function describeDay(ctx: Ctx, date: string) {
  try {
    const cal = await ctx.app.calendar.get();
    const kind = dayKind(cal, date);
    const holiday = holidayOn(cal, date);
    return { date, isWorkingDay: kind === 'working' || kind === 'adjusted_working', kind, holiday: holiday?.name ?? null };
  } catch (err) {
    explainCalendarError(err);
  }
}
