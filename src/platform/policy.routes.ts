import type { Api, AppContext } from './http/index.js';

/** The active policy preset, so operators and departments can see the numbers in force. */
export function policyRoutes(api: Api, app: AppContext): void {
  api.get('/admin/policy', { config: { policy: { signedIn: true } }, schema: { tags: ['admin'] } }, async () => app.policy);
}
