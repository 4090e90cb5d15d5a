import { Card, Tabs, Typography } from 'antd';
import { useParams, useSearchParams } from 'react-router';
import { type DataItem, useEntry, useEntryVersion } from '../../api/catalog';
import { useDatasetQuality } from '../../api/collection';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { DataItemsTable } from '../catalog/entry-parts';
import { BatchesPanel } from './batches-panel';
import { useDatasetRows } from './my-datasets';
import { FreshnessTag } from './parts';
import { QualityPanel } from './quality-panel';
import { QuarantinePanel } from './quarantine-panel';
import { RecordsPanel } from './records-panel';
import { UploadPanel } from './upload-panel';
import './collection.css';

const TABS = ['quality', 'upload', 'batches', 'records', 'quarantine', 'schema'] as const;
type Tab = (typeof TABS)[number];

/** The code from the address: one encoded segment, decoded once more if the router left it encoded. */
function codeOf(param: string | undefined): string {
  if (!param) return '';
  try {
    return param.includes('%') ? decodeURIComponent(param) : param;
  } catch {
    return param;
  }
}

/** The published version's data items, for a dataset that has not received a batch yet. */
function usePublishedItems(entryId: string | null | undefined, enabled: boolean): DataItem[] | undefined {
  const entry = useEntry(enabled && entryId ? entryId : undefined);
  const e = entry.data;
  const needOld = Boolean(e?.publishedVersion && e.publishedVersion !== e.latestVersion);
  const old = useEntryVersion(needOld ? (entryId ?? undefined) : undefined, needOld ? (e?.publishedVersion ?? undefined) : undefined);
  if (!e) return undefined;
  return needOld ? old.data?.items : e.current.items;
}

/** 数据集: quality, upload, batches, records, quarantine and data items of one of the department's datasets. */
export default function DatasetPage() {
  const { t, pick } = useI18n();
  const code = codeOf(useParams<{ code: string }>().code);
  const [params, setParams] = useSearchParams();
  const { rows, isPending, error, refetch } = useDatasetRows();
  const quality = useDatasetQuality(code);
  const row = rows.find((r) => r.code === code);
  const publishedItems = usePublishedItems(row?.entryId, Boolean(row && !row.dataset));
  const items = row?.dataset?.items ?? publishedItems ?? [];
  const tab: Tab = TABS.find((x) => x === params.get('tab')) ?? 'quality';

  const setTab = (next: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        p.set('tab', next);
        if (next !== 'upload') p.delete('upload');
        if (next !== 'records') {
          p.delete('q');
          p.delete('deleted');
        }
        return p;
      },
      { replace: true },
    );

  const tabs = [
      { key: 'quality', label: t('collection.tab.quality'), children: <QualityPanel code={code} dataset={row?.dataset} onTab={setTab} /> },
      { key: 'upload', label: t('collection.tab.upload'), children: <UploadPanel code={code} onTab={setTab} /> },
      { key: 'batches', label: t('collection.tab.batches'), children: <BatchesPanel code={code} /> },
      { key: 'records', label: t('collection.tab.records'), children: <RecordsPanel code={code} items={items} /> },
      { key: 'quarantine', label: t('collection.tab.quarantine'), children: <QuarantinePanel code={code} items={items} /> },
      {
        key: 'schema',
        label: t('collection.tab.schema'),
        children: (
          <>
            {row?.dataset && (
              <Typography.Paragraph type="secondary">
                {t('collection.schema.version', { version: row.dataset.schemaVersion })}
              </Typography.Paragraph>
            )}
            <DataItemsTable items={items} />
          </>
        ),
      },
  ];

  if (isPending) return <Loading />;
  if (error && !row) return <ErrorState error={error} onRetry={refetch} />;

  const title = row ? pick(row.name, row.nameEn) : (quality.data?.title ?? code);
  return (
    <PageContainer
      title={title}
      titleExtra={quality.data && <FreshnessTag status={quality.data.freshness.status} dueAt={quality.data.freshness.dueAt} />}
      subtitle={<span className="ht-mono">{code}</span>}
      back="/collection/datasets"
    >
      <Card>
        <Tabs activeKey={tab} onChange={setTab} items={tabs} destroyOnHidden />
      </Card>
    </PageContainer>
  );
}
