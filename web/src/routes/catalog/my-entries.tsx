import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Segmented, Table, type TableColumnsType } from 'antd';
import { Link } from 'react-router';
import { ENTRY_STATUSES, type EntrySummary, useEntries } from '../../api/catalog';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ProblemAlert } from '../../components/states';
import { ShareTypeTag, StatusTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { classificationLabel, oneOf } from '../../lib/catalog-labels';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['status'] as const;
const STATUS_TABS = ['draft', 'returned', 'submitted', 'approved', 'published'] as const;

/** 我的目录: the department's own entries in every state. */
export default function MyEntriesPage() {
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS);
  const status = oneOf(ENTRY_STATUSES, values.status);
  const entries = useEntries({ departmentId: me.departmentId, status, page, pageSize });

  const columns: TableColumnsType<EntrySummary> = [
    {
      title: t('entry.name'),
      dataIndex: 'name',
      render: (_, row) => <Link to={`/catalog/entries/${row.id}`}>{pick(row.name, row.nameEn)}</Link>,
    },
    {
      title: t('entry.code'),
      dataIndex: 'code',
      render: (v: string) => (v ? <span className="ht-mono">{v}</span> : <span className="ht-muted">{t('entry.codePending')}</span>),
    },
    { title: t('entry.status'), dataIndex: 'status', render: (_, row) => <StatusTag status={row.status} /> },
    { title: t('entry.version'), dataIndex: 'version', align: 'center', render: (v: number) => `v${v}` },
    { title: t('entry.classification'), dataIndex: 'classification', render: (v: string) => classificationLabel(t, v) },
    { title: t('entry.shareType'), dataIndex: 'shareType', render: (_, row) => <ShareTypeTag value={row.shareType} /> },
    { title: t('entry.updateFrequency'), dataIndex: 'updateFrequency', render: (_, row) => t(`frequency.${row.updateFrequency}`) },
    { title: t('entry.publishedAt'), dataIndex: 'publishedAt', render: (v: string | null) => formatDate(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) =>
        ['draft', 'returned'].includes(row.status) && can(me, 'createEntry') ? (
          <Link to={`/catalog/entries/${row.id}/edit`}>{t('entry.action.edit')}</Link>
        ) : (
          <Link to={`/catalog/entries/${row.id}`}>{t('common.view')}</Link>
        ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.myEntries')}
      subtitle={t('myEntries.subtitle', { department: me.departmentName })}
      extra={
        can(me, 'createEntry') && (
          <>
            <Link to="/catalog/import">
              <Button icon={<UploadOutlined />}>{t('catalog.import')}</Button>
            </Link>
            <Link to="/catalog/entries/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="entry-new">
                {t('catalog.newEntry')}
              </Button>
            </Link>
          </>
        )
      }
    >
      <Card>
        <Segmented
          value={status ?? 'all'}
          onChange={(v) => update({ status: v === 'all' ? null : String(v) })}
          options={[
            { value: 'all', label: t('common.all') },
            ...STATUS_TABS.map((s) => ({ value: s, label: t(`status.${s}`) })),
          ]}
          style={{ marginBottom: 16 }}
          aria-label={t('entry.status')}
        />
        {entries.error && <ProblemAlert error={entries.error} />}
        <Table<EntrySummary>
          rowKey="id"
          columns={columns}
          dataSource={entries.data?.items ?? []}
          loading={entries.isFetching}
          scroll={{ x: 1000 }}
          locale={{
            emptyText: (
              <EmptyState
                description={status ? t('myEntries.emptyStatus') : t('myEntries.empty')}
                action={
                  !status &&
                  can(me, 'createEntry') && (
                    <Link to="/catalog/entries/new">
                      <Button type="primary">{t('catalog.newEntry')}</Button>
                    </Link>
                  )
                }
              />
            ),
          }}
          pagination={{
            current: page,
            pageSize,
            total: entries.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (total) => t('common.totalItems', { total }),
            onChange: (p, s) => update(s !== pageSize ? { page: 1, pageSize: s } : { page: p }),
          }}
        />
      </Card>
    </PageContainer>
  );
}
