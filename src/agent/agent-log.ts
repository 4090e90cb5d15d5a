// The agent's log: one JSON line per event on stdout (pino), each with an `event` name and
// counts, for the department's log collector. No record value is ever logged; text that comes
// from elsewhere (the platform's problem details, file errors) passes through maskText first.
import pino, { type DestinationStream, type Logger } from 'pino';

/** The log levels the agent accepts (LOG_LEVEL). */
export type AgentLogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Fields that hold our own digests and ids, never citizen data: left as they are (a hex digest may look like a credit code). */
const OWN_FIELDS = new Set(['idempotencyKey', 'batchId', 'requestId', 'clientId', 'fileSm3']);

/** A log object with every other string masked, however deep: the guarantee does not rest on each call site. */
function maskDeep(value: unknown, key = ''): unknown {
  if (typeof value === 'string') return OWN_FIELDS.has(key) ? value : maskText(value);
  if (Array.isArray(value)) return value.map((v) => maskDeep(v));
  if (value !== null && typeof value === 'object' && !(value instanceof Error)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, k)]));
  }
  return value;
}

/**
 * A pino logger writing JSON lines to `destination` (default stdout), timestamps in ISO 8601.
 * Every string field passes through maskText, so a file name, a cursor value or a platform
 * message shaped like a citizen ID or credit code is masked wherever it appears.
 */
export function createAgentLogger(opts: { level?: AgentLogLevel; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: { name: 'huitong-agent' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

// The same shapes the platform masks (collection/record-values.ts): 18-character citizen ID
// numbers and unified social credit codes. Kept here so the agent needs no domain internals.
const CITIZEN_ID_LIKE = /\d{17}[\dXx]/g;
const USCC_LIKE = /[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}/gi;

/** Masks every run of text shaped like a citizen ID number or a credit code: `4413**********002X`. */
export function maskText(text: string): string {
  const mask = (m: string) => `${m.slice(0, 4)}${'*'.repeat(10)}${m.slice(14)}`;
  return text.replace(CITIZEN_ID_LIKE, mask).replace(USCC_LIKE, mask);
}

/** Row errors as logged: masked, and at most `limit` of them (the count says how many there were). */
export function maskedRowErrors(errors: readonly { row?: number; field: string; rule: string; message: string }[], limit = 50) {
  return errors.slice(0, limit).map((e) => ({
    ...(e.row !== undefined ? { row: e.row } : {}),
    field: maskText(e.field),
    rule: e.rule,
    message: maskText(e.message),
  }));
}
