import { Alert, Button, Col, Progress, Row, Skeleton, Statistic, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo } from 'react';
import { type Dataset, type DatasetQuality, useDatasetQuality } from '../../api/collection';
import { EmptyState } from '../../components/states';
import { useT } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import { EChart } from './echart';
import { FreshnessTag, percent } from './parts';

const GREEN = '#52c41a';
const RED = '#ff4d4f';

/** A 0..1 ratio as a dashboard gauge with its name under it. */
function Gauge({ label, value, invert = false, testId }: { label: string; value: number | null; invert?: boolean; testId: string }) {
  if (value === null) {
    return (
      <div className="ht-gauge" data-testid={testId}>
        <Progress type="dashboard" percent={0} format={() => '—'} size={104} aria-label={`${label} —`} />
        <Typography.Text>{label}</Typography.Text>
      </div>
    );
  }
  // For duplicates less is better: colour by how far from zero.
  const good = invert ? value <= 0.01 : value >= 0.95;
  const fair = invert ? value <= 0.05 : value >= 0.8;
  const color = good ? GREEN : fair ? '#faad14' : RED;
  return (
    <div className="ht-gauge" data-testid={testId}>
      <Progress
        type="dashboard"
        percent={Math.round(value * 1000) / 10}
        strokeColor={color}
        format={() => percent(value)}
        size={104}
        aria-label={`${label} ${percent(value)}`}
      />
      <Typography.Text>{label}</Typography.Text>
    </div>
  );
}

/** Accepted and rejected rows per day over the last 30 days, stacked. */
function BatchesChart({ quality }: { quality: DatasetQuality }) {
  const t = useT();
  const days = quality.batchesLast30Days;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: days.map((d) => d.date.slice(5)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('collection.quality.accepted'), type: 'bar', stack: 'rows', barMaxWidth: 24, itemStyle: { color: GREEN }, data: days.map((d) => d.accepted) },
        { name: t('collection.quality.rejected'), type: 'bar', stack: 'rows', barMaxWidth: 24, itemStyle: { color: RED }, data: days.map((d) => d.rejected) },
      ],
    }),
    [days, t],
  );
  if (!days.some((d) => d.accepted > 0 || d.rejected > 0)) return <EmptyState description={t('collection.quality.noBatches')} />;
  return <EChart option={option} label={t('collection.quality.chartTitle')} />;
}

/** 概览/质量: volume, freshness, completeness, validity, duplicates and the last 30 days of batches. */
export function QualityPanel({ code, dataset, onTab }: { code: string; dataset: Dataset | undefined; onTab: (tab: string) => void }) {
  const t = useT();
  const quality = useDatasetQuality(code);

  if (quality.isPending) return <Skeleton active />;
  if (!quality.data) {
    // The quality statistics are optional: without them the volume from the dataset list still shows.
    return (
      <>
        <Alert type="info" showIcon title={t('collection.quality.unavailable')} style={{ marginBottom: 16 }} />
        <Row gutter={[16, 16]}>
          <Col xs={12} md={6}>
            <Statistic title={t('collection.records')} value={dataset?.recordCount ?? 0} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('collection.lastUpdated')} value={formatDateTime(dataset?.lastWrittenAt)} />
          </Col>
        </Row>
      </>
    );
  }

  const q = quality.data;
  const itemColumns: TableColumnsType<DatasetQuality['items'][number]> = [
    { title: t('item.name'), dataIndex: 'title' },
    { title: t('item.nameEn'), dataIndex: 'name', render: (v: string) => <span className="ht-mono">{v}</span> },
    {
      title: t('collection.quality.completeness'),
      dataIndex: 'completeness',
      width: '40%',
      render: (v: number | null) =>
        v === null ? (
          '—'
        ) : (
        <Progress
          percent={Math.round(v * 1000) / 10}
          format={() => percent(v)}
          size="small"
          strokeColor={v >= 0.95 ? GREEN : v >= 0.8 ? '#faad14' : RED}
        />
      ),
    },
  ];

  return (
    <div className="ht-quality">
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} lg={4}>
          <Statistic title={t('collection.records')} value={q.recordCount} />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Statistic title={t('collection.quality.deleted')} value={q.deletedCount} />
        </Col>
        <Col xs={12} md={8} lg={5}>
          <Statistic title={t('collection.lastUpdated')} value={formatDateTime(q.lastUpdatedAt)} styles={{ content: { fontSize: 18 } }} />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Statistic title={t('entry.updateFrequency')} value={q.updateFrequency ? t(`frequency.${q.updateFrequency}`) : '—'} />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Typography.Text type="secondary">{t('collection.freshness')}</Typography.Text>
          <div style={{ marginTop: 8 }}>
            <FreshnessTag status={q.freshness.status} dueAt={q.freshness.dueAt} />
          </div>
          {q.freshness.dueAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('collection.dueAt', { date: formatDate(q.freshness.dueAt) })}
            </Typography.Text>
          )}
        </Col>
        <Col xs={12} md={8} lg={3}>
          <Statistic title={t('collection.openQuarantine')} value={q.openQuarantine} styles={{ content: q.openQuarantine > 0 ? { color: RED } : undefined }} />
          {q.openQuarantine > 0 && (
            <Button type="link" size="small" style={{ padding: 0 }} onClick={() => onTab('quarantine')}>
              {t('collection.upload.toQuarantine')}
            </Button>
          )}
        </Col>
      </Row>

      <Row gutter={[16, 16]} style={{ marginTop: 24 }}>
        <Col xs={24} lg={10}>
          <Typography.Title level={5}>{t('collection.quality.indicators')}</Typography.Title>
          <div className="ht-gauges">
            <Gauge label={t('collection.quality.completeness')} value={q.completeness} testId="quality-completeness" />
            <Gauge label={t('collection.quality.validity')} value={q.validity} testId="quality-validity" />
            <Gauge label={t('collection.quality.duplicates')} value={q.duplicates} invert testId="quality-duplicates" />
          </div>
        </Col>
        <Col xs={24} lg={14}>
          <Typography.Title level={5}>{t('collection.quality.chartTitle')}</Typography.Title>
          <BatchesChart quality={q} />
        </Col>
      </Row>

      <Typography.Title level={5} style={{ marginTop: 24 }}>
        {t('collection.quality.items')}
      </Typography.Title>
      <Table
        size="small"
        rowKey="name"
        columns={itemColumns}
        dataSource={q.items}
        pagination={false}
        scroll={{ x: 600 }}
        locale={{ emptyText: <EmptyState description={t('item.none')} /> }}
      />
    </div>
  );
}
