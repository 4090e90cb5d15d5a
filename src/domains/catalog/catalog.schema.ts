import { z } from 'zod';

/** 信息资源分类 top classes: 基础 (basic), 主题 (thematic), 部门 (departmental). */
export const CLASSIFICATIONS = ['basic', 'thematic', 'departmental'] as const;
/** 共享类型: 无条件共享, 有条件共享, 不予共享. */
export const SHARE_TYPES = ['unconditional', 'conditional', 'none'] as const;
/** 开放类型: 无条件开放, 有条件开放, 不予开放. */
export const OPEN_TYPES = ['unconditional', 'conditional', 'none'] as const;
/** 共享方式: 接口 (API), 文件 (file), 查询 (query). */
export const SHARE_MANNERS = ['api', 'file', 'query'] as const;
/** 更新周期. */
export const UPDATE_FREQUENCIES = ['realtime', 'daily', 'weekly', 'monthly', 'quarterly', 'half_yearly', 'yearly', 'irregular'] as const;
/** 格式分类 of the 2017 guideline. */
export const FORMAT_CATEGORIES = ['electronic_file', 'spreadsheet', 'database', 'image', 'streaming', 'self_describing', 'service_interface'] as const;
/** 信息项数据类型: C 字符, N 数值, Y 货币, D 日期, T 日期时间, L 逻辑, M 备注, G 通用, B 双精度, I 整型, F 浮点. */
export const DATA_TYPES = ['C', 'N', 'Y', 'D', 'T', 'L', 'M', 'G', 'B', 'I', 'F'] as const;
/** Data types whose items must declare a length (structured character and number fields). */
export const TYPES_WITH_LENGTH: readonly string[] = ['C', 'N', 'Y', 'I', 'F', 'B'];

/** Where a version stands in the catalog workflow. */
export const ENTRY_STATUSES = [
  'draft', // being written by the department's editor
  'submitted', // waiting for the department's reviewer
  'approved', // approved by the reviewer, waiting for the authority to publish
  'published', // the version in force in the city catalog
  'returned', // sent back with a reason; the editor fixes and resubmits
  'superseded', // a published version replaced by a newer published one
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const ZDataItem = z.strictObject({
  name: z.string().trim().min(1, 'required 必填').max(100),
  nameEn: z
    .string()
    .trim()
    .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'English identifier: letters, digits and _ , starting with a letter 英文标识符'),
  dataType: z.enum(DATA_TYPES),
  length: z.number().int().min(1).max(65535).nullable().default(null),
  codeList: z.string().trim().max(200).nullable().default(null),
  required: z.boolean().default(false),
  isIdentifier: z.boolean().default(false),
  /** The basic data item (基准信息目录, `basic_items`) this item carries; only its responsible department may write it (一数一源). Checked to exist on submit and publish. */
  basicItemId: z.uuid().nullish(),
});
export type TDataItem = z.infer<typeof ZDataItem>;

const text = (max: number) => z.string().trim().max(max);

/** The metadata of one version of a catalog entry (GB/T 21063, 发改高技〔2017〕1272号). */
export const ZEntryFieldsBase = z.strictObject({
  name: z.string().trim().min(2, 'at least 2 characters 至少 2 个字').max(100),
  nameEn: text(200).default(''),
  summary: z.string().trim().min(1, 'required 必填').max(2000),
  classification: z.enum(CLASSIFICATIONS),
  classCode: z.string().regex(/^[1-3]\d{5}\d*$/, '类 (1 digit) + 项 (2) + 目 (3) [+ 细目] 分类代码'),
  keywords: z.array(text(30).min(1)).max(20).default([]),
  formatCategory: z.enum(FORMAT_CATEGORIES),
  formatType: text(50).default(''),
  shareType: z.enum(SHARE_TYPES),
  shareConditions: text(2000).default(''),
  legalBasis: text(2000).default(''),
  shareManner: z.array(z.enum(SHARE_MANNERS)).max(3).default([]),
  openType: z.enum(OPEN_TYPES),
  openConditions: text(2000).default(''),
  updateFrequency: z.enum(UPDATE_FREQUENCIES),
  relatedSystems: z.array(text(100).min(1)).max(20).default([]),
  relatedResourceCodes: z.array(text(40).min(1)).max(20).default([]),
  scopeOfUse: text(1000).default(''),
  sharingPeriod: text(100).default(''),
  items: z.array(ZDataItem).max(500).default([]),
});

/** Cross-field rules: legal basis for restricted sharing, lengths, unique item names. */
export const ZEntryFields = ZEntryFieldsBase.superRefine((e, ctx) => {
  const classDigit = { basic: '1', thematic: '2', departmental: '3' }[e.classification];
  if (!e.classCode.startsWith(classDigit)) {
    ctx.addIssue({ code: 'custom', path: ['classCode'], message: `must start with ${classDigit} for ${e.classification} 分类代码与分类不一致`, params: { rule: 'class_prefix' } });
  }
  if (e.shareType !== 'unconditional' && !e.legalBasis) {
    ctx.addIssue({ code: 'custom', path: ['legalBasis'], message: 'conditional and not-shared entries need a legal basis 有条件共享和不予共享须注明法律依据', params: { rule: 'legal_basis_required' } });
  }
  if (e.shareType === 'conditional' && !e.shareConditions) {
    ctx.addIssue({ code: 'custom', path: ['shareConditions'], message: 'conditional sharing needs its conditions 有条件共享须注明共享条件', params: { rule: 'share_conditions_required' } });
  }
  if (e.shareType !== 'none' && e.shareManner.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['shareManner'], message: 'choose at least one share manner 请选择共享方式', params: { rule: 'share_manner_required' } });
  }
  if (e.openType === 'conditional' && !e.openConditions) {
    ctx.addIssue({ code: 'custom', path: ['openConditions'], message: 'conditional opening needs its conditions 有条件开放须注明开放条件', params: { rule: 'open_conditions_required' } });
  }
  const seen = new Set<string>();
  e.items.forEach((item, i) => {
    if (TYPES_WITH_LENGTH.includes(item.dataType) && item.length === null) {
      ctx.addIssue({ code: 'custom', path: ['items', i, 'length'], message: `type ${item.dataType} needs a length 该数据类型须填写长度`, params: { rule: 'length_required' } });
    }
    if (seen.has(item.name)) {
      ctx.addIssue({ code: 'custom', path: ['items', i, 'name'], message: 'duplicate data item name 信息项名称重复', params: { rule: 'unique' } });
    }
    seen.add(item.name);
  });
});
export type TEntryFields = z.infer<typeof ZEntryFields>;

export const ZTransition = z.strictObject({
  action: z.enum(['submit', 'approve', 'return', 'publish']),
  reason: z.string().trim().max(1000).optional(),
});

export const ZSearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  departmentId: z.uuid().optional(),
  shareType: z.enum(SHARE_TYPES).optional(),
  openType: z.enum(OPEN_TYPES).optional(),
  classification: z.enum(CLASSIFICATIONS).optional(),
  updateFrequency: z.enum(UPDATE_FREQUENCIES).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TSearchQuery = z.infer<typeof ZSearchQuery>;

export const ZBasicItemClaim = z.strictObject({
  subject: z.enum(['population', 'legal_person', 'natural_resources']),
  category: z.string().trim().min(1).max(100),
  categoryEn: z.string().trim().max(200).default(''),
  name: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().max(100).default(''),
});
export type TBasicItemClaim = z.infer<typeof ZBasicItemClaim>;

export const ZListItemInput = z.strictObject({
  kind: z.enum(['responsibility', 'demand', 'negative']),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  entryId: z.uuid().nullable().default(null),
});
export type TListItemInput = z.infer<typeof ZListItemInput>;

export const ZSnapshotInput = z.strictObject({
  title: z.string().trim().min(1).max(200),
  period: z.string().regex(/^\d{4}-H[12]$/, 'half-year as YYYY-H1 or YYYY-H2'),
});
