import type { AppContext } from '../../../platform/http/index.js';
import { type Poller, startPoller } from '../../../platform/jobs/poller.js';
import { deliverWebhooks, enqueueWebhookChanges } from './subscriptions.service.js';

export { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, verifyWebhook } from './signature.js';
export { subscriptionRoutes } from './subscriptions.routes.js';
export { deliverWebhooks, enqueueWebhookChanges } from './subscriptions.service.js';

/** Pushes grant changes to webhooks every HUITONG_WEBHOOK_POLL_SECONDS (0: this process does not). */
export function startWebhookDelivery(app: AppContext): Poller {
  const seconds = app.config.HUITONG_WEBHOOK_POLL_SECONDS;
  if (seconds === 0) return { stop: async () => {} };
  return startPoller(app, {
    name: 'webhook delivery run',
    seconds,
    run: async () => {
      await enqueueWebhookChanges(app, app.clock.now());
      await deliverWebhooks(app, app.clock.now());
    },
  });
}
