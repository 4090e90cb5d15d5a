export { verificationRoutes } from './verification.routes.js';
export { verificationTaskProvider } from './verification.service.js';
