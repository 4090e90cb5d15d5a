import { z } from 'zod';
import type { Api, AppContext } from '../http/index.js';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './notifications.js';

const signedIn = { policy: { signedIn: true } } as const;
const tags = ['notifications'];

/** The caller's in-app notifications (站内通知): list, mark one read, mark all read. */
export function notificationsRoutes(api: Api, app: AppContext): void {
  api.get(
    '/notifications',
    {
      config: signedIn,
      schema: {
        tags,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          unread: z.enum(['true', 'false']).optional(),
        }),
      },
    },
    async (req) => listNotifications(app.database.db, req.actor, { limit: req.query.limit, unreadOnly: req.query.unread === 'true' }),
  );
  api.post('/notifications/read-all', { config: signedIn, schema: { tags } }, async (req) => markAllNotificationsRead(app.database.db, req.actor, app.clock.now()));
  api.post('/notifications/:id/read', { config: signedIn, schema: { tags, params: z.object({ id: z.uuid() }) } }, async (req) =>
    markNotificationRead(app.database.db, req.actor, req.params.id, app.clock.now()),
  );
}
