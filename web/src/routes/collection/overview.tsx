import { Card, Col, Row, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo } from 'react';
import { type OverviewRow, useCollectionOverview } from '../../api/collection';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState, Loading } from '../../components/states';
import { useT } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { EChart } from './echart';
import { percent } from './parts';

const pct = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 10);

/** 归集总览 (authority): each department's datasets, volume, overdue datasets, open quarantine and quality. */
export default function CollectionOverviewPage() {
  const t = useT();
  const overview = useCollectionOverview();
  const rows = useMemo(() => overview.data?.items ?? [], [overview.data]);

  const totals = useMemo(
    () =>
      rows.reduce(
        (s, r) => ({
          datasets: s.datasets + r.datasets,
          records: s.records + r.records,
          overdue: s.overdue + r.overdue,
          openQuarantine: s.openQuarantine + r.openQuarantine,
        }),
        { datasets: 0, records: 0, overdue: 0, openQuarantine: 0 },
      ),
    [rows],
  );

  const charted = useMemo(() => rows.filter((r) => r.datasets > 0), [rows]);
  const qualityOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: number | null) => (v === null ? '—' : `${v}%`) },
      legend: { bottom: 0 },
      grid: { left: 16, right: 24, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: charted.map((r) => r.departmentName), axisLabel: { width: 120, overflow: 'truncate' } },
      series: [
        { name: t('collection.quality.completeness'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#1677ff' }, data: charted.map((r) => pct(r.completeness)) },
        { name: t('collection.quality.validity'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#52c41a' }, data: charted.map((r) => pct(r.validity)) },
      ],
    }),
    [charted, t],
  );
  const issuesOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 16, right: 24, top: 16, bottom: 40, containLabel: true },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: charted.map((r) => r.departmentName), axisLabel: { width: 120, overflow: 'truncate' } },
      series: [
        { name: t('collection.overview.overdue'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#ff4d4f' }, data: charted.map((r) => r.overdue) },
        { name: t('collection.openQuarantine'), type: 'bar', barMaxWidth: 24, itemStyle: { color: '#faad14' }, data: charted.map((r) => r.openQuarantine) },
      ],
    }),
    [charted, t],
  );

  const columns: TableColumnsType<OverviewRow> = [
    { title: t('common.department'), dataIndex: 'departmentName', fixed: 'left' },
    { title: t('collection.overview.datasets'), dataIndex: 'datasets', align: 'right', sorter: (a, b) => a.datasets - b.datasets },
    {
      title: t('collection.records'),
      dataIndex: 'records',
      align: 'right',
      sorter: (a, b) => a.records - b.records,
      render: (v: number) => v.toLocaleString(),
    },
    {
      title: t('collection.overview.overdue'),
      dataIndex: 'overdue',
      align: 'right',
      sorter: (a, b) => a.overdue - b.overdue,
      render: (v: number) => <span style={{ color: v > 0 ? '#cf1322' : undefined, fontWeight: v > 0 ? 600 : undefined }}>{v}</span>,
    },
    { title: t('collection.openQuarantine'), dataIndex: 'openQuarantine', align: 'right', sorter: (a, b) => a.openQuarantine - b.openQuarantine },
    {
      title: t('collection.quality.completeness'),
      dataIndex: 'completeness',
      align: 'right',
      sorter: (a, b) => (a.completeness ?? -1) - (b.completeness ?? -1),
      render: (v: number | null) => percent(v),
    },
    {
      title: t('collection.quality.validity'),
      dataIndex: 'validity',
      align: 'right',
      sorter: (a, b) => (a.validity ?? -1) - (b.validity ?? -1),
      render: (v: number | null) => percent(v),
    },
    { title: t('collection.lastUpdated'), dataIndex: 'lastUpdatedAt', render: (v: string | null) => formatDateTime(v) },
  ];

  if (overview.isPending) return <Loading />;
  if (overview.error) {
    return (
      <PageContainer title={t('nav.collectionOverview')} subtitle={t('collection.overview.subtitle')}>
        <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />
      </PageContainer>
    );
  }

  return (
    <PageContainer title={t('nav.collectionOverview')} subtitle={t('collection.overview.subtitle')}>
      <Row gutter={[16, 16]}>
        {(
          [
            ['datasets', t('collection.overview.datasets')],
            ['records', t('collection.records')],
            ['overdue', t('collection.overview.overdue')],
            ['openQuarantine', t('collection.openQuarantine')],
          ] as const
        ).map(([key, label]) => (
          <Col xs={12} lg={6} key={key}>
            <Card>
              <Statistic
                title={label}
                value={totals[key]}
                styles={{ content: (key === 'overdue' || key === 'openQuarantine') && totals[key] > 0 ? { color: '#cf1322' } : undefined }}
              />
            </Card>
          </Col>
        ))}
        <Col xs={24} xl={12}>
          <Card title={t('collection.overview.qualityChart')}>
            {charted.length ? (
              <EChart option={qualityOption} label={t('collection.overview.qualityChart')} height={Math.max(240, charted.length * 48 + 60)} />
            ) : (
              <EmptyState description={t('collection.overview.empty')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('collection.overview.issuesChart')}>
            {charted.length ? (
              <EChart option={issuesOption} label={t('collection.overview.issuesChart')} height={Math.max(240, charted.length * 48 + 60)} />
            ) : (
              <EmptyState description={t('collection.overview.empty')} />
            )}
          </Card>
        </Col>
        <Col span={24}>
          <Card title={<Typography.Text strong>{t('collection.overview.table')}</Typography.Text>}>
            <Table<OverviewRow>
              rowKey="departmentId"
              columns={columns}
              dataSource={rows}
              scroll={{ x: 'max-content' }}
              pagination={rows.length > 50 ? { pageSize: 50 } : false}
              locale={{ emptyText: <EmptyState description={t('collection.overview.empty')} /> }}
            />
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
