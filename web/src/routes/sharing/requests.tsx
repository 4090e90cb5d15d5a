import { FileSearchOutlined } from '@ant-design/icons';
import { Button, Card } from 'antd';
import { Link } from 'react-router';
import { SHARE_REQUEST_STATUSES, useShareRequests } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { useUrlFilters } from '../../lib/url-state';
import { RequestTable, StatusFilter } from './sharing-parts';

const FILTER_KEYS = ['status'] as const;

/** 我的申请: the requests my department made for other departments' data, with their due dates. */
export default function MyRequestsPage() {
  const { t } = useI18n();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS);
  const status = oneOf(SHARE_REQUEST_STATUSES, values.status);
  const list = useShareRequests({ role: 'consumer', status, page, pageSize });

  return (
    <PageContainer
      title={t('nav.shareRequests')}
      subtitle={t('share.mine.subtitle')}
      extra={
        <Link to="/catalog/search">
          <Button type="primary" icon={<FileSearchOutlined />}>
            {t('share.mine.findData')}
          </Button>
        </Link>
      }
    >
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <StatusFilter value={status} onChange={(v) => update({ status: v ?? null })} />
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <RequestTable
            rows={list.data?.items ?? []}
            loading={list.isFetching}
            columns={['provider']}
            empty={<EmptyState description={status ? t('common.noMatches') : t('share.mine.empty')} />}
            pagination={{ page, pageSize, total: list.data?.total ?? 0, onChange: (p, s) => update({ page: p, pageSize: s }) }}
            testId="share-requests"
          />
        )}
      </Card>
    </PageContainer>
  );
}
