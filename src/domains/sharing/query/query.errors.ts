import { type ErrorSpec, errorFactory } from '../../../platform/errors.js';

/** Error codes of the sharing query API (共享查询). */
export const QUERY_ERRORS = {
  /** The `Purpose` header is missing or blank: every query states what it is for. */
  SHARING_PURPOSE_REQUIRED: { status: 400, title: 'Purpose required 须说明查询用途' },
  /** The caller's department holds no grant that serves today. */
  SHARING_NO_GRANT: { status: 403, title: 'No active grant 无有效共享授权' },
  /** An asked-for or claimed item is not granted to the caller's department. */
  SHARING_FIELD_NOT_GRANTED: { status: 403, title: 'Field not granted 数据项未获授权' },
  /** A grant the call needs has used up today's calls. */
  SHARING_QUOTA_EXCEEDED: { status: 429, title: 'Daily quota exceeded 已超出当日调用限额' },
  /** The audit trail could not be written, so no data was served. */
  SHARING_AUDIT_UNAVAILABLE: { status: 503, title: 'Audit unavailable, nothing served 审计记录暂不可用，未提供数据' },
} as const satisfies Record<string, ErrorSpec>;

export type QueryErrorCode = keyof typeof QUERY_ERRORS;

export const queryError = errorFactory(QUERY_ERRORS);
