import { Badge, Card, Table, type TableColumnsType } from 'antd';
import { useMemo } from 'react';
import { Link } from 'react-router';
import type { UpdateFrequency } from '../../api/catalog';
import { useCatalogSearch } from '../../api/catalog';
import { type Dataset, useMyDatasets } from '../../api/collection';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime } from '../../lib/format';
import { datasetHref, FreshnessTag } from './parts';

/** One line of the list: a published entry of the department and its dataset, if it has one yet. */
export type DatasetRow = {
  code: string;
  entryId: string | null;
  name: string;
  nameEn: string;
  updateFrequency: UpdateFrequency | null;
  dataset: Dataset | undefined;
};

/**
 * The department's published entries joined with its datasets: a dataset only exists from the
 * first batch on, and a provider must be able to send the first one.
 */
export function useDatasetRows() {
  const me = useCurrentUser();
  const entries = useCatalogSearch({ departmentId: me.departmentId, page: 1, pageSize: 200 });
  const datasets = useMyDatasets();
  const rows = useMemo<DatasetRow[]>(() => {
    const byCode = new Map((datasets.data?.items ?? []).map((d) => [d.code, d]));
    const out: DatasetRow[] = (entries.data?.items ?? [])
      .filter((e) => e.code && e.departmentId === me.departmentId)
      .map((e) => ({
        code: e.code,
        entryId: e.id,
        name: e.name,
        nameEn: e.nameEn,
        updateFrequency: e.updateFrequency,
        dataset: byCode.get(e.code),
      }));
    const listed = new Set(out.map((r) => r.code));
    for (const d of datasets.data?.items ?? []) {
      if (!listed.has(d.code)) {
        out.push({ code: d.code, entryId: d.entryId, name: d.code, nameEn: d.code, updateFrequency: null, dataset: d });
      }
    }
    return out.sort((a, b) => a.code.localeCompare(b.code));
  }, [entries.data, datasets.data, me.departmentId]);
  return {
    rows,
    isPending: entries.isPending || datasets.isPending,
    isFetching: entries.isFetching || datasets.isFetching,
    error: entries.error ?? datasets.error,
    refetch: () => {
      void entries.refetch();
      void datasets.refetch();
    },
  };
}

/** 我的数据集: the department's datasets with volume, last update, freshness and open quarantine. */
export default function MyDatasetsPage() {
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const { rows, isFetching, error } = useDatasetRows();
  const columns: TableColumnsType<DatasetRow> = [
    {
      title: t('collection.dataset'),
      dataIndex: 'name',
      render: (_, row) => (
        <Link to={datasetHref(row.code)} data-testid="dataset-link">
          {pick(row.name, row.nameEn)}
        </Link>
      ),
    },
    { title: t('collection.code'), dataIndex: 'code', render: (v: string) => <span className="ht-mono">{v}</span> },
    {
      title: t('collection.records'),
      key: 'records',
      align: 'right',
      render: (_, row) => (row.dataset?.recordCount ?? 0).toLocaleString(),
    },
    {
      title: t('collection.lastUpdated'),
      key: 'lastUpdated',
      render: (_, row) =>
        row.dataset ? (
          formatDateTime(row.dataset.lastUpdatedAt ?? row.dataset.lastWrittenAt)
        ) : (
          <span className="ht-muted">{t('collection.notStarted')}</span>
        ),
    },
    {
      title: t('entry.updateFrequency'),
      dataIndex: 'updateFrequency',
      render: (v: UpdateFrequency | null, row) => {
        const f = v ?? row.dataset?.updateFrequency;
        return f ? t(`frequency.${f}`) : '—';
      },
    },
    {
      title: t('collection.freshness'),
      key: 'freshness',
      render: (_, row) => {
        const f = row.dataset?.freshness;
        return f ? <FreshnessTag status={f.status} dueAt={f.dueAt} /> : <FreshnessTag status="never" />;
      },
    },
    {
      title: t('collection.openQuarantine'),
      key: 'quarantine',
      align: 'center',
      render: (_, row) => {
        const n = row.dataset?.openQuarantine;
        if (n === undefined) return '—';
        return n > 0 ? (
          <Link to={datasetHref(row.code, 'quarantine')} aria-label={t('collection.openQuarantineCount', { count: n })}>
            <Badge count={n} overflowCount={9999} />
          </Link>
        ) : (
          <Badge count={0} showZero color="#52c41a" />
        );
      },
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) => <Link to={datasetHref(row.code, 'upload')}>{t('collection.tab.upload')}</Link>,
    },
  ];

  return (
    <PageContainer title={t('nav.myDatasets')} subtitle={t('collection.subtitle', { department: me.departmentName })}>
      <Card>
        {error && <ProblemAlert error={error} />}
        <Table<DatasetRow>
          rowKey="code"
          columns={columns}
          dataSource={rows}
          loading={isFetching}
          scroll={{ x: 'max-content' }}
          pagination={rows.length > 20 ? { pageSize: 20 } : false}
          locale={{ emptyText: <EmptyState description={t('collection.empty')} /> }}
        />
      </Card>
    </PageContainer>
  );
}
