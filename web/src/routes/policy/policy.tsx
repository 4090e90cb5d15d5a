import { Alert, Card, Descriptions, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type PolicyPreset, usePolicy } from '../../api/policy';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading } from '../../components/states';
import { type MessageKey, useI18n } from '../../i18n';

type Unit = 'days' | 'months' | 'grant';
type Group = 'general' | 'shareRequest' | 'dataDispute' | 'publicObjection';

/** Every number of a preset, by field path, in the order of the schema. */
const FIELDS: { path: string; unit: Unit; group: Group }[] = [
  { path: 'shareRequest.answerDays', unit: 'days', group: 'shareRequest' },
  { path: 'shareRequest.provideDays', unit: 'days', group: 'shareRequest' },
  { path: 'shareRequest.conditionalAnswerDays', unit: 'days', group: 'shareRequest' },
  { path: 'shareRequest.rulingProvideDays', unit: 'days', group: 'shareRequest' },
  { path: 'unconditionalGrant', unit: 'grant', group: 'shareRequest' },
  { path: 'dataDispute.checkDays', unit: 'days', group: 'dataDispute' },
  { path: 'dataDispute.technicalCorrectDays', unit: 'days', group: 'dataDispute' },
  { path: 'dataDispute.departmentCorrectDays', unit: 'days', group: 'dataDispute' },
  { path: 'publicObjection.markDays', unit: 'days', group: 'publicObjection' },
  { path: 'publicObjection.decideOrTransferDays', unit: 'days', group: 'publicObjection' },
  { path: 'publicObjection.departmentVerifyDays', unit: 'days', group: 'publicObjection' },
  { path: 'contactReportDays', unit: 'days', group: 'general' },
  { path: 'verificationAnswerDays', unit: 'days', group: 'general' },
  { path: 'catalogFullReviewMonths', unit: 'months', group: 'general' },
];

type Row = { path: string; group: Group; unit: Unit; value: unknown; source: string };

function valueAt(p: PolicyPreset, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), p);
}

/** 政策参数: the active city's deadlines, what each means and the article it comes from. */
export default function PolicyPage() {
  const { t, lang } = useI18n();
  const policy = usePolicy();

  if (policy.isPending) return <Loading />;
  if (policy.error) return <ErrorState error={policy.error} onRetry={() => void policy.refetch()} />;
  const p = policy.data;

  const rows: Row[] = FIELDS.map((f) => ({ ...f, value: valueAt(p, f.path), source: p.sources[f.path] ?? '' }));

  const show = (r: Row) => {
    if (r.unit === 'grant') return t(`policy.grant.${r.value === 'automatic' ? 'automatic' : 'acknowledge'}`);
    return t(r.unit === 'months' ? 'policy.months' : 'policy.days', { n: Number(r.value) });
  };

  const columns: TableColumnsType<Row> = [
    { title: t('policy.col.group'), key: 'group', width: 180, render: (_, r) => <Tag>{t(`policy.group.${r.group}` as MessageKey)}</Tag> },
    { title: t('policy.col.item'), key: 'item', render: (_, r) => t(`policy.field.${r.path}` as MessageKey) },
    { title: t('policy.col.value'), key: 'value', width: 200, render: (_, r) => <Typography.Text strong>{show(r)}</Typography.Text> },
    {
      title: t('policy.col.source'),
      key: 'source',
      render: (_, r) =>
        r.source.startsWith('default') ? <Typography.Text type="secondary">{r.source}</Typography.Text> : <Tag color="blue">{r.source}</Tag>,
    },
  ];

  return (
    <PageContainer title={t('nav.policy')} subtitle={t('policy.subtitle')}>
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'city', label: t('policy.city'), children: lang === 'en-US' ? p.nameEn : p.name },
            { key: 'preset', label: t('policy.preset'), children: <Typography.Text code>{p.id}</Typography.Text> },
            { key: 'source', label: t('policy.source'), children: p.source },
          ]}
        />
        <Typography.Text type="secondary">{t('policy.selectedBy')}</Typography.Text>
      </Card>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('policy.defaultNote')} />
      <Table<Row> rowKey="path" columns={columns} dataSource={rows} pagination={false} size="middle" />
    </PageContainer>
  );
}
