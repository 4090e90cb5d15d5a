import { type Api, type AppContext, ctxOf, type RouteModule } from '../http/index.js';
import { collectTasks, type TaskRegistry } from './tasks.js';

/** `GET /tasks`: the caller's to-do list from every registered provider. */
export function tasksRoutes(registry: TaskRegistry): RouteModule {
  return (api: Api, app: AppContext) => {
    api.get('/tasks', { config: { policy: { signedIn: true } }, schema: { tags: ['home'] } }, async (req) => ({ items: await collectTasks(registry, ctxOf(req, app)) }));
  };
}
