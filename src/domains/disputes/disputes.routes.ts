import { z } from 'zod';
import { type Api, type AppContext, ctxOf, attachment } from '../../platform/http/index.js';
import { DISPUTE_ROLES } from './disputes.policy.js';
import { ZDisputeInput, ZDisputeQuery, ZDisputeStep } from './disputes.schema.js';
import * as disputes from './disputes.service.js';

const ZId = z.object({ id: z.uuid() });
const acting = { policy: { roles: DISPUTE_ROLES } } as const;
const tags = ['disputes'];

/** Disputes about shared data (异议, D1–D2): file one, take its steps, list and view them, download the verification report. */
export function disputesRoutes(api: Api, app: AppContext): void {
  api.post('/disputes', { config: acting, schema: { tags, body: ZDisputeInput } }, async (req, reply) =>
    reply.code(201).send(await disputes.fileDispute(ctxOf(req, app), req.body)),
  );
  api.get('/disputes', { config: { policy: { signedIn: true } }, schema: { tags, querystring: ZDisputeQuery } }, async (req) =>
    disputes.listDisputes(ctxOf(req, app), req.query),
  );
  api.get('/disputes/:id', { config: { policy: { signedIn: true } }, schema: { tags, params: ZId } }, async (req) =>
    disputes.getDispute(ctxOf(req, app), req.params.id),
  );
  api.post('/disputes/:id/actions', { config: acting, schema: { tags, params: ZId, body: ZDisputeStep } }, async (req) =>
    disputes.takeStep(ctxOf(req, app), req.params.id, req.body),
  );
  api.get('/disputes/:id/report.pdf', { config: { policy: { signedIn: true } }, schema: { tags, params: ZId } }, async (req, reply) => {
    const { filename, pdf } = await disputes.getDisputeReport(ctxOf(req, app), req.params.id);
    return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(filename)).header('cache-control', 'no-store').send(pdf);
  });
}
