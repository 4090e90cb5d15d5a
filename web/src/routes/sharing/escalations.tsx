import { Card, Segmented } from 'antd';
import { useShareRequests } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { useUrlFilters } from '../../lib/url-state';
import { RequestTable } from './sharing-parts';

const FILTER_KEYS = ['status'] as const;

/**
 * 协调督办: requests with the authority — escalated (unanswered, refusal contested, not provided,
 * not-shared data) to negotiate, and joint reviews awaiting the city government's ruling.
 */
export default function EscalationsPage() {
  const { t } = useI18n();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS);
  const status = values.status === 'joint_review' ? 'joint_review' : 'escalated';
  const list = useShareRequests({ role: 'authority', status, page, pageSize });
  return (
    <PageContainer title={t('nav.shareEscalations')} subtitle={t('share.escalations.subtitle')}>
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <Segmented
            value={status}
            onChange={(v) => update({ status: v === 'escalated' ? null : String(v) })}
            options={[
              { value: 'escalated', label: t('share.escalations.toNegotiate') },
              { value: 'joint_review', label: t('share.escalations.toRule') },
            ]}
          />
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <RequestTable
            rows={list.data?.items ?? []}
            loading={list.isFetching}
            columns={['consumer', 'provider', 'escalation']}
            empty={<EmptyState description={t('share.escalations.empty')} />}
            pagination={{ page, pageSize, total: list.data?.total ?? 0, onChange: (p, s) => update({ page: p, pageSize: s }) }}
            testId="share-escalations"
          />
        )}
      </Card>
    </PageContainer>
  );
}
