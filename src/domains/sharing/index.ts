import type { TaskProvider } from '../../platform/tasks/index.js';
import { sharingTasks } from './requests.service.js';

export { grantServes, sweepLapsedGrants } from './grants.service.js';
export { sweepShareRequests } from './requests.service.js';
export { sharingRoutes } from './sharing.routes.js';
export { startWebhookDelivery, subscriptionRoutes } from './subscriptions/index.js';

/** Sharing's part of the home page's to-do list (registered in src/app.ts). */
export const sharingTaskProvider: TaskProvider = { name: 'sharing', tasks: sharingTasks };
