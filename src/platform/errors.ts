import type { AuditAction } from './audit/actions.js';

/** One field-level problem: which field, which rule it broke, in words. */
export type FieldError = { field: string; rule: string; message: string };

/** A code and its HTTP status and short title; each domain declares its own table of these. */
export type ErrorSpec = { status: number; title: string };

/**
 * The one error type of the platform. Services throw it; the HTTP layer turns it into an
 * RFC 9457 problem+json body. `audit` marks a refusal that must leave an audit entry.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[];
  readonly auditDenied: boolean;
  /** The audit action of a denied attempt; `access.denied` unless the refusal has its own (e.g. `collection.write_refused`). */
  readonly auditAction: AuditAction | undefined;

  constructor(code: string, spec: ErrorSpec, detail?: string, opts: { errors?: FieldError[]; auditDenied?: boolean; auditAction?: AuditAction } = {}) {
    super(detail ?? spec.title);
    this.code = code;
    this.status = spec.status;
    this.title = spec.title;
    this.errors = opts.errors ?? [];
    this.auditDenied = opts.auditDenied ?? spec.status === 403;
    this.auditAction = opts.auditAction;
  }
}

/** Platform-wide codes; domain codes live in each domain's `*.errors.ts`. */
export const PLATFORM_ERRORS = {
  /** The request body, query or path failed its schema or a business rule on a field. */
  VALIDATION_FAILED: { status: 422, title: 'Validation failed 校验未通过' },
  /** The request is malformed (bad JSON, wrong content type). */
  BAD_REQUEST: { status: 400, title: 'Bad request 请求格式错误' },
  /** No valid session or credential. */
  UNAUTHENTICATED: { status: 401, title: 'Authentication required 请先登录' },
  /** Authenticated, but this actor may not do this. */
  FORBIDDEN: { status: 403, title: 'Forbidden 无权操作' },
  /** The thing does not exist or the actor may not know it exists. */
  NOT_FOUND: { status: 404, title: 'Not found 未找到' },
  /** The body is larger than allowed. */
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large 内容过大' },
  /** The content type is not accepted here. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type 不支持的内容类型' },
  /** Too many requests from this client. */
  RATE_LIMITED: { status: 429, title: 'Too many requests 请求过于频繁' },
  /** The working-day calendar has no official arrangement for a year a date falls in. */
  CALENDAR_YEAR_MISSING: { status: 422, title: 'Holiday arrangement missing 节假日安排未载入' },
  /** Anything unexpected; details are in the log under the request id, never in the answer. */
  INTERNAL: { status: 500, title: 'Internal error 系统内部错误' },
} as const satisfies Record<string, ErrorSpec>;

export type PlatformErrorCode = keyof typeof PLATFORM_ERRORS;

/** Builds a platform-level AppError. */
export function platformError(
  code: PlatformErrorCode,
  detail?: string,
  opts?: { errors?: FieldError[]; auditDenied?: boolean },
): AppError {
  return new AppError(code, PLATFORM_ERRORS[code], detail, opts);
}

/** Builds the throw helper of a domain from its code table, so an unknown code fails tsc. */
export function errorFactory<T extends Record<string, ErrorSpec>>(table: T) {
  return (code: keyof T & string, detail?: string, opts?: { errors?: FieldError[]; auditDenied?: boolean; auditAction?: AuditAction }): AppError =>
    new AppError(code, table[code] as ErrorSpec, detail, opts);
}
