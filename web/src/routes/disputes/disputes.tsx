import { ExceptionOutlined, UserAddOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { DISPUTE_KINDS, DISPUTE_STATUSES, type Dispute, type DisputeKind, type DisputeStatus, useDisputes } from '../../api/disputes';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';
import { DisputeStatusTag, DueCell } from './dispute-parts';

const FILTER_KEYS = ['role', 'status', 'kind'] as const;
const ROLES = ['filed', 'assigned'] as const;

/**
 * 数据异议: the disputes my department filed and those my side handles (every dispute for the
 * authority), with the current step's due date and an overdue mark; filters live in the address.
 */
export default function DisputesPage() {
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS);
  const role = oneOf(ROLES, values.role);
  const status = oneOf(DISPUTE_STATUSES, values.status);
  const kind = oneOf(DISPUTE_KINDS, values.kind);
  const list = useDisputes({ role, status, kind, page, pageSize });
  const filtered = Boolean(role || status || kind);

  const columns: TableColumnsType<Dispute> = [
    {
      title: t('dispute.no'),
      dataIndex: 'no',
      width: 150,
      render: (v: string, d) => (
        <div>
          <Link to={`/disputes/${d.id}`} className="ht-mono">
            {v}
          </Link>
          <div>
            <Tag color={d.kind === 'public_objection' ? 'magenta' : 'blue'} style={{ marginTop: 4 }}>
              {t(`dispute.kind.${d.kind}`)}
            </Tag>
          </div>
        </div>
      ),
    },
    {
      title: t('dispute.dataset'),
      key: 'dataset',
      width: 200,
      render: (_, d) => (
        <div>
          <div>{pick(d.dataset.name, d.dataset.nameEn)}</div>
          <Typography.Text type="secondary" className="ht-mono" style={{ fontSize: 12 }}>
            {d.dataset.code}
          </Typography.Text>
        </div>
      ),
    },
    { title: t('dispute.statusLabel'), key: 'status', width: 150, render: (_, d) => <DisputeStatusTag dispute={d} /> },
    { title: t('dispute.dueOn'), key: 'due', width: 110, render: (_, d) => <DueCell dispute={d} /> },
    { title: t('dispute.category'), dataIndex: 'category', width: 100, render: (v: Dispute['category']) => t(`dispute.category.${v}`) },
    {
      title: t('dispute.subject'),
      key: 'subject',
      width: 170,
      render: (_, d) => (d.subject ? <span className="ht-mono">{d.subject.masked}</span> : <span className="ht-muted">{t('dispute.wholeDataset')}</span>),
    },
    { title: t('dispute.requester'), key: 'requester', width: 160, render: (_, d) => pick(d.requesterDepartment.name, d.requesterDepartment.nameEn) },
    { title: t('dispute.responsible'), key: 'responsible', width: 160, render: (_, d) => pick(d.responsibleDepartment.name, d.responsibleDepartment.nameEn) },
    { title: t('dispute.receivedOn'), dataIndex: 'receivedOn', width: 110, render: (v: string) => formatDate(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, d) => <Link to={`/disputes/${d.id}`}>{d.actions.length > 0 ? t('dispute.handle') : t('common.view')}</Link>,
    },
  ];

  return (
    <PageContainer
      title={t('nav.disputes')}
      subtitle={t('dispute.list.subtitle')}
      extra={
        <>
          {can(me, 'fileDispute') && (
            <Link to="/disputes/new">
              <Button type="primary" icon={<ExceptionOutlined />} data-testid="dispute-new">
                {t('dispute.file')}
              </Button>
            </Link>
          )}
          {can(me, 'filePublicObjection') && (
            <Link to="/disputes/new-objection">
              <Button icon={<UserAddOutlined />} data-testid="dispute-new-objection">
                {t('dispute.fileObjection')}
              </Button>
            </Link>
          )}
        </>
      }
    >
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <Segmented
            value={role ?? 'all'}
            onChange={(v) => update({ role: v === 'all' ? null : String(v) })}
            options={[
              { value: 'all', label: t('dispute.role.all') },
              { value: 'filed', label: t('dispute.role.filed') },
              { value: 'assigned', label: t('dispute.role.assigned') },
            ]}
            data-testid="dispute-role"
          />
          <Select<DisputeStatus | 'all'>
            value={status ?? 'all'}
            style={{ width: 180 }}
            aria-label={t('dispute.statusLabel')}
            onChange={(v) => update({ status: v === 'all' ? null : v })}
            options={[{ value: 'all', label: t('dispute.allStatuses') }, ...DISPUTE_STATUSES.map((s) => ({ value: s, label: t(`dispute.status.${s}`) }))]}
            data-testid="dispute-status-filter"
          />
          <Select<DisputeKind | 'all'>
            value={kind ?? 'all'}
            style={{ width: 160 }}
            aria-label={t('dispute.kindLabel')}
            onChange={(v) => update({ kind: v === 'all' ? null : v })}
            options={[{ value: 'all', label: t('dispute.allKinds') }, ...DISPUTE_KINDS.map((k) => ({ value: k, label: t(`dispute.kind.${k}`) }))]}
            data-testid="dispute-kind-filter"
          />
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div data-testid="dispute-list">
            <Table<Dispute>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.isFetching}
              scroll={{ x: 'max-content' }}
              rowClassName={(d) => (d.overdue ? 'ht-dispute-overdue' : '')}
              locale={{ emptyText: <EmptyState description={filtered ? t('common.noMatches') : t('dispute.list.empty')} /> }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showTotal: (total) => t('common.totalItems', { total }),
                onChange: (p, s) => update({ page: p, pageSize: s }),
              }}
            />
          </div>
        )}
      </Card>
    </PageContainer>
  );
}
