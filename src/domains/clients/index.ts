export { clientsRoutes } from './clients.routes.js';
export { authenticateClient } from './clients.service.js';
