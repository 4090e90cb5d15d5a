import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of machine credentials (API clients). */
export const CLIENTS_ERRORS = {
  /** The Authorization header is malformed, or names an unknown, wrongly keyed or revoked client; or the client certificate is unverified, unknown, expired or revoked. */
  AUTH_INVALID_CLIENT: { status: 401, title: 'Invalid API client credential API 客户端凭据无效' },
  /** No such API client, or the actor may not know of it. */
  CLIENTS_NOT_FOUND: { status: 404, title: 'API client not found API 客户端不存在' },
  /** The client was revoked already. */
  CLIENTS_ALREADY_REVOKED: { status: 409, title: 'API client already revoked API 客户端已吊销' },
  /** No such certificate of this API client. */
  CLIENTS_CERTIFICATE_NOT_FOUND: { status: 404, title: 'Client certificate not found 客户端证书不存在' },
  /** The certificate was revoked already. */
  CLIENTS_CERTIFICATE_ALREADY_REVOKED: { status: 409, title: 'Client certificate already revoked 客户端证书已吊销' },
  /** The department named for a new client does not exist. */
  CLIENTS_DEPARTMENT_NOT_FOUND: { status: 422, title: 'Department not found 部门不存在' },
} as const satisfies Record<string, ErrorSpec>;

export type ClientsErrorCode = keyof typeof CLIENTS_ERRORS;

export const clientsError = errorFactory(CLIENTS_ERRORS);
