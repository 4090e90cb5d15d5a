import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import { ZCertificateParams, ZIssueCertificateInput } from './certificates.schema.js';
import * as certificates from './certificates.service.js';
import { ZRevokeInput } from './clients.schema.js';

const ZId = z.object({ id: z.uuid() });
// The same people who manage the department's API clients; never a client itself.
const managers = { policy: { roles: ['platform_admin', 'dept_admin'] } } as const;
const tags = ['api-clients'];

/** Client certificates (mTLS) of API clients, issued by the platform CA: issue (key shown once), list, revoke. */
export function certificatesRoutes(api: Api, app: AppContext): void {
  api.post('/api-clients/:id/certificates', { config: managers, schema: { tags, params: ZId, body: ZIssueCertificateInput.nullish() } }, async (req, reply) =>
    reply
      .code(201)
      .header('cache-control', 'no-store')
      .send(await certificates.issueCertificate(ctxOf(req, app), { clientId: req.params.id, days: req.body?.days })),
  );
  api.get('/api-clients/:id/certificates', { config: managers, schema: { tags, params: ZId } }, async (req) =>
    certificates.listCertificates(ctxOf(req, app), { clientId: req.params.id }),
  );
  api.post('/api-clients/:id/certificates/:serial/revoke', { config: managers, schema: { tags, params: ZCertificateParams, body: ZRevokeInput } }, async (req) =>
    certificates.revokeCertificate(ctxOf(req, app), { clientId: req.params.id, serial: req.params.serial, reason: req.body.reason }),
  );
}
