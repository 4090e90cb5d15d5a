import { z } from 'zod';

/** Most records one batch may carry. */
export const MAX_BATCH_RECORDS = 10_000;

/** How a batch treats bad rows: `atomic` rejects the whole batch, `partial` applies the good rows and quarantines the rest. */
export const BATCH_MODES = ['atomic', 'partial'] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/** What happened to a batch. */
export const BATCH_STATUSES = [
  'applied', // every row was valid and applied
  'partial', // partial mode: the good rows applied, the bad ones quarantined
  'rejected', // atomic mode with at least one bad row: nothing applied
] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** How records of a dataset are keyed: by the subject token of the identifier item, or by a key the provider declares. */
export const KEY_KINDS = ['subject', 'declared'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** Where a quarantined row stands. */
export const QUARANTINE_STATUSES = [
  'open', // waiting for the provider to fix and resend it
  'resubmitted', // a later batch wrote the same key, or the provider fixed the row (PUT) and it went in as a batch of its own
  'discarded', // the provider dropped the row without resending it
] as const;
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

/** A value of a fixed quarantined row, as a batch row would carry it. */
export const ZFixValue = z.union([z.string().max(10_000), z.number(), z.boolean(), z.null()]);

/**
 * The body of `PUT /datasets/{code}/quarantine/{id}`: the row's values, corrected. The
 * identifier item may be left out (or sent back masked, as shown) to keep the identifier the row
 * was received with; `key` only for datasets keyed by a declared key, default the row's own.
 */
export const ZQuarantineFix = z.strictObject({
  values: z.record(z.string().max(200), ZFixValue),
  key: z.string().trim().min(1).max(200).optional(),
});
export type TQuarantineFix = z.infer<typeof ZQuarantineFix>;

/** A data item as the dataset keeps it: the catalog's data item, copied when the schema was taken. */
export const ZSchemaItem = z.object({
  name: z.string(),
  nameEn: z.string(),
  dataType: z.enum(['C', 'N', 'Y', 'D', 'T', 'L', 'M', 'G', 'B', 'I', 'F']),
  length: z.number().int().nullable().default(null),
  codeList: z.string().nullable().default(null),
  required: z.boolean().default(false),
  isIdentifier: z.boolean().default(false),
  /** The basic data item it carries: only that item's responsible department may send values for it (use-cases/one-source.ts). */
  basicItemId: z.string().nullish(),
});
export type TSchemaItem = z.infer<typeof ZSchemaItem>;

/** One record of a batch; validated row by row so a bad row is a per-row error, not a rejected request. */
export const ZRecordInput = z.strictObject({
  key: z.string().trim().min(1).max(200).optional(),
  values: z.record(z.string(), z.unknown()),
  deleted: z.literal(true).optional(),
});
export type TRecordInput = z.infer<typeof ZRecordInput>;

/** The body of `POST /datasets/{code}/batches`; records stay `unknown` here and are checked one by one. */
export const ZBatchBody = z.strictObject({
  records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS),
});
export type TBatchBody = z.infer<typeof ZBatchBody>;

export const ZBatchQuery = z.object({ mode: z.enum(BATCH_MODES).default('atomic') });

export const ZIdempotencyHeaders = z.looseObject({ 'idempotency-key': z.string().trim().min(1).max(200) });

export const ZPage = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One problem of one row: which row (0-based index in `records`), which field, which rule, in words. Never a value. */
export type RowError = { row: number; field: string; rule: string; message: string };

/** The answer to a batch, stored and replayed on a retry. */
export type BatchResponse = {
  batchId: string;
  dataset: string;
  mode: BatchMode;
  status: BatchStatus;
  received: number;
  accepted: number;
  rejected: number;
  /** Accepted rows that changed nothing (same values as the current version). */
  unchanged: number;
  schemaVersion: number;
  errors: RowError[];
};
