import { Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { type Batch, type BatchMode, type BatchStatus, batchSource, useBatches } from '../../api/collection';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime } from '../../lib/format';

const STATUS_COLORS: Record<BatchStatus, string> = { applied: 'success', partial: 'warning', rejected: 'error' };

/** 批次: every batch of the dataset, newest first, with its counts, source, sender and time. */
export function BatchesPanel({ code }: { code: string }) {
  const t = useT();
  const me = useCurrentUser();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const batches = useBatches(code, { page, pageSize });
  const items = batches.data?.items ?? [];
  // The list answers without a total: offer a next page while pages come back full.
  const total = (page - 1) * pageSize + items.length + (items.length === pageSize ? 1 : 0);

  const columns: TableColumnsType<Batch> = [
    { title: t('collection.batch.at'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, true) },
    {
      title: t('collection.batch.source'),
      key: 'source',
      render: (_, b) => <Tag>{t(`collection.source.${batchSource(b)}`)}</Tag>,
    },
    { title: t('collection.batch.mode'), dataIndex: 'mode', render: (v: BatchMode) => t(`collection.mode.${v}`) },
    {
      title: t('collection.batch.status'),
      dataIndex: 'status',
      render: (v: BatchStatus) => <Tag color={STATUS_COLORS[v]}>{t(`collection.batchStatus.${v}`)}</Tag>,
    },
    { title: t('collection.batch.received'), dataIndex: 'received', align: 'right' },
    {
      title: t('collection.upload.accepted'),
      dataIndex: 'accepted',
      align: 'right',
      render: (v: number) => <span style={{ color: v > 0 ? '#389e0d' : undefined }}>{v}</span>,
    },
    {
      title: t('collection.upload.rejected'),
      dataIndex: 'rejected',
      align: 'right',
      render: (v: number) => <span style={{ color: v > 0 ? '#cf1322' : undefined }}>{v}</span>,
    },
    {
      title: t('collection.batch.by'),
      dataIndex: 'createdBy',
      render: (v: string, b) =>
        b.createdByName ?? (v === me.id ? me.displayName : <span className="ht-mono ht-muted">{v.slice(0, 8)}</span>),
    },
    {
      title: t('collection.batch.id'),
      dataIndex: 'id',
      render: (v: string) => (
        <span className="ht-mono ht-muted" title={v}>
          {v.slice(-12)}
        </span>
      ),
    },
  ];

  return (
    <>
      {batches.error && <ProblemAlert error={batches.error} />}
      <Table<Batch>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={items}
        loading={batches.isFetching}
        data-testid="batches-table"
        scroll={{ x: 900 }}
        locale={{ emptyText: <EmptyState description={t('collection.batch.empty')} /> }}
        pagination={{
          current: page,
          pageSize,
          total,
          showSizeChanger: true,
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
    </>
  );
}
