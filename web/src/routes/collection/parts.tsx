import { Tag } from 'antd';
import type { Freshness, UploadStatus } from '../../api/collection';
import { useT } from '../../i18n';
import { formatDate } from '../../lib/format';

const FRESHNESS_COLORS: Record<Freshness, string> = {
  ok: 'success',
  due_soon: 'warning',
  overdue: 'error',
  never: 'default',
  not_applicable: 'default',
};

/** 按时更新 / 即将到期 / 已逾期 … with the due date when there is one. */
export function FreshnessTag({ status, dueAt }: { status: Freshness; dueAt?: string | null }) {
  const t = useT();
  return (
    <Tag color={FRESHNESS_COLORS[status]} title={dueAt ? t('collection.dueAt', { date: formatDate(dueAt) }) : undefined}>
      {t(`freshness.${status}`)}
    </Tag>
  );
}

const UPLOAD_COLORS: Record<UploadStatus, string> = {
  receiving: 'processing',
  processing: 'processing',
  done: 'success',
  rejected: 'error',
  failed: 'error',
};

/** 接收中 / 处理中 / 已完成 / 已拒绝 / 失败. */
export function UploadStatusTag({ status }: { status: UploadStatus }) {
  const t = useT();
  return <Tag color={UPLOAD_COLORS[status]}>{t(`collection.uploadStatus.${status}`)}</Tag>;
}

/** A 0..1 ratio as a percentage with one decimal, or a dash. */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** The dataset page's address; resource codes hold a slash, so the code is one encoded segment. */
export function datasetHref(code: string, tab?: string): string {
  return `/collection/datasets/${encodeURIComponent(code)}${tab ? `?tab=${tab}` : ''}`;
}
