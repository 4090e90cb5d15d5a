import { Card, Table, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { type EntrySummary, useReviewQueue } from '../../api/catalog';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ProblemAlert } from '../../components/states';
import { OpenTypeTag, ShareTypeTag, StatusTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { classificationLabel } from '../../lib/catalog-labels';
import { useCurrentUser } from '../../lib/current-user';
import { hasRole } from '../../lib/permissions';

/** 审核队列: entries awaiting the caller's decision (reviewers: submitted; authority: approved). */
export default function ReviewQueuePage() {
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const queue = useReviewQueue();

  const columns: TableColumnsType<EntrySummary> = [
    {
      title: t('entry.name'),
      dataIndex: 'name',
      render: (_, row) => <Link to={`/catalog/entries/${row.id}`}>{pick(row.name, row.nameEn)}</Link>,
    },
    { title: t('entry.provider'), dataIndex: 'departmentName' },
    { title: t('entry.status'), dataIndex: 'status', render: (_, row) => <StatusTag status={row.status} /> },
    { title: t('entry.version'), dataIndex: 'version', align: 'center', render: (v: number) => `v${v}` },
    { title: t('entry.classification'), dataIndex: 'classification', render: (v: string) => classificationLabel(t, v) },
    { title: t('entry.shareType'), dataIndex: 'shareType', render: (_, row) => <ShareTypeTag value={row.shareType} /> },
    { title: t('entry.openType'), dataIndex: 'openType', render: (_, row) => <OpenTypeTag value={row.openType} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) => (
        <Link to={`/catalog/entries/${row.id}`}>
          {row.status === 'approved' ? t('review.goPublish') : t('review.goReview')}
        </Link>
      ),
    },
  ];

  const subtitle = hasRole(me, 'authority')
    ? hasRole(me, 'catalog_reviewer')
      ? t('review.subtitleBoth')
      : t('review.subtitleAuthority')
    : t('review.subtitleReviewer');

  return (
    <PageContainer title={t('nav.reviewQueue')} subtitle={subtitle}>
      {queue.error && <ProblemAlert error={queue.error} />}
      <Card>
        <Table<EntrySummary>
          rowKey="id"
          columns={columns}
          dataSource={queue.data?.items ?? []}
          loading={queue.isFetching}
          scroll={{ x: 900 }}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.totalItems', { total }) }}
          locale={{ emptyText: <EmptyState description={t('review.empty')} /> }}
        />
      </Card>
    </PageContainer>
  );
}
