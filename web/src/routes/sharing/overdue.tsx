import { Card } from 'antd';
import { useMemo } from 'react';
import { useShareRequests } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { useUrlFilters } from '../../lib/url-state';
import { byUrgency, RequestTable } from './sharing-parts';

/** Only the page lives in the address. */
const NO_FILTERS = [] as const;

/**
 * 逾期督办: every request whose provider let its due date pass (to answer, to provide, or to carry
 * out a negotiated result or ruling), across departments, longest overdue first.
 */
export default function OverduePage() {
  const { t } = useI18n();
  const { page, pageSize, update } = useUrlFilters(NO_FILTERS);
  const list = useShareRequests({ role: 'authority', overdue: 'true', page, pageSize });
  const rows = useMemo(() => [...(list.data?.items ?? [])].sort(byUrgency), [list.data]);
  return (
    <PageContainer title={t('nav.shareOverdue')} subtitle={t('share.overdueBoard.subtitle')}>
      <Card>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <RequestTable
            rows={rows}
            loading={list.isFetching}
            columns={['consumer', 'provider']}
            empty={<EmptyState description={t('share.overdueBoard.empty')} />}
            pagination={{ page, pageSize, total: list.data?.total ?? 0, onChange: (p, s) => update({ page: p, pageSize: s }) }}
            testId="share-overdue"
          />
        )}
      </Card>
    </PageContainer>
  );
}
