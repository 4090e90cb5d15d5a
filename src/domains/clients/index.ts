export { clientsRoutes } from './clients.routes.js';
export { authenticateClient } from './clients.service.js';
export { authenticateCertificate } from './certificate-auth.js';
export * as certificatesService from './certificates.service.js';
export { CERTIFICATE_DEFAULT_DAYS, CERTIFICATE_MAX_DAYS } from './certificates.schema.js';
