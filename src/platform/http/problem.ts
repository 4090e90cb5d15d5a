import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldError, PLATFORM_ERRORS, platformError } from '../errors.js';

/** The RFC 9457 body every error answer carries. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
};

/** Turns a zod issue path into `items[2].length` style. */
function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** Maps anything thrown in a request to an AppError; unknown errors become INTERNAL. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    const prefix = context === 'body' || !context ? '' : context === 'querystring' ? 'query' : context;
    const errors = err.validation.flatMap((v) => {
      const path = v.instancePath
        .split('/')
        .filter(Boolean)
        .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
      // zod reports unknown keys on the object that holds them; name each unknown field itself.
      const unknownKeys = (v.params as { keys?: unknown } | undefined)?.keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys) && unknownKeys.length) {
        return unknownKeys.map((k) => ({ field: fieldPath(prefix, [...path, String(k)]), rule: 'unrecognized_keys', message: 'unknown field 未知字段' }));
      }
      const custom = (v.params as { params?: { rule?: string } } | undefined)?.params?.rule;
      return [{ field: fieldPath(prefix, path), rule: String(custom ?? v.keyword ?? 'invalid'), message: v.message ?? 'invalid' }];
    });
    return platformError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
  const e = err as { statusCode?: number; code?: string; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413) {
    return platformError('PAYLOAD_TOO_LARGE', e.message);
  }
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || e.statusCode === 415) {
    return platformError('UNSUPPORTED_MEDIA_TYPE', e.message);
  }
  if (e.statusCode === 429) return platformError('RATE_LIMITED', e.message);
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return platformError('BAD_REQUEST', e.message);
  return new AppError('INTERNAL', PLATFORM_ERRORS.INTERNAL, 'An unexpected error occurred; quote the request id to the operator.');
}

/** Sends an AppError as application/problem+json. */
export function sendProblem(req: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  const body: Problem = {
    type: 'about:blank',
    title: error.title,
    status: error.status,
    code: error.code,
    detail: error.message,
    // The route's template (`/api/v1/subjects/:idType/:id`), never the address as sent: paths and
    // query strings may carry identifiers, which an error answer must not echo.
    instance: req.routeOptions.url ?? req.url.split('?')[0] ?? req.url,
    requestId: String(req.id),
    ...(error.errors.length ? { errors: error.errors } : {}),
  };
  return reply.code(error.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}
