import { z } from 'zod';
import type { Api, AppContext } from '../http/index.js';
import { EMAIL_STATUSES, getEmail, listEmails } from './email.js';

const operators = { policy: { roles: ['platform_admin'] } } as const;
const tags = ['emails'];

/** The email outbox (邮件发件箱) for the platform's operators: what was queued, sent, failed or given up, and why. */
export function emailsRoutes(api: Api, app: AppContext): void {
  api.get(
    '/emails',
    {
      config: operators,
      schema: {
        tags,
        querystring: z.object({
          status: z.enum(EMAIL_STATUSES).optional(),
          kind: z.string().min(1).max(64).optional(),
          departmentId: z.uuid().optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
    },
    async (req) => listEmails(app.database.db, req.query),
  );
  api.get('/emails/:id', { config: operators, schema: { tags, params: z.object({ id: z.uuid() }) } }, async (req) => getEmail(app.database.db, req.params.id));
}
