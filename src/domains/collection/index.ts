export { collectionRoutes } from './collection.routes.js';
export { datasetOfEntry, submitBatch } from './collection.service.js';
export type { BatchResponse, RowError } from './collection.schema.js';
export { failInterruptedUploads } from './use-cases/upload-file.js';
export { type BasicItemValue, currentValuesOfBasicItem } from './use-cases/basic-item-values.js';
export { sweepOverdueDatasets } from './use-cases/quality.js';
