import { describe, it, expect } from 'vitest';
import {
  addWorkingDays,
  buildCalendar,
  CalendarYearMissingError,
  dayKind,
  holidayOn,
  isValidIsoDate,
  isWorkingDay,
  todayInShanghai,
  validateArrangement,
  workingDaysBetween,
} from './calendar.js';
import { OFFICIAL_ARRANGEMENTS, type YearArrangement } from './official.js';

const cal = buildCalendar(OFFICIAL_ARRANGEMENTS);

/** Test-only date stepping, written independently of calendar.ts. */
function shift(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
function range(start: string, end: string): string[] {
  const out: string[] = [];
  for (let d = start; d <= end; d = shift(d, 1)) out.push(d);
  return out;
}

/**
 * Expected days off and 调休 working days, typed in again from the notices' wording
 * (not read from official.ts), with the day counts the notices state ("共N天").
 */
const NOTICES: Record<number, { breaks: { name: string; start: string; end: string; days: number }[]; adjusted: string[] }> = {
  2025: {
    breaks: [
      { name: '元旦', start: '2025-01-01', end: '2025-01-01', days: 1 },
      { name: '春节', start: '2025-01-28', end: '2025-02-04', days: 8 },
      { name: '清明节', start: '2025-04-04', end: '2025-04-06', days: 3 },
      { name: '劳动节', start: '2025-05-01', end: '2025-05-05', days: 5 },
      { name: '端午节', start: '2025-05-31', end: '2025-06-02', days: 3 },
      { name: '国庆节、中秋节', start: '2025-10-01', end: '2025-10-08', days: 8 },
    ],
    adjusted: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  2026: {
    breaks: [
      { name: '元旦', start: '2026-01-01', end: '2026-01-03', days: 3 },
      { name: '春节', start: '2026-02-15', end: '2026-02-23', days: 9 },
      { name: '清明节', start: '2026-04-04', end: '2026-04-06', days: 3 },
      { name: '劳动节', start: '2026-05-01', end: '2026-05-05', days: 5 },
      { name: '端午节', start: '2026-06-19', end: '2026-06-21', days: 3 },
      { name: '中秋节', start: '2026-09-25', end: '2026-09-27', days: 3 },
      { name: '国庆节', start: '2026-10-01', end: '2026-10-07', days: 7 },
    ],
    adjusted: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

describe('official arrangements', () => {
  it('every loaded year passes validation', () => {
    for (const a of OFFICIAL_ARRANGEMENTS) expect(validateArrangement(a), String(a.year)).toEqual([]);
  });

  it('2024, 2025 and 2026 are loaded and 2027 is not', () => {
    expect([...cal.years.keys()]).toEqual([2024, 2025, 2026]);
  });

  for (const [year, notice] of Object.entries(NOTICES)) {

    it(`every ${year} holiday day is a rest day named after its holiday`, () => {
      for (const b of notice.breaks) {
        const days = range(b.start, b.end);
        expect(days.length, b.name).toBe(b.days);
        for (const d of days) {
          expect(isWorkingDay(cal, d), d).toBe(false);
          expect(dayKind(cal, d), d).toBe('holiday');
          expect(holidayOn(cal, d)?.name, d).toBe(b.name);
        }
      }
    });

    it(`every ${year} 调休 weekend day is a working day`, () => {
      for (const d of notice.adjusted) {
        expect(isWorkingDay(cal, d), d).toBe(true);
        expect(dayKind(cal, d), d).toBe('adjusted_working');
      }
    });

    it(`${year} has exactly the notice's holidays and 调休 days and no others`, () => {
      const expectedHolidays = new Set(notice.breaks.flatMap((b) => range(b.start, b.end)));
      const expectedAdjusted = new Set(notice.adjusted);
      for (const d of range(`${year}-01-01`, `${year}-12-31`)) {
        const kind = dayKind(cal, d);
        expect(kind === 'holiday', d).toBe(expectedHolidays.has(d));
        expect(kind === 'adjusted_working', d).toBe(expectedAdjusted.has(d));
      }
    });
  }

  it('the 2024 notice only encourages a day off on 除夕, so 2024-02-09 stays a working day', () => {
    expect(isWorkingDay(cal, '2024-02-09')).toBe(true);
  });

  it('each year has the well-known total of working days (2024: 251, 2025: 248, 2026: 248)', () => {
    expect(workingDaysBetween(cal, '2023-12-31', '2024-12-31')).toBe(251);
    expect(workingDaysBetween(cal, '2024-12-31', '2025-12-31')).toBe(248);
    expect(workingDaysBetween(cal, '2025-12-31', '2026-12-31')).toBe(248);
  });
});

describe('ordinary days', () => {
  it('an ordinary weekday is a working day', () => {
    expect(dayKind(cal, '2025-03-12')).toBe('working'); // Wednesday
    expect(isWorkingDay(cal, '2026-07-06')).toBe(true); // Monday
  });

  it('an ordinary Saturday or Sunday is a rest day', () => {
    expect(dayKind(cal, '2025-03-15')).toBe('weekend'); // Saturday
    expect(dayKind(cal, '2026-07-05')).toBe('weekend'); // Sunday
    expect(isWorkingDay(cal, '2026-07-04')).toBe(false);
    expect(holidayOn(cal, '2026-07-04')).toBeUndefined();
  });
});

describe('addWorkingDays', () => {
  // [from, n, expected]: from the working day before each break, across it,
  // and onto the 调休 working days around it.
  const cases: [string, number, string][] = [
    // 2025
    ['2024-12-31', 1, '2025-01-02'], // 元旦
    ['2025-01-24', 1, '2025-01-26'], // Fri → 调休 Sun before 春节
    ['2025-01-24', 2, '2025-01-27'],
    ['2025-01-27', 1, '2025-02-05'], // across 春节 1/28–2/4
    ['2025-02-07', 1, '2025-02-08'], // 调休 Sat after 春节
    ['2025-02-07', 2, '2025-02-10'],
    ['2025-04-03', 1, '2025-04-07'], // 清明节
    ['2025-04-25', 1, '2025-04-27'], // 调休 Sun before 劳动节
    ['2025-04-30', 1, '2025-05-06'], // 劳动节
    ['2025-05-30', 1, '2025-06-03'], // 端午节
    ['2025-09-26', 1, '2025-09-28'], // 调休 Sun before 国庆
    ['2025-09-30', 1, '2025-10-09'], // 国庆节、中秋节 10/1–10/8
    ['2025-09-30', 3, '2025-10-11'], // 调休 Sat after
    ['2025-09-30', 4, '2025-10-13'],
    // 2026
    ['2025-12-31', 1, '2026-01-04'], // 元旦, then 调休 Sun 1/4
    ['2025-12-31', 2, '2026-01-05'],
    ['2026-02-13', 1, '2026-02-14'], // 调休 Sat before 春节
    ['2026-02-13', 2, '2026-02-24'], // across 春节 2/15–2/23
    ['2026-02-27', 1, '2026-02-28'], // 调休 Sat after 春节
    ['2026-02-27', 2, '2026-03-02'],
    ['2026-04-03', 1, '2026-04-07'], // 清明节
    ['2026-04-30', 1, '2026-05-06'], // 劳动节
    ['2026-05-08', 1, '2026-05-09'], // 调休 Sat after 劳动节
    ['2026-06-18', 1, '2026-06-22'], // 端午节
    ['2026-09-24', 1, '2026-09-28'], // 中秋节
    ['2026-09-18', 1, '2026-09-20'], // 调休 Sun before 国庆
    ['2026-09-29', 1, '2026-09-30'],
    ['2026-09-29', 2, '2026-10-08'], // across 国庆 10/1–10/7
    ['2026-09-29', 4, '2026-10-10'], // 调休 Sat after
    ['2026-09-29', 10, '2026-10-19'],
  ];
  for (const [from, n, expected] of cases) {
    it(`${from} plus ${n} working day(s) is ${expected}`, () => {
      expect(addWorkingDays(cal, from, n)).toBe(expected);
    });
  }

  it('adding zero days keeps a working day and moves a rest day to the next working day', () => {
    expect(addWorkingDays(cal, '2026-09-29', 0)).toBe('2026-09-29');
    expect(addWorkingDays(cal, '2026-10-01', 0)).toBe('2026-10-08');
    expect(addWorkingDays(cal, '2026-10-10', 0)).toBe('2026-10-10');
    expect(addWorkingDays(cal, '2025-03-15', 0)).toBe('2025-03-17');
  });

  it('counting from a rest day does not count that day', () => {
    expect(addWorkingDays(cal, '2026-10-03', 1)).toBe('2026-10-08');
  });

  it('rejects a negative or fractional count and a malformed date', () => {
    expect(() => addWorkingDays(cal, '2025-03-12', -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-03-12', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, '2025-3-12', 1)).toThrow(RangeError);
  });
});

describe('workingDaysBetween', () => {
  it('does not count the start day and counts the end day', () => {
    expect(workingDaysBetween(cal, '2026-09-29', '2026-09-29')).toBe(0);
    expect(workingDaysBetween(cal, '2026-09-29', '2026-09-30')).toBe(1);
    expect(workingDaysBetween(cal, '2026-09-29', '2026-10-07')).toBe(1);
    expect(workingDaysBetween(cal, '2026-09-29', '2026-10-08')).toBe(2);
  });

  it('is negative when the end is before the start', () => {
    expect(workingDaysBetween(cal, '2026-10-08', '2026-09-29')).toBe(-2);
  });

  it('agrees with addWorkingDays for every start date of 2025–2026 and counts up to 20', () => {
    for (const from of range('2024-12-31', '2026-11-30')) {
      expect(addWorkingDays(cal, from, 0) >= from).toBe(true);
      expect(workingDaysBetween(cal, from, addWorkingDays(cal, from, 0))).toBe(isWorkingDay(cal, from) ? 0 : 1);
      for (let n = 1; n <= 20; n++) {
        const to = addWorkingDays(cal, from, n);
        expect(isWorkingDay(cal, to), `${from}+${n}`).toBe(true);
        expect(workingDaysBetween(cal, from, to), `${from}+${n}`).toBe(n);
        expect(workingDaysBetween(cal, from, shift(to, -1)), `${from}+${n}`).toBe(n - 1); // first such day
        expect(workingDaysBetween(cal, to, from)).toBe(-n);
      }
    }
  });
});

describe('years without an official arrangement', () => {
  it('a date in 2027 throws CalendarYearMissingError instead of guessing from weekends', () => {
    let caught: unknown;
    try {
      isWorkingDay(cal, '2027-01-04');
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CalendarYearMissingError);
    expect((caught as CalendarYearMissingError).year).toBe(2027);
    expect((caught as Error).message).toContain('2027 年节假日安排尚未载入');
    expect((caught as Error).message).toContain('no holiday arrangement loaded for 2027');
    expect(() => dayKind(cal, '2023-06-01')).toThrow(CalendarYearMissingError);
  });

  it('addWorkingDays and workingDaysBetween throw when they run past the last loaded year', () => {
    expect(addWorkingDays(cal, '2026-12-30', 1)).toBe('2026-12-31');
    expect(() => addWorkingDays(cal, '2026-12-31', 1)).toThrow(CalendarYearMissingError);
    expect(() => addWorkingDays(cal, '2026-12-25', 10)).toThrow(CalendarYearMissingError);
    expect(() => workingDaysBetween(cal, '2026-12-30', '2027-01-05')).toThrow(CalendarYearMissingError);
  });
});

describe('time zone independence', () => {
  it('todayInShanghai switches date at 16:00 UTC', () => {
    expect(todayInShanghai(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(todayInShanghai(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(todayInShanghai(new Date('2026-02-28T23:00:00-08:00'))).toBe('2026-03-01');
    expect(() => todayInShanghai(new Date('not a date'))).toThrow(RangeError);
  });

  it('gives identical results whatever process.env.TZ is', () => {
    const fingerprint = (): string =>
      JSON.stringify({
        kinds: range('2024-01-01', '2026-12-31').map((d) => dayKind(cal, d)),
        sums: ['2024-12-31', '2025-09-30', '2026-02-13', '2026-09-29'].map((d) => addWorkingDays(cal, d, 10)),
        between: workingDaysBetween(cal, '2024-12-31', '2026-12-31'),
        today: ['2025-12-31T15:59:59Z', '2025-12-31T16:00:00Z', '2026-06-30T23:30:00Z'].map((s) =>
          todayInShanghai(new Date(s)),
        ),
      });
    const original = process.env.TZ;
    try {
      process.env.TZ = 'UTC';
      const baseline = fingerprint();
      for (const tz of ['America/Los_Angeles', 'Pacific/Honolulu', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(new Date(Date.UTC(2025, 0, 1)).getTimezoneOffset(), `${tz} took effect`).not.toBe(0);
        expect(fingerprint(), tz).toBe(baseline);
      }
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });
});

describe('isValidIsoDate', () => {
  it('accepts real dates written as YYYY-MM-DD, including 29 February in leap years', () => {
    for (const s of ['2025-01-01', '2024-02-29', '2000-02-29', '2026-12-31']) expect(isValidIsoDate(s), s).toBe(true);
  });

  it('rejects impossible dates and other spellings', () => {
    for (const s of ['2025-02-29', '1900-02-29', '2025-13-01', '2025-04-31', '2025-1-01', '2025-01-01T00:00', ' 2025-01-01', '20250101', ''])
      expect(isValidIsoDate(s), s).toBe(false);
    expect(isValidIsoDate(20250101)).toBe(false);
  });
});

describe('validateArrangement', () => {
  const good: YearArrangement = {
    year: 2030,
    holidays: [{ name: '测试', nameEn: 'Test', start: '2030-05-01', end: '2030-05-03' }],
    adjustedWorkdays: ['2030-05-05'], // Sunday
  };

  it('accepts a consistent arrangement', () => {
    expect(validateArrangement(good)).toEqual([]);
  });

  it('reports bad dates, dates outside the year, reversed ranges, weekday 调休 and overlaps', () => {
    const bad: YearArrangement = {
      year: 2030,
      holidays: [
        { name: 'bad', nameEn: 'Bad', start: '2030-02-30', end: '2030-03-01' },
        { name: 'outside', nameEn: 'Outside', start: '2029-12-31', end: '2030-01-01' },
        { name: 'reversed', nameEn: 'Reversed', start: '2030-06-03', end: '2030-06-01' },
        { name: 'a', nameEn: 'A', start: '2030-10-01', end: '2030-10-07' },
        { name: 'b', nameEn: 'B', start: '2030-10-07', end: '2030-10-08' },
      ],
      adjustedWorkdays: ['2030-05-08', '2030-10-05', '2031-01-04'],
    };
    const problems = validateArrangement(bad).join('\n');
    expect(problems).toContain('invalid date "2030-02-30"');
    expect(problems).toContain('2029-12-31 is outside 2030');
    expect(problems).toContain('start 2030-06-03 is after end 2030-06-01');
    expect(problems).toContain('2030-10-07 overlaps holiday a');
    expect(problems).toContain('2030-05-08 is not a Saturday or Sunday');
    expect(problems).toContain('2030-10-05 lies inside holiday a');
    expect(problems).toContain('2031-01-04 is outside 2030');
  });

  it('buildCalendar refuses an invalid arrangement or a repeated year', () => {
    expect(() => buildCalendar([{ ...good, adjustedWorkdays: ['2030-05-08'] }])).toThrow(/not a Saturday or Sunday/);
    expect(() => buildCalendar([good, good])).toThrow(/given twice/);
  });
});
