import { SearchOutlined } from '@ant-design/icons';
import { Card, Descriptions, Input, Table, type TableColumnsType } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type SnapshotEntry, useSnapshot } from '../../api/catalog';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { OpenTypeTag, ShareTypeTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { classificationLabel } from '../../lib/catalog-labels';
import { formatDate, formatDateTime } from '../../lib/format';
import { periodLabel } from './snapshots';

/** One snapshot: the catalog as it was published for a period. */
export default function SnapshotViewPage() {
  const { id } = useParams<{ id: string }>();
  const { t, pick } = useI18n();
  const snapshot = useSnapshot(id);
  const [filter, setFilter] = useState('');

  const rows = useMemo(() => {
    const all = snapshot.data?.entries ?? [];
    const q = filter.trim().toLowerCase();
    if (!q) return all;
    return all.filter((e) =>
      [e.name, e.nameEn, e.code, e.departmentName].some((v) => v?.toLowerCase().includes(q)),
    );
  }, [snapshot.data, filter]);

  if (snapshot.isPending) return <Loading />;
  if (snapshot.error || !snapshot.data) {
    return <ErrorState error={snapshot.error} onRetry={() => void snapshot.refetch()} />;
  }
  const s = snapshot.data;

  const columns: TableColumnsType<SnapshotEntry> = [
    {
      title: t('entry.name'),
      dataIndex: 'name',
      render: (_, row) =>
        row.entryId ? (
          <Link to={`/catalog/entries/${row.entryId}?version=${row.version}`}>{pick(row.name, row.nameEn)}</Link>
        ) : (
          pick(row.name, row.nameEn)
        ),
    },
    { title: t('entry.code'), dataIndex: 'code', render: (v?: string) => <span className="ht-mono">{v ?? '—'}</span> },
    { title: t('entry.provider'), dataIndex: 'departmentName', render: (v?: string) => v ?? '—' },
    { title: t('entry.classification'), dataIndex: 'classification', render: (v: string) => classificationLabel(t, v) },
    { title: t('entry.shareType'), dataIndex: 'shareType', render: (_, row) => <ShareTypeTag value={row.shareType} /> },
    { title: t('entry.openType'), dataIndex: 'openType', render: (_, row) => <OpenTypeTag value={row.openType} /> },
    { title: t('entry.updateFrequency'), dataIndex: 'updateFrequency', render: (_, row) => t(`frequency.${row.updateFrequency}`) },
    { title: t('entry.version'), dataIndex: 'version', align: 'center', render: (v: number) => `v${v}` },
    { title: t('entry.publishedAt'), dataIndex: 'publishedAt', render: (v: string | null) => formatDate(v) },
  ];

  return (
    <PageContainer title={s.title} subtitle={periodLabel(t, s.period)} back="/catalog/snapshots">
      <Card>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'period', label: t('snapshot.period'), children: periodLabel(t, s.period) },
            { key: 'createdAt', label: t('snapshot.createdAt'), children: formatDateTime(s.createdAt) },
            { key: 'count', label: t('snapshot.entryCount'), children: s.entries.length },
          ]}
        />
      </Card>
      <Card
        title={t('snapshot.entries')}
        extra={
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('snapshot.filterPlaceholder')}
            aria-label={t('snapshot.filterPlaceholder')}
            onChange={(e) => setFilter(e.target.value)}
            style={{ width: 260 }}
          />
        }
      >
        <Table<SnapshotEntry>
          rowKey={(row) => `${row.entryId ?? row.code ?? row.name}-${row.version}`}
          columns={columns}
          dataSource={rows}
          scroll={{ x: 1000 }}
          pagination={{ pageSize: 20, showTotal: (total) => t('common.totalItems', { total }) }}
          locale={{ emptyText: <EmptyState description={t('snapshot.noEntries')} /> }}
        />
      </Card>
    </PageContainer>
  );
}
