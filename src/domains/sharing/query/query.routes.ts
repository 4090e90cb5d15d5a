import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ANONYMOUS_ACTOR } from '../../../platform/actor.js';
import { AppError, platformError } from '../../../platform/errors.js';
import { type Api, type AppContext, ctxOf, type RoutePolicy, sendProblem, toAppError } from '../../../platform/http/index.js';
import { createClientRateLimit } from './client-rate-limit.js';
import { ZFieldsQuery, ZQueryBody, ZSubjectParams, ZVerifyBody } from './query.schema.js';
import * as query from './query.service.js';

/** Only department systems' API clients holding the `share:query` scope; no person calls these. */
const QUERY_POLICY: RoutePolicy = { roles: [], clients: { scope: 'share:query' } };
const tags = ['sharing'];
/** Documents the required header; the service checks and decodes it (audited when missing). */
const ZPurposeHeader = z.looseObject({
  purpose: z.string().optional().describe('What the data is needed for (≤ 200 characters; URL-encode non-ASCII text) 查询用途'),
});

/**
 * Every refusal of these routes — bad input, missing Purpose, no scope, rate limit — is one
 * `share.query_denied` audit entry, written by the same group-commit writer as the answers (the
 * platform's handler would add a second entry for a 403 and none for a 422). Bad credentials
 * were audited when they were refused; a refusal the service audited already is only sent.
 */
function auditedErrorHandler(app: AppContext) {
  return async (err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    let error = toAppError(err);
    if (error.status >= 500 && !(err instanceof AppError)) req.log.error({ err, requestId: req.id }, 'unexpected error');
    if (!query.isAudited(error)) {
      const purpose = query.parsePurpose(req.headers.purpose);
      error = await query.refuseCall(
        { app, actor: req.actor ?? ANONYMOUS_ACTOR, requestId: String(req.id) },
        error,
        { route: `${req.method} ${req.routeOptions.url ?? ''}`, ...(purpose.ok ? { purpose: purpose.purpose } : {}) },
      );
    }
    return sendProblem(req, reply, error);
  };
}

/** The sharing query API (共享查询): by subject, verification of claimed values. */
export function sharingQueryRoutes(api: Api, app: AppContext): void {
  const limit = createClientRateLimit(app.config.HUITONG_QUERY_RATE_PER_MIN);
  const common = {
    config: { policy: QUERY_POLICY },
    // Per API client across the three routes (per process), before the body is read; the daily
    // quota per grant is counted by the service.
    preValidation: async (req: FastifyRequest, reply: FastifyReply) => {
      const wait = limit.take(req.actor?.id ? `client:${req.actor.id}` : req.ip, Date.now());
      if (wait > 0) {
        reply.header('retry-after', String(wait));
        throw platformError('RATE_LIMITED', `At most ${app.config.HUITONG_QUERY_RATE_PER_MIN} calls a minute per API client; retry in ${wait} s. 调用过于频繁，请 ${wait} 秒后重试。`);
      }
    },
    errorHandler: auditedErrorHandler(app),
    // The address of GET carries the identifier: no info-level request lines in the log for these routes.
    logLevel: 'warn' as const,
  };

  api.get(
    '/subjects/:idType/:id',
    { ...common, schema: { tags, summary: 'Query shared data of one subject 按主体查询共享数据', params: ZSubjectParams, querystring: ZFieldsQuery, headers: ZPurposeHeader } },
    async (req, reply) => {
      const [answer] = await query.querySubjects(ctxOf(req, app), {
        subjects: [{ idType: req.params.idType, id: req.params.id, field: 'id' }],
        fields: query.parseFieldList(req.query.fields),
        fieldsField: 'query.fields',
        purpose: req.headers.purpose,
      });
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );

  api.post(
    '/subjects::query',
    { ...common, schema: { tags, summary: 'Query shared data of up to 100 subjects 批量按主体查询共享数据', body: ZQueryBody, headers: ZPurposeHeader } },
    async (req, reply) => {
      const results = await query.querySubjects(ctxOf(req, app), {
        subjects: req.body.subjects.map((s, i) => ({ idType: s.idType ?? req.body.idType, id: s.id, field: `subjects[${i}].id` })),
        fields: req.body.fields,
        fieldsField: 'fields',
        purpose: req.headers.purpose,
      });
      return reply.header('cache-control', 'no-store').send({ results });
    },
  );

  api.post(
    '/subjects::verify',
    { ...common, schema: { tags, summary: 'Verify claimed values without reading them 核验数据项（不返回数据）', body: ZVerifyBody, headers: ZPurposeHeader } },
    async (req, reply) => {
      const answer = await query.verifySubject(ctxOf(req, app), { ...req.body, purpose: req.headers.purpose });
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );
}
