import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DataItem, UpdateFrequency } from './catalog';
import { api, apiUrl, type ItemsOf, request } from './client';

/** How a batch or an upload treats bad rows: `atomic` refuses all, `partial` keeps the good rows. */
export const BATCH_MODES = ['atomic', 'partial'] as const;
export type BatchMode = (typeof BATCH_MODES)[number];

/** applied / partial / rejected. */
export type BatchStatus = 'applied' | 'partial' | 'rejected';

export const UPLOAD_STATUSES = ['receiving', 'processing', 'done', 'rejected', 'failed'] as const;
/** Where an upload stands; the first two are still running. */
export type UploadStatus = (typeof UPLOAD_STATUSES)[number];

export const QUARANTINE_STATUSES = ['open', 'resubmitted', 'discarded'] as const;
/** open: waiting for a fix · resubmitted: fixed, or a later batch wrote the same key · discarded: dropped. */
export type QuarantineStatus = (typeof QUARANTINE_STATUSES)[number];

export const FRESHNESS = ['ok', 'due_soon', 'overdue', 'never', 'not_applicable'] as const;
/** Whether the dataset was updated as often as its catalog entry promises. */
export type Freshness = (typeof FRESHNESS)[number];

/** A dataset of the own department (`GET /datasets`): exists from the first batch on. */
export type Dataset = {
  id: string;
  code: string;
  entryId: string;
  schemaVersion: number;
  keyKind: 'subject' | 'declared';
  items: DataItem[];
  recordCount: number;
  lastWrittenAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Quality at a glance (declared frequency, freshness, last accepted batch, open quarantine). */
  updateFrequency?: UpdateFrequency | null;
  freshness?: { status: Freshness; dueAt: string | null };
  lastUpdatedAt?: string | null;
  openQuarantine?: number;
};

/** One problem of one row; never the value. */
export type RowError = { row?: number; field: string; rule: string; message: string };

/** One batch (an API call, or a 2,000-row chunk of an upload). */
export type Batch = {
  id: string;
  idempotencyKey: string;
  mode: BatchMode;
  status: BatchStatus;
  received: number;
  accepted: number;
  rejected: number;
  createdBy: string;
  createdByName?: string | null;
  createdAt: string;
};

/** One file upload and its running counters. */
export type Upload = {
  id: string;
  filename: string;
  format: 'csv' | 'xlsx';
  mode: BatchMode;
  status: UploadStatus;
  rowsRead: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  error: { code: string; message: string; errors?: RowError[] } | null;
  createdBy: string;
  startedAt: string;
  finishedAt: string | null;
};

/** A quarantined row: its values as sent (identifiers masked) and why it was refused. */
export type QuarantineRow = {
  id: string;
  batchId: string;
  row: number;
  raw: { key?: string; values?: Record<string, unknown>; unreadable?: boolean } | null;
  errors: RowError[];
  status: QuarantineStatus;
  createdAt: string;
  /** A fix may leave the identifier out: the platform still holds the one the row was sent with. */
  identifierRecoverable?: boolean;
  resubmittedBatchId?: string | null;
  resolvedAt?: string | null;
};

/** The quality panel of one dataset (`GET /datasets/{code}/quality`). */
export type DatasetQuality = {
  datasetCode: string;
  title: string;
  recordCount: number;
  deletedCount: number;
  lastUpdatedAt: string | null;
  updateFrequency: UpdateFrequency | null;
  freshness: { status: Freshness; dueAt: string | null };
  /** Ratios 0..1; null when there is nothing to measure yet. */
  completeness: number | null;
  validity: number | null;
  duplicates: number | null;
  openQuarantine: number;
  items: { name: string; title: string; completeness: number | null }[];
  batchesLast30Days: { date: string; accepted: number; rejected: number }[];
};

/** One department's line of the authority's collection overview. */
export type OverviewRow = {
  departmentId: string;
  departmentName: string;
  datasets: number;
  records: number;
  overdue: number;
  openQuarantine: number;
  completeness: number | null;
  validity: number | null;
  lastUpdatedAt: string | null;
};

export type FixInput = { id: string; values: Record<string, string> };
export type FixResult = { status: 'resubmitted'; batchId: string };

type PageQuery = { page: number; pageSize: number };

/** One current record (`GET /datasets/{code}/records`): identifiers masked; `ref` is opaque (a token or the declared key). */
export type DatasetRecord = {
  ref: string;
  key: string;
  version: number;
  updatedAt: string;
  deleted: boolean;
  values: Record<string, unknown>;
};

/** One version of a record, with who wrote it and in which batch. */
export type RecordVersion = {
  version: number;
  writtenAt: string;
  writtenBy: { id: string; name: string | null; kind: 'user' | 'client' | null };
  batchId: string;
  schemaVersion: number;
  deleted: boolean;
  values: Record<string, unknown>;
};

export type RecordsQuery = PageQuery & { q?: string; includeDeleted?: boolean };

/** Resource codes hold a slash (`前段码/后段码`): one path segment, encoded. */
export const datasetPath = (code: string) => `/datasets/${encodeURIComponent(code)}`;

/** Whether an upload is still being received or processed. */
export const isUploadRunning = (u: Pick<Upload, 'status'> | undefined) =>
  u?.status === 'receiving' || u?.status === 'processing';

/** Where a batch came from: uploads send their chunks with keys `upload:<id>:<n>`. */
export const batchSource = (b: Pick<Batch, 'idempotencyKey'>): 'upload' | 'api' =>
  b.idempotencyKey.startsWith('upload:') ? 'upload' : 'api';

/** Query keys of the collection domain. */
export const collectionKeys = {
  all: ['collection'] as const,
  datasets: () => [...collectionKeys.all, 'datasets'] as const,
  dataset: (code: string) => [...collectionKeys.all, 'dataset', code] as const,
  quality: (code: string) => [...collectionKeys.dataset(code), 'quality'] as const,
  batches: (code: string, query: PageQuery) => [...collectionKeys.dataset(code), 'batches', query] as const,
  uploads: (code: string) => [...collectionKeys.dataset(code), 'uploads'] as const,
  upload: (code: string, id: string) => [...collectionKeys.dataset(code), 'upload', id] as const,
  quarantine: (code: string, query: PageQuery & { status?: QuarantineStatus }) =>
    [...collectionKeys.dataset(code), 'quarantine', query] as const,
  overview: () => [...collectionKeys.all, 'overview'] as const,
  records: (code: string, query: RecordsQuery) => [...collectionKeys.dataset(code), 'records', query] as const,
  history: (code: string, ref: string) => [...collectionKeys.dataset(code), 'history', ref] as const,
};

/** The own department's datasets (those that have received a batch). */
export function useMyDatasets() {
  return useQuery({
    queryKey: collectionKeys.datasets(),
    queryFn: ({ signal }) => api.get<ItemsOf<Dataset>>('/datasets', undefined, signal),
  });
}

/** The quality panel of one dataset; a 404 leaves the rest of the page working. */
export function useDatasetQuality(code: string) {
  return useQuery({
    queryKey: collectionKeys.quality(code),
    queryFn: ({ signal }) => api.get<DatasetQuality>(`${datasetPath(code)}/quality`, undefined, signal),
    retry: false,
    staleTime: 30_000,
  });
}

/** A dataset's batches, newest first. */
export function useBatches(code: string, query: PageQuery) {
  return useQuery({
    queryKey: collectionKeys.batches(code, query),
    queryFn: ({ signal }) => api.get<ItemsOf<Batch>>(`${datasetPath(code)}/batches`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** A dataset's recent uploads, newest first. */
export function useUploads(code: string) {
  return useQuery({
    queryKey: collectionKeys.uploads(code),
    queryFn: ({ signal }) =>
      api.get<ItemsOf<Upload>>(`${datasetPath(code)}/uploads`, { page: 1, pageSize: 10 }, signal),
  });
}

/** One upload, polled every half second while it runs. */
export function useUpload(code: string, id: string | undefined) {
  return useQuery({
    queryKey: collectionKeys.upload(code, id ?? ''),
    queryFn: ({ signal }) => api.get<Upload>(`${datasetPath(code)}/uploads/${id}`, undefined, signal),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data && !isUploadRunning(q.state.data) ? false : 500),
  });
}

/** Sends a CSV or xlsx file; the answer is the id of the upload to follow. */
export function useStartUpload(code: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, mode }: { file: File; mode: BatchMode }) => {
      const formData = new FormData();
      formData.append('file', file, file.name);
      return request<{ uploadId: string }>(`${datasetPath(code)}/uploads`, {
        method: 'POST',
        query: { mode },
        formData,
      });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: collectionKeys.uploads(code) }),
  });
}

/** The xlsx report of an upload's bad rows. */
export function uploadErrorReportUrl(code: string, uploadId: string): string {
  return apiUrl(`${datasetPath(code)}/uploads/${uploadId}/errors.xlsx`);
}

/** A dataset's quarantined rows. */
export function useQuarantine(code: string, query: PageQuery & { status?: QuarantineStatus }) {
  return useQuery({
    queryKey: collectionKeys.quarantine(code, query),
    queryFn: ({ signal }) => api.get<ItemsOf<QuarantineRow>>(`${datasetPath(code)}/quarantine`, query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Resubmits a quarantined row with corrected values. */
export function useFixQuarantine(code: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, values }: FixInput) => api.put<FixResult>(`${datasetPath(code)}/quarantine/${id}`, { values }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: collectionKeys.dataset(code) });
      void qc.invalidateQueries({ queryKey: collectionKeys.datasets() });
    },
  });
}

/** Discards a quarantined row. */
export function useDiscardQuarantine(code: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.del(`${datasetPath(code)}/quarantine/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: collectionKeys.dataset(code) }),
  });
}

/** The authority's collection overview across departments. */
export function useCollectionOverview() {
  return useQuery({
    queryKey: collectionKeys.overview(),
    queryFn: ({ signal }) => api.get<ItemsOf<OverviewRow>>('/collection/overview', undefined, signal),
    retry: false,
  });
}

/** A page of a dataset's current records (identifiers masked), searchable by full identifier or key. */
export function useRecords(code: string, query: RecordsQuery) {
  return useQuery({
    queryKey: collectionKeys.records(code, query),
    queryFn: ({ signal }) =>
      api.get<{ items: DatasetRecord[]; total: number }>(
        `${datasetPath(code)}/records`,
        { page: query.page, pageSize: query.pageSize, q: query.q || undefined, includeDeleted: query.includeDeleted ? 'true' : undefined },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

/** Every version of one record, newest first. */
export function useRecordHistory(code: string, ref: string | undefined) {
  return useQuery({
    queryKey: collectionKeys.history(code, ref ?? ''),
    queryFn: ({ signal }) =>
      api.get<{ ref: string; key: string; versions: RecordVersion[] }>(
        `${datasetPath(code)}/records/${encodeURIComponent(ref ?? '')}/history`,
        undefined,
        signal,
      ),
    enabled: Boolean(ref),
  });
}

/** Reveals a record's full identifier (department administrators; audited with the reason). Never cached. */
export function useRevealIdentifier(code: string) {
  return useMutation({
    mutationFn: ({ ref, reason }: { ref: string; reason: string }) =>
      api.post<{ identifier: string }>(`${datasetPath(code)}/records/reveal`, { key: ref, reason }),
  });
}
