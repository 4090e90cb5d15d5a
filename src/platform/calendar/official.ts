/**
 * Official public-holiday arrangements (放假调休安排) published each year by the
 * General Office of the State Council (国务院办公厅). Data only: the calendar logic lives
 * in calendar.ts. Add a year only from its published notice; never extrapolate.
 *
 * `holidays[].start..end` is the inclusive range of days off as the notice states it;
 * `adjustedWorkdays` are the weekend days the notice turns into working days (调休上班).
 */

/** One holiday break: an inclusive `YYYY-MM-DD` range of days off. */
export type Holiday = { name: string; nameEn: string; start: string; end: string };

/** One year's official arrangement: its breaks and its 调休 weekend working days. */
export type YearArrangement = { year: number; holidays: Holiday[]; adjustedWorkdays: string[] };

/** The loaded official arrangements, one per year (no 2027 notice exists yet). */
export const OFFICIAL_ARRANGEMENTS: readonly YearArrangement[] = [
  {
    // 国务院办公厅关于2024年部分节假日安排的通知 — 国办发明电〔2023〕7号 (2023-10-25).
    // 元旦 "1月1日放假，与周末连休": the connected weekend 2023-12-30/31 belongs to 2023.
    // 春节: the notice only *encourages* a day off on 除夕 (2024-02-09, Fri); it stays a working day.
    year: 2024,
    holidays: [
      { name: '元旦', nameEn: "New Year's Day", start: '2024-01-01', end: '2024-01-01' },
      { name: '春节', nameEn: 'Spring Festival', start: '2024-02-10', end: '2024-02-17' },
      { name: '清明节', nameEn: 'Qingming Festival', start: '2024-04-04', end: '2024-04-06' },
      { name: '劳动节', nameEn: 'Labour Day', start: '2024-05-01', end: '2024-05-05' },
      // "6月10日放假，与周末连休": 6/8 (Sat) – 6/10 (Mon).
      { name: '端午节', nameEn: 'Dragon Boat Festival', start: '2024-06-08', end: '2024-06-10' },
      { name: '中秋节', nameEn: 'Mid-Autumn Festival', start: '2024-09-15', end: '2024-09-17' },
      { name: '国庆节', nameEn: 'National Day', start: '2024-10-01', end: '2024-10-07' },
    ],
    adjustedWorkdays: [
      '2024-02-04', // Sun, 春节
      '2024-02-18', // Sun, 春节
      '2024-04-07', // Sun, 清明节
      '2024-04-28', // Sun, 劳动节
      '2024-05-11', // Sat, 劳动节
      '2024-09-14', // Sat, 中秋节
      '2024-09-29', // Sun, 国庆节
      '2024-10-12', // Sat, 国庆节
    ],
  },
  {
    // 国务院办公厅关于2025年部分节假日安排的通知 — 国办发明电〔2024〕12号 (2024-11-12).
    // First year under the revised 《全国年节及纪念日放假办法》: 春节 and 劳动节 gain one day each.
    year: 2025,
    holidays: [
      { name: '元旦', nameEn: "New Year's Day", start: '2025-01-01', end: '2025-01-01' },
      { name: '春节', nameEn: 'Spring Festival', start: '2025-01-28', end: '2025-02-04' },
      { name: '清明节', nameEn: 'Qingming Festival', start: '2025-04-04', end: '2025-04-06' },
      { name: '劳动节', nameEn: 'Labour Day', start: '2025-05-01', end: '2025-05-05' },
      { name: '端午节', nameEn: 'Dragon Boat Festival', start: '2025-05-31', end: '2025-06-02' },
      {
        name: '国庆节、中秋节',
        nameEn: 'National Day and Mid-Autumn Festival',
        start: '2025-10-01',
        end: '2025-10-08',
      },
    ],
    adjustedWorkdays: [
      '2025-01-26', // Sun, 春节
      '2025-02-08', // Sat, 春节
      '2025-04-27', // Sun, 劳动节
      '2025-09-28', // Sun, 国庆节、中秋节
      '2025-10-11', // Sat, 国庆节、中秋节
    ],
  },
  {
    // 国务院办公厅关于2026年部分节假日安排的通知 — 国办发明电〔2025〕7号 (2025-11-04).
    year: 2026,
    holidays: [
      { name: '元旦', nameEn: "New Year's Day", start: '2026-01-01', end: '2026-01-03' },
      { name: '春节', nameEn: 'Spring Festival', start: '2026-02-15', end: '2026-02-23' },
      { name: '清明节', nameEn: 'Qingming Festival', start: '2026-04-04', end: '2026-04-06' },
      { name: '劳动节', nameEn: 'Labour Day', start: '2026-05-01', end: '2026-05-05' },
      { name: '端午节', nameEn: 'Dragon Boat Festival', start: '2026-06-19', end: '2026-06-21' },
      { name: '中秋节', nameEn: 'Mid-Autumn Festival', start: '2026-09-25', end: '2026-09-27' },
      { name: '国庆节', nameEn: 'National Day', start: '2026-10-01', end: '2026-10-07' },
    ],
    adjustedWorkdays: [
      '2026-01-04', // Sun, 元旦
      '2026-02-14', // Sat, 春节
      '2026-02-28', // Sat, 春节
      '2026-05-09', // Sat, 劳动节
      '2026-09-20', // Sun, 国庆节
      '2026-10-10', // Sat, 国庆节
    ],
  },
];
