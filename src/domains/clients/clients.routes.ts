import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import { certificatesRoutes } from './certificates.routes.js';
import { ZApiClientInput, ZApiClientQuery, ZRevokeInput } from './clients.schema.js';
import * as clients from './clients.service.js';

const ZId = z.object({ id: z.uuid() });
// People only: an API client cannot manage API clients (the server refuses client actors here).
const managers = { policy: { roles: ['platform_admin', 'dept_admin'] } } as const;
const tags = ['api-clients'];

/**
 * Machine credentials (API clients) of department systems. Callers authenticate with
 * `Authorization: Bearer <clientId>.<secret>`, the secret shown once, on creation; or, with
 * HUITONG_TLS=on, with a client certificate from the platform CA (certificates.routes.ts).
 */
export function clientsRoutes(api: Api, app: AppContext): void {
  api.post('/api-clients', { config: managers, schema: { tags, body: ZApiClientInput } }, async (req, reply) =>
    reply.code(201).header('cache-control', 'no-store').send(await clients.createApiClient(ctxOf(req, app), req.body)),
  );
  api.get('/api-clients', { config: managers, schema: { tags, querystring: ZApiClientQuery } }, async (req) =>
    clients.listApiClients(ctxOf(req, app), req.query),
  );
  api.post('/api-clients/:id/revoke', { config: managers, schema: { tags, params: ZId, body: ZRevokeInput } }, async (req) =>
    clients.revokeApiClient(ctxOf(req, app), { id: req.params.id, reason: req.body.reason }),
  );
  certificatesRoutes(api, app);
}
