import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../../platform/http/index.js';
import { SHARING_ROLES } from '../sharing.policy.js';
import * as subscriptions from './subscriptions.service.js';
import { ZDeliveryQuery, ZFeedQuery, ZSubscriptionInput, ZSubscriptionPatch } from './subscriptions.schema.js';

const ZId = z.object({ id: z.uuid() });
const ZDelivery = z.object({ id: z.uuid(), deliveryId: z.uuid() });
// The consumer department's people; its systems read the feed with the query scope.
const consumers = { policy: { roles: SHARING_ROLES } } as const;
const consumersAndSystems = { policy: { roles: SHARING_ROLES, clients: { scope: 'share:query' } } } as const;
const tags = ['sharing'];

/** A grant's change feed (pull) and its webhook subscription (push), with the dead-letter list. */
export function subscriptionRoutes(api: Api, app: AppContext): void {
  api.get('/grants/:id/changes', { config: consumersAndSystems, schema: { tags, params: ZId, querystring: ZFeedQuery } }, async (req) =>
    subscriptions.readChanges(ctxOf(req, app), req.params.id, req.query),
  );
  api.post('/grants/:id/subscription', { config: consumers, schema: { tags, params: ZId, body: ZSubscriptionInput } }, async (req, reply) =>
    reply.code(201).header('cache-control', 'no-store').send(await subscriptions.createSubscription(ctxOf(req, app), req.params.id, req.body)),
  );
  api.get('/grants/:id/subscription', { config: consumers, schema: { tags, params: ZId } }, async (req) => subscriptions.getSubscription(ctxOf(req, app), req.params.id));
  api.patch('/grants/:id/subscription', { config: consumers, schema: { tags, params: ZId, body: ZSubscriptionPatch } }, async (req) =>
    subscriptions.updateSubscription(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/grants/:id/subscription/rotate-secret', { config: consumers, schema: { tags, params: ZId } }, async (req, reply) =>
    reply.header('cache-control', 'no-store').send(await subscriptions.rotateSecret(ctxOf(req, app), req.params.id)),
  );
  api.get('/grants/:id/subscription/deliveries', { config: consumers, schema: { tags, params: ZId, querystring: ZDeliveryQuery } }, async (req) =>
    subscriptions.listDeliveries(ctxOf(req, app), req.params.id, req.query),
  );
  api.post('/grants/:id/subscription/deliveries/:deliveryId/replay', { config: consumers, schema: { tags, params: ZDelivery } }, async (req) =>
    subscriptions.replayDelivery(ctxOf(req, app), req.params.id, req.params.deliveryId),
  );
}
