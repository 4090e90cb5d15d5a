import { Card, Table, type TableColumnsType, Tag } from 'antd';
import { Link } from 'react-router';
import { type NegotiationRecord, useNegotiations } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime } from '../../lib/format';
import { hasRole } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

/** Only the page lives in the address. */
const NO_FILTERS = [] as const;

const OUTCOME_COLORS: Record<string, string> = {
  negotiate_share: 'success',
  rule_share: 'success',
  negotiate_refuse: 'error',
  rule_refuse: 'error',
  negotiate_fail: 'warning',
  ruling_ignored: 'magenta',
};

/** 协调与裁定公开: the negotiation and ruling records the authority published, for every department (C4). */
export default function NegotiationsPage() {
  const { t, tMaybe } = useI18n();
  const me = useCurrentUser();
  const { page, pageSize, update } = useUrlFilters(NO_FILTERS);
  const list = useNegotiations(page, pageSize);
  const items = list.data?.items ?? [];
  // The list has no total: offer the next page while this one is full.
  const total = (page - 1) * pageSize + items.length + (items.length === pageSize ? 1 : 0);
  // Overseers open any request; a party opens its own from its lists, others would get 404.
  const overseer = hasRole(me, 'authority', 'supervisor', 'platform_admin');

  const columns: TableColumnsType<NegotiationRecord> = [
    { title: t('share.negotiations.at'), dataIndex: 'at', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('share.no'),
      dataIndex: 'no',
      width: 150,
      render: (v: string, r) =>
        overseer ? (
          <Link to={`/sharing/requests/${r.requestId}`} className="ht-mono">
            {v}
          </Link>
        ) : (
          <span className="ht-mono">{v}</span>
        ),
    },
    { title: t('share.entry'), dataIndex: 'entryName', width: 200 },
    { title: t('share.negotiations.parties'), key: 'parties', width: 240, render: (_, r) => `${r.consumer} → ${r.provider}` },
    {
      title: t('share.negotiations.outcome'),
      dataIndex: 'action',
      width: 170,
      render: (v: string) => <Tag color={OUTCOME_COLORS[v] ?? 'default'}>{tMaybe(`share.action.${v}`, v)}</Tag>,
    },
    { title: t('share.negotiations.record'), dataIndex: 'record', render: (v: string) => <span className="ht-share-note">{v || '—'}</span> },
  ];

  return (
    <PageContainer title={t('nav.shareNegotiations')} subtitle={t('share.negotiations.subtitle')}>
      <Card>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div data-testid="share-negotiations">
            <Table<NegotiationRecord>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={items}
              loading={list.isFetching}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <EmptyState description={t('share.negotiations.empty')} /> }}
              pagination={{ current: page, pageSize, total, showSizeChanger: false, onChange: (p) => update({ page: p }) }}
            />
          </div>
        )}
      </Card>
    </PageContainer>
  );
}
