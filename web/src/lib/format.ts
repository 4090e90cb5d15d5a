/** Display helpers: every date and time is shown in Asia/Shanghai. */

export const TIME_ZONE = 'Asia/Shanghai';

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function shanghaiParts(date: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of partsFormatter.formatToParts(date)) out[part.type] = part.value;
  return out;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `2025-03-01 14:05` in Shanghai time; '—' for empty values. */
export function formatDateTime(value: string | null | undefined, withSeconds = false): string {
  if (!value) return '—';
  if (DATE_ONLY.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p = shanghaiParts(date);
  const time = withSeconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${p.year}-${p.month}-${p.day} ${time}`;
}

/** `2025-03-01` (a date string passes through; a timestamp is read in Shanghai time). */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  if (DATE_ONLY.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p = shanghaiParts(date);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Today's date in Shanghai as `YYYY-MM-DD`. */
export function todayInShanghai(): string {
  return formatDate(new Date().toISOString());
}

/** Whether a timestamp or date lies in the past. */
export function isPast(value: string | null | undefined): boolean {
  if (!value) return false;
  const time = DATE_ONLY.test(value) ? new Date(`${value}T23:59:59+08:00`).getTime() : new Date(value).getTime();
  return !Number.isNaN(time) && time < Date.now();
}

/** Stable display of any JSON value (diffs, audit details). */
export function formatJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
