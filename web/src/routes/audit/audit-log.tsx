import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Select, Table, type TableColumnsType, Tag } from 'antd';
import { type AuditEntry, type AuditQuery, useAuditLog, useVerifyAudit } from '../../api/audit';
import { DepartmentSelect, useDepartmentName } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { SearchInput } from '../../components/search-input';
import { DateRangeFilter } from '../../components/date-range-filter';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { formatDateTime, formatJson } from '../../lib/format';
import { useErrorText } from '../../lib/notify';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['actorId', 'departmentId', 'action', 'outcome', 'targetType', 'from', 'to'] as const;
const OUTCOMES = ['allowed', 'denied'] as const;

/** 审计日志: the hash-chained audit trail, filterable, with a chain check. */
export default function AuditLogPage() {
  const t = useT();
  const errorText = useErrorText();
  const departmentName = useDepartmentName();
  const { values, page, pageSize, update, reset } = useUrlFilters(FILTER_KEYS, 50);
  const query: AuditQuery = {
    actorId: values.actorId,
    departmentId: values.departmentId,
    action: values.action,
    outcome: oneOf(OUTCOMES, values.outcome),
    targetType: values.targetType,
    from: values.from,
    to: values.to,
    page,
    pageSize,
  };
  const log = useAuditLog(query);
  const verify = useVerifyAudit();
  const hasFilters = FILTER_KEYS.some((k) => values[k]);

  const columns: TableColumnsType<AuditEntry> = [
    // Widths keep every column readable: without them the long nowrap actor names and action codes
    // left the department column one character wide.
    { title: t('audit.seq'), dataIndex: 'seq', width: 72, align: 'right' },
    { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v, true) },
    {
      title: t('audit.actor'),
      dataIndex: 'actorName',
      width: 160,
      render: (v: string | null, row) =>
        row.actorId ? (
          <Button
            type="link"
            size="small"
            style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }}
            onClick={() => update({ actorId: row.actorId })}
          >
            {v ?? row.actorId}
          </Button>
        ) : (
          <span className="ht-muted">{t('audit.system')}</span>
        ),
    },
    {
      title: t('common.department'),
      dataIndex: 'departmentId',
      width: 170,
      render: (v: string | null) => (v ? departmentName(v) : '—'),
    },
    {
      title: t('audit.action'),
      dataIndex: 'action',
      width: 190,
      render: (v: string) => (
        <span className="ht-mono" style={{ overflowWrap: 'anywhere' }}>
          {v}
        </span>
      ),
    },
    {
      title: t('audit.target'),
      key: 'target',
      render: (_, row) =>
        row.targetType ? (
          <span className="ht-mono" style={{ overflowWrap: 'anywhere' }}>
            {row.targetType}
            {row.targetId ? `/${row.targetId}` : ''}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      width: 90,
      render: (v: AuditEntry['outcome']) => (
        <Tag color={v === 'allowed' ? 'success' : 'error'}>{t(`audit.outcome.${v}`)}</Tag>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.audit')}
      subtitle={t('audit.subtitle')}
      extra={
        <Button
          icon={<SafetyCertificateOutlined />}
          loading={verify.isPending}
          onClick={() => verify.mutate()}
          data-testid="audit-verify"
        >
          {t('audit.verify')}
        </Button>
      }
    >
      {verify.data &&
        (verify.data.ok ? (
          <Alert
            type="success"
            showIcon
            closable={{ onClose: () => verify.reset() }}
            title={t('audit.verifyOk', { count: verify.data.checked })}
            data-testid="audit-verify-result"
          />
        ) : (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => verify.reset() }}
            title={t('audit.verifyBroken', { seq: verify.data.firstBadSeq ?? '?', count: verify.data.checked })}
            description={t('audit.verifyBrokenHint')}
            data-testid="audit-verify-result"
          />
        ))}
      {verify.error && <Alert type="error" showIcon title={errorText(verify.error)} />}

      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <DateRangeFilter from={values.from} to={values.to} onChange={update} />
          <DepartmentSelect
            value={values.departmentId}
            onChange={(v) => update({ departmentId: v ?? null })}
            aria-label={t('common.department')}
            style={{ width: 220 }}
          />
          <SearchInput
            value={values.action}
            placeholder={t('audit.action')}
            onSearch={(v) => update({ action: v || null })}
            width={220}
          />
          <SearchInput
            value={values.targetType}
            placeholder={t('audit.targetType')}
            onSearch={(v) => update({ targetType: v || null })}
            width={200}
          />
          <Select
            allowClear
            placeholder={t('audit.outcome')}
            aria-label={t('audit.outcome')}
            value={query.outcome}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            onChange={(v) => update({ outcome: v ?? null })}
          />
          {values.actorId && (
            <Tag closable onClose={() => update({ actorId: null })}>
              {t('audit.actorFilter', { actor: values.actorId })}
            </Tag>
          )}
          {hasFilters && (
            <Button type="link" onClick={reset}>
              {t('common.clearFilters')}
            </Button>
          )}
        </div>
        {log.error && <ProblemAlert error={log.error} />}
        <Table<AuditEntry>
          rowKey="seq"
          size="small"
          columns={columns}
          dataSource={log.data?.items ?? []}
          loading={log.isFetching}
          scroll={{ x: 1100 }}
          expandable={{
            expandedRowRender: (row) => (
              <div>
                <Descriptions
                  size="small"
                  column={{ xs: 1, md: 2 }}
                  items={[
                    { key: 'requestId', label: t('audit.requestId'), children: <span className="ht-mono">{row.requestId ?? '—'}</span> },
                    { key: 'hash', label: t('audit.hash'), children: <span className="ht-mono">{row.hash}</span> },
                  ]}
                />
                <pre className="ht-pre">{formatJson(row.details) || '—'}</pre>
              </div>
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: log.data?.total ?? 0,
            showSizeChanger: true,
            pageSizeOptions: [20, 50, 100, 200],
            showTotal: (total) => t('common.totalItems', { total }),
            onChange: (p, s) => update(s !== pageSize ? { page: 1, pageSize: s } : { page: p }),
          }}
          locale={{ emptyText: <EmptyState description={hasFilters ? t('common.noMatches') : t('audit.empty')} /> }}
        />
      </Card>
    </PageContainer>
  );
}
