import {
  CLASSIFICATIONS,
  type Classification,
  type DataItem,
  ENTRY_STATUSES,
  type EntryFields,
  OPEN_TYPES,
  SHARE_TYPES,
  UPDATE_FREQUENCIES,
} from '../api/catalog';
import type { MessageKey, TFunction } from '../i18n';

/** Select options for the catalog enumerations, labelled through the dictionary. */
export function catalogOptions(t: TFunction) {
  return {
    shareType: SHARE_TYPES.map((v) => ({ value: v, label: t(`shareType.${v}`) })),
    openType: OPEN_TYPES.map((v) => ({ value: v, label: t(`openType.${v}`) })),
    classification: CLASSIFICATIONS.map((v) => ({ value: v, label: t(`classification.${v}`) })),
    updateFrequency: UPDATE_FREQUENCIES.map((v) => ({ value: v, label: t(`frequency.${v}`) })),
    status: ENTRY_STATUSES.map((v) => ({ value: v, label: t(`status.${v}`) })),
  };
}

/** Narrows a URL string to one of the allowed values. */
export function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | undefined {
  return allowed.find((v) => v === value);
}

/** Label of a classification value, tolerating unknown ones. */
export function classificationLabel(t: TFunction, value: Classification | string): string {
  return (CLASSIFICATIONS as readonly string[]).includes(value) ? t(`classification.${value as Classification}`) : value;
}

/** Dictionary keys of the entry fields, in display order. */
export const ENTRY_FIELD_LABELS = {
  name: 'entry.name',
  nameEn: 'entry.nameEn',
  summary: 'entry.summary',
  classification: 'entry.classification',
  classCode: 'entry.classCode',
  keywords: 'entry.keywords',
  formatCategory: 'entry.formatCategory',
  formatType: 'entry.formatType',
  shareType: 'entry.shareType',
  shareConditions: 'entry.shareConditions',
  legalBasis: 'entry.legalBasis',
  shareManner: 'entry.shareManner',
  openType: 'entry.openType',
  openConditions: 'entry.openConditions',
  updateFrequency: 'entry.updateFrequency',
  relatedSystems: 'entry.relatedSystems',
  relatedResourceCodes: 'entry.relatedResourceCodes',
  scopeOfUse: 'entry.scopeOfUse',
  sharingPeriod: 'entry.sharingPeriod',
  items: 'entry.items',
} as const satisfies Record<keyof EntryFields, MessageKey>;

/** Dictionary keys of the data-item fields, in display order. */
export const ITEM_FIELD_LABELS = {
  name: 'item.name',
  nameEn: 'item.nameEn',
  dataType: 'item.dataType',
  length: 'item.length',
  codeList: 'item.codeList',
  required: 'item.required',
  isIdentifier: 'item.isIdentifier',
  basicItemId: 'item.basicItem',
} as const satisfies Record<keyof DataItem, MessageKey>;

/** A readable label for a server field path like `items[2].length` (→ 信息项第 3 行 · 长度). */
export function fieldPathLabel(t: TFunction, path: readonly (string | number)[]): string {
  const [head, index, sub] = path;
  if (head === 'items' && index !== undefined) {
    // Editor errors name the row (`items[2]`); version diffs name the item (`items.姓名.length`).
    const row = typeof index === 'number' ? t('editor.itemRow', { n: index + 1 }) : t('editor.itemNamed', { name: index });
    if (typeof sub === 'string' && sub in ITEM_FIELD_LABELS) {
      return `${row} · ${t(ITEM_FIELD_LABELS[sub as keyof DataItem])}`;
    }
    return row;
  }
  if (typeof head === 'string' && head in ENTRY_FIELD_LABELS) {
    const label = t(ENTRY_FIELD_LABELS[head as keyof EntryFields]);
    return typeof index === 'number' ? `${label} #${index + 1}` : label;
  }
  return path.join('.');
}
