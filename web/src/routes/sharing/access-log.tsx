import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Input, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type AuditEntry, type AuditQuery, useAuditLog } from '../../api/audit';
import { DepartmentSelect, useDepartmentName } from '../../components/department-select';
import { EntryPicker } from '../../components/entry-picker';
import { PageContainer } from '../../components/page-container';
import { DateRangeFilter } from '../../components/date-range-filter';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { formatDateTime, formatJson } from '../../lib/format';
import { useUrlFilters } from '../../lib/url-state';

/** The audit actions of the sharing query API, the change feed and webhooks; the prefix `share.` takes them all. */
const ACTIONS = ['share.queried', 'share.verified', 'share.query_denied', 'share.anomaly_alert', 'share.changes_read', 'share.webhook_sent'] as const;
const OUTCOMES = ['allowed', 'denied'] as const;
const SUBJECT_TYPES = ['citizen_id', 'uscc', 'registration_no'] as const;
type SubjectType = (typeof SUBJECT_TYPES)[number];
const FILTER_KEYS = ['action', 'departmentId', 'outcome', 'entry', 'from', 'to'] as const;

/** What the query API writes into an entry's details (never an identifier or a value). */
type CallDetails = { purpose?: string; subjectTokens?: unknown; items?: unknown; grants?: unknown; code?: string; found?: number };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** `4413**********1234`: enough to recognise what was typed, not the identifier itself. */
function maskTyped(value: string): string {
  const s = value.replace(/\s+/g, '');
  return s.length <= 8 ? '*'.repeat(s.length) : `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}`;
}

/**
 * 访问日志: every call of the sharing query API (who asked, for which department, why, which items,
 * under which grants, allowed or denied), from the audit trail. The dataset filter (a catalog
 * entry id in the address) finds the calls under any of that entry's grants. The subject filter takes an
 * identifier that the server turns into its vault token; it stays out of the address bar.
 */
export default function AccessLogPage() {
  const { t, tMaybe } = useI18n();
  const departmentName = useDepartmentName();
  const { values, page, pageSize, update, reset } = useUrlFilters(FILTER_KEYS, 50);
  const [subject, setSubject] = useState<{ id: string; type: SubjectType | undefined } | null>(null);
  const [typed, setTyped] = useState('');
  const [typedType, setTypedType] = useState<SubjectType | 'any'>('citizen_id');
  const action = oneOf(ACTIONS, values.action);
  const query: AuditQuery = {
    action: action ?? 'share.',
    departmentId: values.departmentId,
    outcome: oneOf(OUTCOMES, values.outcome),
    entry: values.entry,
    from: values.from,
    to: values.to,
    subject: subject?.id,
    subjectType: subject?.type,
    page,
    pageSize,
  };
  const log = useAuditLog(query);
  const hasFilters = FILTER_KEYS.some((k) => values[k]) || subject !== null;

  const searchSubject = () => {
    const id = typed.trim();
    setSubject(id ? { id, type: typedType === 'any' ? undefined : typedType } : null);
    update({ page: 1 });
  };
  const clearSubject = () => {
    setSubject(null);
    setTyped('');
  };

  const columns: TableColumnsType<AuditEntry> = [
    { title: t('audit.at'), dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v, true) },
    {
      title: t('access.caller'),
      dataIndex: 'actorName',
      width: 170,
      render: (v: string | null) => v ?? <span className="ht-muted">{t('audit.system')}</span>,
    },
    { title: t('access.department'), dataIndex: 'departmentId', width: 150, render: (v: string | null) => (v ? departmentName(v) : '—') },
    {
      title: t('access.action'),
      dataIndex: 'action',
      width: 100,
      render: (v: string) => tMaybe(`access.action.${v}`, v),
    },
    {
      title: t('audit.outcome'),
      dataIndex: 'outcome',
      width: 90,
      render: (v: AuditEntry['outcome']) => <Tag color={v === 'allowed' ? 'success' : 'error'}>{t(`audit.outcome.${v}`)}</Tag>,
    },
    {
      title: t('access.purpose'),
      key: 'purpose',
      width: 180,
      render: (_, row) => (row.details as CallDetails).purpose || <span className="ht-muted">—</span>,
    },
    {
      title: t('access.items'),
      key: 'items',
      width: 220,
      render: (_, row) => {
        const items = strings((row.details as CallDetails).items);
        return items.length ? (
          <span className="ht-mono" style={{ overflowWrap: 'anywhere' }}>
            {items.join(', ')}
          </span>
        ) : (
          <span className="ht-muted">—</span>
        );
      },
    },
    {
      title: t('access.subjects'),
      key: 'subjects',
      width: 70,
      align: 'right',
      render: (_, row) => {
        const d = row.details as CallDetails;
        return Array.isArray(d.subjectTokens) ? d.subjectTokens.length : '—';
      },
    },
    {
      title: t('access.grants'),
      key: 'grants',
      width: 70,
      align: 'right',
      render: (_, row) => strings((row.details as CallDetails).grants).length || '—',
    },
    {
      title: t('access.refusal'),
      key: 'code',
      width: 190,
      render: (_, row) => {
        const code = (row.details as CallDetails).code;
        return code ? <span className="ht-mono">{code}</span> : <span className="ht-muted">—</span>;
      },
    },
  ];

  return (
    <PageContainer title={t('nav.accessLog')} subtitle={t('access.subtitle')}>
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 12 }}>
          <Space.Compact>
            <Select<SubjectType | 'any'>
              value={typedType}
              onChange={setTypedType}
              style={{ width: 150 }}
              aria-label={t('access.subjectType')}
              options={[
                { value: 'any', label: t('access.subjectType.any') },
                ...SUBJECT_TYPES.map((k) => ({ value: k, label: t(`verify.idType.${k}`) })),
              ]}
            />
            <Input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onPressEnter={searchSubject}
              placeholder={t('access.subjectPlaceholder')}
              aria-label={t('access.subject')}
              autoComplete="off"
              allowClear
              style={{ width: 260 }}
              data-testid="access-subject"
            />
            <Button type="primary" icon={<SearchOutlined />} onClick={searchSubject} data-testid="access-subject-search">
              {t('access.findSubject')}
            </Button>
          </Space.Compact>
          {subject && (
            <Tag closable onClose={clearSubject} data-testid="access-subject-tag">
              {t('access.subjectFilter', { id: maskTyped(subject.id) })}
            </Tag>
          )}
        </div>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <DateRangeFilter from={values.from} to={values.to} onChange={update} />
          <Select
            allowClear
            placeholder={t('access.allActions')}
            aria-label={t('access.action')}
            value={action}
            style={{ width: 170 }}
            options={ACTIONS.map((a) => ({ value: a, label: t(`access.action.${a}`) }))}
            onChange={(v) => update({ action: v ?? null })}
          />
          <EntryPicker
            value={values.entry}
            onChange={(v) => update({ entry: v ?? null })}
            placeholder={t('access.datasetPlaceholder')}
            notFound={t('access.datasetNone')}
            ariaLabel={t('access.dataset')}
            style={{ width: 280 }}
            testId="access-dataset"
          />
          <DepartmentSelect
            value={values.departmentId}
            onChange={(v) => update({ departmentId: v ?? null })}
            placeholder={t('access.department')}
            aria-label={t('access.department')}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('audit.outcome')}
            aria-label={t('audit.outcome')}
            value={query.outcome}
            options={OUTCOMES.map((o) => ({ value: o, label: t(`audit.outcome.${o}`) }))}
            onChange={(v) => update({ outcome: v ?? null })}
          />
          {hasFilters && (
            <Button
              type="link"
              onClick={() => {
                clearSubject();
                reset();
              }}
            >
              {t('common.clearFilters')}
            </Button>
          )}
        </div>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('access.privacyNote')}
        </Typography.Paragraph>
        {log.error && <ProblemAlert error={log.error} />}
        {log.data && subject && log.data.total === 0 && <Alert type="info" showIcon title={t('access.noneForSubject')} style={{ marginBottom: 12 }} />}
        <div data-testid="access-log">
          <Table<AuditEntry>
            rowKey="seq"
            size="small"
            columns={columns}
            dataSource={log.data?.items ?? []}
            loading={log.isFetching}
            scroll={{ x: 1350 }}
            expandable={{ expandedRowRender: (row) => <pre className="ht-pre">{formatJson(row.details) || '—'}</pre> }}
            pagination={{
              current: page,
              pageSize,
              total: log.data?.total ?? 0,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (total) => t('common.totalItems', { total }),
              onChange: (p, s) => update(s !== pageSize ? { page: 1, pageSize: s } : { page: p }),
            }}
            locale={{ emptyText: <EmptyState description={hasFilters ? t('common.noMatches') : t('access.empty')} /> }}
          />
        </div>
      </Card>
    </PageContainer>
  );
}
