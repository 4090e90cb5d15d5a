import { z } from 'zod';
import type { Api, AppContext } from '../http/index.js';
import { hashedFieldsOf, listAudit, verifyChain } from './audit.js';

const overseers = { policy: { roles: ['supervisor', 'platform_admin', 'authority'] } } as const;

/** Browsing and verifying the audit trail (supervisors and operators). */
export function auditRoutes(api: Api, app: AppContext): void {
  api.get(
    '/audit',
    {
      config: overseers,
      schema: {
        tags: ['audit'],
        querystring: z.object({
          actorId: z.uuid().optional(),
          departmentId: z.uuid().optional(),
          action: z.string().max(64).optional(),
          outcome: z.enum(['allowed', 'denied']).optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(200).optional(),
          from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => {
      const { items, total } = await listAudit(app.database.db, req.query);
      return {
        total,
        items: items.map((r) => ({ ...hashedFieldsOf(r), hash: r.hash })),
      };
    },
  );
  api.get('/audit/verify', { config: overseers, schema: { tags: ['audit'] } }, async () => verifyChain(app.database.db));
}
