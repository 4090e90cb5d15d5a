import { Card, Checkbox } from 'antd';
import { useMemo } from 'react';
import { SHARE_REQUEST_STATUSES, useShareRequests } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { useUrlFilters } from '../../lib/url-state';
import { byUrgency, RequestTable, StatusFilter } from './sharing-parts';

const FILTER_KEYS = ['status', 'overdue'] as const;

/**
 * 共享申请待办: requests for my department's data, to answer, to provide, or waiting on the
 * agreement; overdue ones first, then by due date.
 */
export default function InboxPage() {
  const { t } = useI18n();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS);
  const status = oneOf(SHARE_REQUEST_STATUSES, values.status);
  const overdue = values.overdue === 'true' ? 'true' : undefined;
  const list = useShareRequests({ role: 'provider', status, overdue, page, pageSize });
  const rows = useMemo(() => [...(list.data?.items ?? [])].sort(byUrgency), [list.data]);

  return (
    <PageContainer title={t('nav.shareInbox')} subtitle={t('share.inbox.subtitle')}>
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <StatusFilter value={status} onChange={(v) => update({ status: v ?? null })} />
          <Checkbox checked={overdue === 'true'} onChange={(e) => update({ overdue: e.target.checked ? 'true' : null })}>
            {t('share.onlyOverdue')}
          </Checkbox>
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <RequestTable
            rows={rows}
            loading={list.isFetching}
            columns={['consumer']}
            empty={<EmptyState description={status || overdue ? t('common.noMatches') : t('share.inbox.empty')} />}
            pagination={{ page, pageSize, total: list.data?.total ?? 0, onChange: (p, s) => update({ page: p, pageSize: s }) }}
            testId="share-inbox"
          />
        )}
      </Card>
    </PageContainer>
  );
}
