import { CheckOutlined } from '@ant-design/icons';
import { Descriptions, type DescriptionsProps, Table, type TableColumnsType, Tag } from 'antd';
import { DATA_TYPES, type DataItem, type Entry, useBasicItems, type Version } from '../../api/catalog';
import { EmptyState } from '../../components/states';
import { OpenTypeTag, ShareTypeTag } from '../../components/tags';
import { type TFunction, useI18n } from '../../i18n';
import { classificationLabel } from '../../lib/catalog-labels';
import { formatDateTime } from '../../lib/format';

/** A list of strings as tags, or a dash. */
export function TagList({ values }: { values: readonly string[] | null | undefined }) {
  if (!values || values.length === 0) return <span className="ht-muted">—</span>;
  return (
    <>
      {values.map((v) => (
        <Tag key={v}>{v}</Tag>
      ))}
    </>
  );
}

function text(value: string | null | undefined) {
  return value ? value : <span className="ht-muted">—</span>;
}

/** `C 字符型`-style label of a data type. */
export function dataTypeLabel(t: TFunction, value: string): string {
  const type = DATA_TYPES.find((d) => d === value);
  return type ? t(`dataType.${type}`) : value || '—';
}

/** 基本信息 of a version. */
export function EntryBasics({
  entry,
  version,
}: {
  entry: Pick<Entry, 'code' | 'departmentName'> & { versions?: Entry['versions'] };
  version: Version;
}) {
  const { t, tMaybe } = useI18n();
  const createdByName =
    version.createdByName ?? entry.versions?.find((v) => v.version === version.version)?.createdByName ?? version.createdBy;
  const items: DescriptionsProps['items'] = [
    { key: 'name', label: t('entry.name'), children: version.name },
    { key: 'nameEn', label: t('entry.nameEn'), children: text(version.nameEn) },
    { key: 'code', label: t('entry.code'), children: <span className="ht-mono">{entry.code || '—'}</span> },
    { key: 'provider', label: t('entry.provider'), children: entry.departmentName },
    {
      key: 'classification',
      label: t('entry.classification'),
      children: classificationLabel(t, version.classification),
    },
    { key: 'classCode', label: t('entry.classCode'), children: <span className="ht-mono">{version.classCode || '—'}</span> },
    { key: 'summary', label: t('entry.summary'), span: 2, children: <div style={{ whiteSpace: 'pre-wrap' }}>{version.summary}</div> },
    { key: 'keywords', label: t('entry.keywords'), span: 2, children: <TagList values={version.keywords} /> },
    {
      key: 'formatCategory',
      label: t('entry.formatCategory'),
      children: version.formatCategory ? tMaybe(`formatCategory.${version.formatCategory}`, version.formatCategory) : '—',
    },
    { key: 'formatType', label: t('entry.formatType'), children: text(version.formatType) },
    { key: 'updateFrequency', label: t('entry.updateFrequency'), children: t(`frequency.${version.updateFrequency}`) },
    { key: 'sharingPeriod', label: t('entry.sharingPeriod'), children: text(version.sharingPeriod) },
    { key: 'scopeOfUse', label: t('entry.scopeOfUse'), span: 2, children: text(version.scopeOfUse) },
    { key: 'relatedSystems', label: t('entry.relatedSystems'), children: <TagList values={version.relatedSystems} /> },
    {
      key: 'relatedResourceCodes',
      label: t('entry.relatedResourceCodes'),
      children: <TagList values={version.relatedResourceCodes} />,
    },
    { key: 'createdAt', label: t('entry.createdAt'), children: formatDateTime(version.createdAt) },
    { key: 'createdBy', label: t('entry.createdBy'), children: text(createdByName) },
    { key: 'publishedAt', label: t('entry.publishedAt'), children: formatDateTime(version.publishedAt) },
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />;
}

/** 共享属性 and 开放属性 of a version. */
export function EntryAccess({ version }: { version: Version }) {
  const { t } = useI18n();
  const items: DescriptionsProps['items'] = [
    { key: 'shareType', label: t('entry.shareType'), children: <ShareTypeTag value={version.shareType} /> },
    {
      key: 'shareManner',
      label: t('entry.shareManner'),
      children: version.shareManner?.length ? version.shareManner.map((m) => <Tag key={m}>{t(`shareManner.${m}`)}</Tag>) : '—',
    },
    ...(version.shareType !== 'unconditional'
      ? [
          { key: 'shareConditions', label: t('entry.shareConditions'), span: 2, children: text(version.shareConditions) },
          { key: 'legalBasis', label: t('entry.legalBasis'), span: 2, children: text(version.legalBasis) },
        ]
      : []),
    { key: 'openType', label: t('entry.openType'), children: <OpenTypeTag value={version.openType} /> },
    ...(version.openType === 'conditional'
      ? [{ key: 'openConditions', label: t('entry.openConditions'), children: text(version.openConditions) }]
      : []),
  ];
  return <Descriptions bordered size="small" column={{ xs: 1, md: 2 }} items={items} />;
}

/** 信息项 as a read-only table. */
export function DataItemsTable({ items }: { items: DataItem[] }) {
  const { t } = useI18n();
  const linksBasicItems = items.some((i) => i.basicItemId);
  // Only fetched when an item names a basic data item (一数一源).
  const basicItems = useBasicItems({}, linksBasicItems);
  const basicItemLabel = (id: string | null | undefined) => {
    if (!id) return '';
    const b = basicItems.data?.items.find((x) => x.id === id);
    return b ? `${b.category} / ${b.name} · ${b.departmentName}` : '…';
  };
  const columns: TableColumnsType<DataItem & { index: number }> = [
    { title: '#', dataIndex: 'index', width: 56, align: 'center' },
    { title: t('item.name'), dataIndex: 'name' },
    { title: t('item.nameEn'), dataIndex: 'nameEn', render: (v: string) => <span className="ht-mono">{v || '—'}</span> },
    { title: t('item.dataType'), dataIndex: 'dataType', render: (v: string) => dataTypeLabel(t, v) },
    { title: t('item.length'), dataIndex: 'length', align: 'right', render: (v: number | null) => v ?? '—' },
    { title: t('item.codeList'), dataIndex: 'codeList', render: (v: string | null) => v || '—' },
    {
      title: t('item.required'),
      dataIndex: 'required',
      align: 'center',
      render: (v: boolean) => (v ? <CheckOutlined aria-label={t('common.yes')} /> : ''),
    },
    {
      title: t('item.isIdentifier'),
      dataIndex: 'isIdentifier',
      align: 'center',
      render: (v: boolean) => (v ? <Tag color="blue">{t('item.identifierTag')}</Tag> : ''),
    },
    ...(linksBasicItems
      ? [{ title: t('item.basicItem'), dataIndex: 'basicItemId', render: (v: string | null | undefined) => basicItemLabel(v) || '—' }]
      : []),
  ];
  return (
    <Table
      size="small"
      rowKey="index"
      columns={columns}
      dataSource={items.map((item, i) => ({ ...item, index: i + 1 }))}
      pagination={items.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 800 }}
      locale={{ emptyText: <EmptyState description={t('item.none')} /> }}
    />
  );
}
