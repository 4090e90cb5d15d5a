export { actorFromSession, SESSION_COOKIE } from './auth.service.js';
export { orgsRoutes } from './orgs.routes.js';
export * as orgsService from './orgs.service.js';
export { hashPassword } from './password.js';
export { ZUserInput } from './orgs.schema.js';
