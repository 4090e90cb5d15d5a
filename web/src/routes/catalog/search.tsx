import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Select, Table, type TableColumnsType, Typography } from 'antd';
import { Link } from 'react-router';
import {
  CLASSIFICATIONS,
  type EntrySummary,
  exportJsonLdUrl,
  exportXlsxUrl,
  OPEN_TYPES,
  type SearchQuery,
  SHARE_TYPES,
  UPDATE_FREQUENCIES,
  useCatalogSearch,
} from '../../api/catalog';
import { DepartmentSelect } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { SearchInput } from '../../components/search-input';
import { EmptyState, ProblemAlert } from '../../components/states';
import { OpenTypeTag, ShareTypeTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { catalogOptions, classificationLabel, oneOf } from '../../lib/catalog-labels';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate } from '../../lib/format';
import { can } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['q', 'departmentId', 'shareType', 'openType', 'classification', 'updateFrequency'] as const;

/** 目录检索: full-text search over published entries, filters in the URL. */
export default function CatalogSearchPage() {
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const { values, page, pageSize, update, reset } = useUrlFilters(FILTER_KEYS);

  const filters = {
    q: values.q,
    departmentId: values.departmentId,
    shareType: oneOf(SHARE_TYPES, values.shareType),
    openType: oneOf(OPEN_TYPES, values.openType),
    classification: oneOf(CLASSIFICATIONS, values.classification),
    updateFrequency: oneOf(UPDATE_FREQUENCIES, values.updateFrequency),
  };
  const query: SearchQuery = { ...filters, page, pageSize };
  const search = useCatalogSearch(query);
  const options = catalogOptions(t);
  const hasFilters = Object.values(filters).some(Boolean);

  const columns: TableColumnsType<EntrySummary> = [
    {
      title: t('entry.name'),
      dataIndex: 'name',
      render: (_, row) => (
        <div style={{ minWidth: 220 }}>
          <Link to={`/catalog/entries/${row.id}`}>{pick(row.name, row.nameEn)}</Link>
          {row.summary && (
            // width 0 / min-width 100%: the one-line summary takes the column's width instead of
            // claiming its full length, which squeezed the other columns to a character per line.
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 1 }}
              style={{ margin: 0, fontSize: 12, width: 0, minWidth: '100%' }}
            >
              {row.summary}
            </Typography.Paragraph>
          )}
        </div>
      ),
    },
    { title: t('entry.code'), dataIndex: 'code', width: 126, render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('entry.provider'), dataIndex: 'departmentName', width: 140 },
    {
      title: t('entry.classification'),
      dataIndex: 'classification',
      width: 120,
      render: (v: string) => classificationLabel(t, v),
    },
    { title: t('entry.shareType'), dataIndex: 'shareType', width: 108, render: (_, row) => <ShareTypeTag value={row.shareType} /> },
    { title: t('entry.openType'), dataIndex: 'openType', width: 108, render: (_, row) => <OpenTypeTag value={row.openType} /> },
    {
      title: t('entry.updateFrequency'),
      dataIndex: 'updateFrequency',
      width: 90,
      render: (_, row) => t(`frequency.${row.updateFrequency}`),
    },
    { title: t('entry.version'), dataIndex: 'version', width: 64, align: 'center', render: (v: number) => `v${v}` },
    { title: t('entry.publishedAt'), dataIndex: 'publishedAt', width: 104, render: (v: string | null) => formatDate(v) },
  ];

  return (
    <PageContainer
      title={t('nav.catalogSearch')}
      subtitle={t('search.subtitle')}
      extra={
        <>
          {can(me, 'createEntry') && (
            <Link to="/catalog/entries/new">
              <Button type="primary" icon={<PlusOutlined />}>
                {t('catalog.newEntry')}
              </Button>
            </Link>
          )}
          {can(me, 'importCatalog') && (
            <Link to="/catalog/import">
              <Button icon={<UploadOutlined />}>{t('catalog.import')}</Button>
            </Link>
          )}
          <Button icon={<DownloadOutlined />} href={exportXlsxUrl(filters)}>
            {t('catalog.exportXlsx')}
          </Button>
          <Button icon={<DownloadOutlined />} href={exportJsonLdUrl()}>
            {t('catalog.exportJsonLd')}
          </Button>
        </>
      }
    >
      <Card>
        <div style={{ marginBottom: 16 }}>
          <SearchInput
            size="large"
            width="100%"
            value={values.q}
            buttonText={t('search.button')}
            placeholder={t('search.placeholder')}
            onSearch={(value) => update({ q: value || null })}
            testId="catalog-search-input"
          />
        </div>
        <div className="ht-toolbar">
          <DepartmentSelect
            value={values.departmentId}
            onChange={(v) => update({ departmentId: v ?? null })}
            placeholder={t('entry.provider')}
            aria-label={t('entry.provider')}
            style={{ width: 220 }}
          />
          <Select
            allowClear
            placeholder={t('entry.shareType')}
            aria-label={t('entry.shareType')}
            options={options.shareType}
            value={filters.shareType}
            onChange={(v) => update({ shareType: v ?? null })}
          />
          <Select
            allowClear
            placeholder={t('entry.openType')}
            aria-label={t('entry.openType')}
            options={options.openType}
            value={filters.openType}
            onChange={(v) => update({ openType: v ?? null })}
          />
          <Select
            allowClear
            placeholder={t('entry.classification')}
            aria-label={t('entry.classification')}
            options={options.classification}
            value={filters.classification}
            onChange={(v) => update({ classification: v ?? null })}
          />
          <Select
            allowClear
            placeholder={t('entry.updateFrequency')}
            aria-label={t('entry.updateFrequency')}
            options={options.updateFrequency}
            value={filters.updateFrequency}
            onChange={(v) => update({ updateFrequency: v ?? null })}
          />
          {hasFilters && (
            <Button type="link" onClick={reset}>
              {t('common.clearFilters')}
            </Button>
          )}
        </div>
      </Card>

      {search.error && <ProblemAlert error={search.error} />}

      <Card>
        <div data-testid="catalog-search-results">
          <Table<EntrySummary>
            rowKey="id"
            columns={columns}
            dataSource={search.data?.items ?? []}
            loading={search.isFetching}
            scroll={{ x: 1100 }}
            locale={{
              emptyText: (
                <EmptyState description={hasFilters ? t('search.noResults') : t('search.emptyCatalog')} />
              ),
            }}
            pagination={{
              current: page,
              pageSize,
              total: search.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.totalItems', { total }),
              onChange: (nextPage, nextSize) =>
                update(nextSize !== pageSize ? { page: 1, pageSize: nextSize } : { page: nextPage }),
            }}
          />
        </div>
      </Card>
    </PageContainer>
  );
}
