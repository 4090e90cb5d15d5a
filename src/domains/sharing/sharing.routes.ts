import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import * as grants from './grants.service.js';
import * as requests from './requests.service.js';
import { SHARING_ROLES } from './sharing.policy.js';
import { ZAnswerInput, ZGrantQuery, ZNegotiationInput, ZProvideInput, ZReasonInput, ZRulingInput, ZShareRequestInput, ZShareRequestQuery } from './sharing.schema.js';

const ZId = z.object({ id: z.uuid() });
const ZPage = z.object({ page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(200).default(20) });
const parties = { policy: { roles: SHARING_ROLES } } as const;
const authority = { policy: { roles: ['authority'] } } as const;
const providersAndAuthority = { policy: { roles: [...SHARING_ROLES, 'authority'] } } as const;
const signedIn = { policy: { signedIn: true } } as const;
const tags = ['sharing'];

/** Share requests (共享申请), their agreements, negotiation records and grants (授权). */
export function sharingRoutes(api: Api, app: AppContext): void {
  api.post('/share-requests', { config: parties, schema: { tags, body: ZShareRequestInput } }, async (req, reply) =>
    reply.code(201).send(await requests.submitRequest(ctxOf(req, app), req.body)),
  );
  api.get('/share-requests', { config: signedIn, schema: { tags, querystring: ZShareRequestQuery } }, async (req) => requests.listRequests(ctxOf(req, app), req.query));
  api.get('/share-requests/:id', { config: signedIn, schema: { tags, params: ZId } }, async (req) => requests.getRequest(ctxOf(req, app), req.params.id));
  api.post('/share-requests/:id/answer', { config: parties, schema: { tags, params: ZId, body: ZAnswerInput } }, async (req) =>
    requests.answerRequest(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/share-requests/:id/agreement/accept', { config: parties, schema: { tags, params: ZId } }, async (req) => requests.acceptAgreement(ctxOf(req, app), req.params.id));
  api.post('/share-requests/:id/provide', { config: parties, schema: { tags, params: ZId, body: ZProvideInput } }, async (req) =>
    requests.provideRequest(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/share-requests/:id/contest', { config: parties, schema: { tags, params: ZId, body: ZReasonInput } }, async (req) =>
    requests.contestRefusal(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/share-requests/:id/withdraw', { config: parties, schema: { tags, params: ZId, body: ZReasonInput } }, async (req) =>
    requests.withdrawRequest(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/share-requests/:id/negotiation', { config: authority, schema: { tags, params: ZId, body: ZNegotiationInput } }, async (req) =>
    requests.recordNegotiation(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/share-requests/:id/ruling', { config: authority, schema: { tags, params: ZId, body: ZRulingInput } }, async (req) =>
    requests.recordRuling(ctxOf(req, app), req.params.id, req.body),
  );
  api.get('/share-negotiations', { config: signedIn, schema: { tags, querystring: ZPage } }, async (req) => requests.listNegotiations(ctxOf(req, app), req.query));
  api.get('/grants', { config: signedIn, schema: { tags, querystring: ZGrantQuery } }, async (req) => grants.listGrants(ctxOf(req, app), req.query));
  api.get('/grants/:id', { config: signedIn, schema: { tags, params: ZId } }, async (req) => grants.getGrant(ctxOf(req, app), req.params.id));
  api.post('/grants/:id/revoke', { config: providersAndAuthority, schema: { tags, params: ZId, body: ZReasonInput } }, async (req) =>
    grants.revokeGrant(ctxOf(req, app), req.params.id, req.body),
  );
}
