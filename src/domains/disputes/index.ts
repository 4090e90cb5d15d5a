export { disputesRoutes } from './disputes.routes.js';
export { disputedSubjects, disputeTaskProvider } from './disputes.service.js';
export { sweepOverdueDisputes } from './disputes.sweep.js';
