import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of data collection. */
export const COLLECTION_ERRORS = {
  /** No published catalog entry with this code, or the actor may not know of it. */
  COLLECTION_DATASET_NOT_FOUND: { status: 404, title: 'Dataset not found 数据集不存在' },
  /** The entry is published but has no data items, so there is no schema to collect against. */
  COLLECTION_NO_ITEMS: { status: 409, title: 'Entry has no data items 目录未定义信息项' },
  /** An atomic batch had at least one bad row; nothing was applied. */
  COLLECTION_BATCH_INVALID: { status: 422, title: 'Batch rejected 批次校验未通过' },
  /** The Idempotency-Key was used before for a different request. */
  COLLECTION_IDEMPOTENCY_CONFLICT: { status: 409, title: 'Idempotency key reused 幂等键已用于其他请求' },
  /** No upload with this id in this dataset. */
  COLLECTION_UPLOAD_NOT_FOUND: { status: 404, title: 'Upload not found 上传记录不存在' },
  /** The upload carries no file, or a file that is neither .csv nor .xlsx. */
  COLLECTION_UPLOAD_NO_FILE: { status: 400, title: 'No usable file 未收到可用的文件' },
  /** The uploaded file is larger than HUITONG_UPLOAD_MAX_BYTES. */
  COLLECTION_UPLOAD_TOO_LARGE: { status: 413, title: 'File too large 文件过大' },
  /** The file's columns do not match the dataset's data items (unknown or missing required columns). */
  COLLECTION_UPLOAD_COLUMNS: { status: 422, title: 'Columns do not match 表头与信息项不符' },
  /** No quarantined row with this id in this dataset. */
  COLLECTION_QUARANTINE_NOT_FOUND: { status: 404, title: 'Quarantined row not found 隔离记录不存在' },
  /** The quarantined row was resubmitted or discarded already. */
  COLLECTION_QUARANTINE_CLOSED: { status: 409, title: 'Quarantined row already closed 隔离记录已处理' },
  /** The fixed row still fails the dataset's checks; it stays in quarantine. */
  COLLECTION_QUARANTINE_INVALID: { status: 422, title: 'Row still invalid 修正后仍未通过校验' },
  /** One data, one source: the batch carries values of a basic data item another department is responsible for; nothing was written. */
  COLLECTION_NOT_SOURCE: { status: 422, title: 'Not the responsible department 非该数据项责任部门' },
  /** No record with this key (identifier, declared key or ref) in this dataset. */
  COLLECTION_RECORD_NOT_FOUND: { status: 404, title: 'Record not found 记录不存在' },
} as const satisfies Record<string, ErrorSpec>;

export type CollectionErrorCode = keyof typeof COLLECTION_ERRORS;

export const collectionError = errorFactory(COLLECTION_ERRORS);
