import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import { VERIFICATION_ROLES } from './verification.policy.js';
import { ZVerificationAnswer, ZVerificationQuery, ZVerificationReport } from './verification.schema.js';
import * as verification from './verification.service.js';

const ZId = z.object({ id: z.uuid() });
const parties = { policy: { roles: VERIFICATION_ROLES } } as const;
const tags = ['verification'];

/** Multi-source verification (多源校核): report a differing copy, answer it, list and view reports. */
export function verificationRoutes(api: Api, app: AppContext): void {
  api.post('/verifications', { config: parties, schema: { tags, body: ZVerificationReport } }, async (req, reply) =>
    reply.code(201).send(await verification.reportDifference(ctxOf(req, app), req.body)),
  );
  api.get('/verifications', { config: { policy: { signedIn: true } }, schema: { tags, querystring: ZVerificationQuery } }, async (req) =>
    verification.listReports(ctxOf(req, app), req.query),
  );
  api.get('/verifications/:id', { config: { policy: { signedIn: true } }, schema: { tags, params: ZId } }, async (req) =>
    verification.getReport(ctxOf(req, app), req.params.id),
  );
  api.post('/verifications/:id/answer', { config: parties, schema: { tags, params: ZId, body: ZVerificationAnswer } }, async (req) =>
    verification.answerReport(ctxOf(req, app), req.params.id, req.body),
  );
}
