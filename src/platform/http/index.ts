export { attachment } from './attachment.js';
export type { AppContext, Ctx } from './context.js';
export type { RoutePolicy } from './policy.js';
export { sendProblem, toAppError } from './problem.js';
export { type Api, buildServer, ctxOf, type RouteModule } from './server.js';
