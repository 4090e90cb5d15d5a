import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiUrl, type ItemsOf, type Page } from './client';
import { taskKeys } from './tasks';

export const CLASSIFICATIONS = ['basic', 'thematic', 'departmental'] as const;
/** 基础 / 主题 / 部门 information resources. */
export type Classification = (typeof CLASSIFICATIONS)[number];

export const SHARE_TYPES = ['unconditional', 'conditional', 'none'] as const;
/** 无条件共享 / 有条件共享 / 不予共享. */
export type ShareType = (typeof SHARE_TYPES)[number];

export const OPEN_TYPES = ['unconditional', 'conditional', 'none'] as const;
/** 无条件开放 / 有条件开放 / 不予开放. */
export type OpenType = (typeof OPEN_TYPES)[number];

export const SHARE_MANNERS = ['api', 'file', 'query'] as const;
/** 接口 / 文件 / 查询. */
export type ShareManner = (typeof SHARE_MANNERS)[number];

export const UPDATE_FREQUENCIES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'half_yearly',
  'yearly',
  'irregular',
] as const;
/** 更新周期. */
export type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];

export const DATA_TYPES = ['C', 'N', 'Y', 'D', 'T', 'L', 'M', 'G', 'B', 'I', 'F'] as const;
/** GB/T 21063 data types: C 字符 N 数值 Y 货币 D 日期 T 日期时间 L 逻辑 M 备注 G 通用 B 双精度 I 整型 F 浮点. */
export type DataType = (typeof DATA_TYPES)[number];

export const ENTRY_STATUSES = ['draft', 'submitted', 'approved', 'published', 'returned', 'superseded'] as const;
/** Life of one catalog version. */
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

/** 格式分类 values the console offers (assumed codes, see the report). */
export const FORMAT_CATEGORIES = [
  'electronic_file',
  'spreadsheet',
  'database',
  'image',
  'streaming',
  'self_describing',
  'service_interface',
] as const;

/** One data item 信息项. */
export type DataItem = {
  name: string;
  nameEn: string;
  dataType: DataType;
  length: number | null;
  codeList: string | null;
  required: boolean;
  isIdentifier: boolean;
  /** The basic data item (基准信息) this item carries; only its responsible department writes it (一数一源). */
  basicItemId?: string | null;
};

/** The editable fields of one catalog version. */
export type EntryFields = {
  name: string;
  nameEn: string;
  summary: string;
  classification: Classification;
  classCode: string;
  keywords: string[];
  formatCategory: string;
  formatType: string;
  shareType: ShareType;
  shareConditions: string | null;
  legalBasis: string | null;
  shareManner: ShareManner[];
  openType: OpenType;
  openConditions: string | null;
  updateFrequency: UpdateFrequency;
  relatedSystems: string[];
  relatedResourceCodes: string[];
  scopeOfUse: string;
  sharingPeriod: string;
  items: DataItem[];
};

/** One version of an entry. */
export type Version = EntryFields & {
  version: number;
  status: EntryStatus;
  returnReason: string | null;
  createdAt: string;
  createdBy: string;
  createdByName?: string | null;
  publishedAt: string | null;
};

/** A version line in an entry's history. */
export type VersionSummary = {
  version: number;
  status: EntryStatus;
  createdAt: string;
  createdByName: string;
};

/** A catalog entry with its latest version. */
export type Entry = {
  id: string;
  code: string;
  departmentId: string;
  departmentName: string;
  latestVersion: number;
  publishedVersion: number | null;
  status: EntryStatus;
  current: Version;
  versions: VersionSummary[];
};

/** A row of search results and working lists. */
export type EntrySummary = {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  departmentId: string;
  departmentName: string;
  classification: Classification;
  shareType: ShareType;
  openType: OpenType;
  updateFrequency: UpdateFrequency;
  status: EntryStatus;
  version: number;
  publishedAt: string | null;
  summary: string;
  score?: number;
};

export type SearchQuery = {
  q?: string;
  departmentId?: string;
  shareType?: ShareType;
  openType?: OpenType;
  classification?: Classification;
  updateFrequency?: UpdateFrequency;
  page: number;
  pageSize: number;
};

export type EntriesQuery = { departmentId?: string; status?: EntryStatus; page: number; pageSize: number };

export type TransitionAction = 'submit' | 'approve' | 'return' | 'publish';

/** One difference between two versions; `field` may be a path like `items[2].length`. */
export type DiffChange = { field: string; before: unknown; after: unknown };
export type EntryDiff = { from: number; to: number; changes: DiffChange[] };

/** A half-yearly publication (公示) of the city catalog. */
export type SnapshotSummary = { id: string; title: string; period: string; createdAt: string; entryCount: number };
/** Snapshot entries are versions; the backend may add the entry's identity to each. */
export type SnapshotEntry = Version & {
  entryId?: string;
  code?: string;
  departmentId?: string;
  departmentName?: string;
};
export type Snapshot = { id: string; title: string; period: string; createdAt: string; entries: SnapshotEntry[] };

/** A basic-information catalog item and its one responsible department. */
export type BasicItem = {
  id: string;
  subject: string;
  category: string;
  categoryEn: string;
  name: string;
  nameEn: string;
  departmentId: string;
  departmentName: string;
  sources: string[] | string | null;
};
/** Subjects of the basic-information catalog: 人口, 法人, 自然资源和空间地理. */
export const BASIC_SUBJECTS = ['population', 'legal_person', 'natural_resources'] as const;

export type BasicItemQuery = { subject?: string; departmentId?: string; q?: string };
export type ClaimBasicItemInput = { subject: string; category: string; categoryEn: string; name: string; nameEn: string };

export const LIST_KINDS = ['responsibility', 'demand', 'negative'] as const;
/** 责任清单 / 需求清单 / 负面清单. */
export type ListKind = (typeof LIST_KINDS)[number];
export type ListItem = {
  id: string;
  kind: ListKind;
  title: string;
  description: string;
  entryId: string | null;
  createdAt: string;
};
export type ListItemInput = { kind: ListKind; title: string; description: string; entryId?: string };

export type ImportResult = { created: number };

/** Query keys of the catalog domain. */
export const catalogKeys = {
  all: ['catalog'] as const,
  search: (query: SearchQuery) => [...catalogKeys.all, 'search', query] as const,
  entries: (query: EntriesQuery) => [...catalogKeys.all, 'entries', query] as const,
  entry: (id: string) => [...catalogKeys.all, 'entry', id] as const,
  version: (id: string, n: number) => [...catalogKeys.all, 'entry', id, 'version', n] as const,
  diff: (id: string, from: number, to: number) => [...catalogKeys.all, 'entry', id, 'diff', from, to] as const,
  reviewQueue: () => [...catalogKeys.all, 'review-queue'] as const,
  snapshots: () => [...catalogKeys.all, 'snapshots'] as const,
  snapshot: (id: string) => [...catalogKeys.all, 'snapshot', id] as const,
  basicItems: (query: BasicItemQuery) => [...catalogKeys.all, 'basic-items', query] as const,
  lists: (departmentId: string) => [...catalogKeys.all, 'lists', departmentId] as const,
};

/** Published entries ranked by relevance. */
export function useCatalogSearch(query: SearchQuery) {
  return useQuery({
    queryKey: catalogKeys.search(query),
    queryFn: ({ signal }) => api.get<Page<EntrySummary>>('/catalog/search', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** The working list (own department in any state, others' published). */
export function useEntries(query: EntriesQuery, enabled = true) {
  return useQuery({
    queryKey: catalogKeys.entries(query),
    queryFn: ({ signal }) => api.get<Page<EntrySummary>>('/catalog/entries', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** One entry with its latest version and history. */
export function useEntry(id: string | undefined) {
  return useQuery({
    queryKey: catalogKeys.entry(id ?? ''),
    queryFn: ({ signal }) => api.get<Entry>(`/catalog/entries/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** One specific version of an entry. */
export function useEntryVersion(id: string | undefined, n: number | undefined) {
  return useQuery({
    queryKey: catalogKeys.version(id ?? '', n ?? 0),
    queryFn: ({ signal }) => api.get<Version>(`/catalog/entries/${id}/versions/${n}`, undefined, signal),
    enabled: Boolean(id) && n !== undefined && n > 0,
  });
}

/** Differences between two versions. */
export function useEntryDiff(id: string | undefined, from: number | undefined, to: number | undefined) {
  return useQuery({
    queryKey: catalogKeys.diff(id ?? '', from ?? 0, to ?? 0),
    queryFn: ({ signal }) => api.get<EntryDiff>(`/catalog/entries/${id}/diff`, { from, to }, signal),
    enabled: Boolean(id) && from !== undefined && to !== undefined && from !== to,
  });
}

/** Entries awaiting the caller's decision. */
export function useReviewQueue() {
  return useQuery({
    queryKey: catalogKeys.reviewQueue(),
    queryFn: ({ signal }) => api.get<ItemsOf<EntrySummary>>('/catalog/review-queue', undefined, signal),
  });
}

/** Everything a catalog write may change. */
function useInvalidateCatalog() {
  const qc = useQueryClient();
  return () => {
    void qc.invalidateQueries({ queryKey: catalogKeys.all });
    void qc.invalidateQueries({ queryKey: taskKeys.all });
  };
}

/** Creates a new draft entry for the editor's department. */
export function useCreateEntry() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (fields: EntryFields) => api.post<Entry>('/catalog/entries', fields),
    onSuccess: invalidate,
  });
}

/** Saves the latest version while it is a draft or returned. */
export function useSaveDraft() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: ({ id, fields }: { id: string; fields: EntryFields }) =>
      api.put<Entry>(`/catalog/entries/${id}/draft`, fields),
    onSuccess: invalidate,
  });
}

/** Starts a new draft version copied from the published one. */
export function useNewVersion() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (id: string) => api.post<Entry>(`/catalog/entries/${id}/versions`),
    onSuccess: invalidate,
  });
}

/** Moves an entry through its workflow. */
export function useTransition() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: TransitionAction; reason?: string }) =>
      api.post<Entry>(`/catalog/entries/${id}/transitions`, reason ? { action, reason } : { action }),
    onSuccess: invalidate,
  });
}

/** Published snapshots. */
export function useSnapshots() {
  return useQuery({
    queryKey: catalogKeys.snapshots(),
    queryFn: ({ signal }) => api.get<ItemsOf<SnapshotSummary>>('/catalog/snapshots', undefined, signal),
  });
}

/** One snapshot with its entries. */
export function useSnapshot(id: string | undefined) {
  return useQuery({
    queryKey: catalogKeys.snapshot(id ?? ''),
    queryFn: ({ signal }) => api.get<Snapshot>(`/catalog/snapshots/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Publishes (公示) the current catalog as a snapshot (authority). */
export function useCreateSnapshot() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (input: { title: string; period: string }) => api.post<SnapshotSummary>('/catalog/snapshots', input),
    onSuccess: invalidate,
  });
}

/** The basic-information catalog. */
export function useBasicItems(query: BasicItemQuery, enabled = true) {
  return useQuery({
    queryKey: catalogKeys.basicItems(query),
    queryFn: ({ signal }) => api.get<ItemsOf<BasicItem>>('/catalog/basic-items', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Claims a new basic item for the caller's department. */
export function useClaimBasicItem() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (input: ClaimBasicItemInput) => api.post<BasicItem>('/catalog/basic-items', input),
    onSuccess: invalidate,
  });
}

/** Moves a basic item to another responsible department (authority). */
export function useReassignBasicItem() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: ({ id, ...input }: { id: string; departmentId: string; reason: string }) =>
      api.post<BasicItem>(`/catalog/basic-items/${id}/reassign`, input),
    onSuccess: invalidate,
  });
}

/** A department's responsibility, demand and negative lists. */
export function useDepartmentLists(departmentId: string | undefined) {
  return useQuery({
    queryKey: catalogKeys.lists(departmentId ?? ''),
    queryFn: ({ signal }) => api.get<ItemsOf<ListItem>>(`/departments/${departmentId}/lists`, undefined, signal),
    enabled: Boolean(departmentId),
  });
}

/** Adds an item to one of a department's lists. */
export function useAddListItem(departmentId: string) {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (input: ListItemInput) => api.post<ListItem>(`/departments/${departmentId}/lists`, input),
    onSuccess: invalidate,
  });
}

/** Removes an item from a department's lists. */
export function useDeleteListItem(departmentId: string) {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (itemId: string) => api.del(`/departments/${departmentId}/lists/${itemId}`),
    onSuccess: invalidate,
  });
}

/** Uploads an xlsx of entries; a 422 CATALOG_IMPORT_INVALID lists the bad rows. */
export function useImportCatalog() {
  const invalidate = useInvalidateCatalog();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file);
      return api.upload<ImportResult>('/catalog/import', form);
    },
    onSuccess: invalidate,
  });
}

/** Download address of the xlsx export for the given search filters. */
export function exportXlsxUrl(query: Omit<SearchQuery, 'page' | 'pageSize'>): string {
  return apiUrl('/catalog/export.xlsx', query);
}

/** Download address of the DCAT-AP 3 JSON-LD export. */
export function exportJsonLdUrl(): string {
  return apiUrl('/catalog/export.jsonld');
}
