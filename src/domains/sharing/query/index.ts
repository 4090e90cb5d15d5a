// The sharing query API (共享查询): consumer systems read and verify shared data under grants.
export { MASKINGS, type Masking, maskValue, presentValue, type ValueKind, valueKindOf } from './masking.js';
export { QUERY_ERRORS, type QueryErrorCode } from './query.errors.js';
export { sharingQueryRoutes } from './query.routes.js';
export type { TDatasetAnswer, TSubjectAnswer, TVerifyAnswer } from './query.schema.js';
export { invalidateGrantCache } from './runtime.js';
