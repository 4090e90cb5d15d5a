import { SwapOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Flex, Select, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import {
  CLASSIFICATIONS,
  type DataItem,
  type EntryFields,
  OPEN_TYPES,
  SHARE_MANNERS,
  SHARE_TYPES,
  UPDATE_FREQUENCIES,
  type Version,
  useEntry,
  useEntryDiff,
  useEntryVersion,
} from '../../api/catalog';
import { fieldPath } from '../../api/client';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState, Loading, ProblemAlert } from '../../components/states';
import { type TFunction, useI18n } from '../../i18n';
import { ENTRY_FIELD_LABELS, fieldPathLabel, ITEM_FIELD_LABELS, oneOf } from '../../lib/catalog-labels';
import { dataTypeLabel } from './entry-parts';

type FieldKey = Exclude<keyof EntryFields, 'items'>;
const FIELDS = (Object.keys(ENTRY_FIELD_LABELS) as (keyof EntryFields)[]).filter(
  (f): f is FieldKey => f !== 'items',
);

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** A field value in words (enumerations translated, lists joined). */
function valueText(t: TFunction, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    if (field === 'shareManner') {
      return value
        .map((v) => {
          const manner = oneOf(SHARE_MANNERS, String(v));
          return manner ? t(`shareManner.${manner}`) : String(v);
        })
        .join(t('common.listSeparator'));
    }
    return value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(t('common.listSeparator'));
  }
  if (typeof value === 'string') {
    const share = oneOf(SHARE_TYPES, value);
    if (field === 'shareType' && share) return t(`shareType.${share}`);
    const open = oneOf(OPEN_TYPES, value);
    if (field === 'openType' && open) return t(`openType.${open}`);
    const cls = oneOf(CLASSIFICATIONS, value);
    if (field === 'classification' && cls) return t(`classification.${cls}`);
    const freq = oneOf(UPDATE_FREQUENCIES, value);
    if (field === 'updateFrequency' && freq) return t(`frequency.${freq}`);
    return value;
  }
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** One data item in a line: 姓名 (xm) · C 字符型(50) · 必填 · 标识. */
function itemText(t: TFunction, item: Partial<DataItem> | null | undefined): string {
  if (!item) return '—';
  const parts = [`${item.name ?? ''}${item.nameEn ? ` (${item.nameEn})` : ''}`];
  if (item.dataType) parts.push(`${dataTypeLabel(t, item.dataType)}${item.length ? `(${item.length})` : ''}`);
  if (item.codeList) parts.push(`${t('item.codeList')} ${item.codeList}`);
  if (item.required) parts.push(t('item.required'));
  if (item.isIdentifier) parts.push(t('item.identifierTag'));
  return parts.join(' · ');
}

type FieldRow = { key: string; label: string; before: string; after: string; changed: boolean };
type ItemRow = {
  key: string;
  change: 'added' | 'removed' | 'changed' | 'unchanged';
  before: string;
  after: string;
  attributes: string[];
};

/** Pairs the items of two versions by name (as the server's diff does) and says what happened to each. */
function diffItems(t: TFunction, from: DataItem[], to: DataItem[]): ItemRow[] {
  const keyOf = (item: DataItem, i: number) => item.name || `#${i}`;
  const before = new Map(from.map((item, i) => [keyOf(item, i), item]));
  const rows: ItemRow[] = [];
  const seen = new Set<string>();
  to.forEach((item, i) => {
    const key = keyOf(item, i);
    seen.add(key);
    const old = before.get(key);
    if (!old) {
      rows.push({ key: `+${key}`, change: 'added', before: '—', after: itemText(t, item), attributes: [] });
      return;
    }
    const attributes = (Object.keys(ITEM_FIELD_LABELS) as (keyof DataItem)[])
      .filter((attr) => !same(old[attr], item[attr]))
      .map((attr) => t(ITEM_FIELD_LABELS[attr]));
    rows.push({
      key,
      change: attributes.length ? 'changed' : 'unchanged',
      before: itemText(t, old),
      after: itemText(t, item),
      attributes,
    });
  });
  from.forEach((item, i) => {
    const key = keyOf(item, i);
    if (!seen.has(key)) rows.push({ key: `-${key}`, change: 'removed', before: itemText(t, item), after: '—', attributes: [] });
  });
  return rows;
}

const CHANGE_COLORS = { added: 'success', removed: 'error', changed: 'warning', unchanged: 'default' } as const;

/** 版本对比: two versions side by side, changed rows highlighted, data items compared one by one. */
export default function VersionComparePage() {
  const { id } = useParams<{ id: string }>();
  const { t, pick } = useI18n();
  const [params, setParams] = useSearchParams();
  const entry = useEntry(id);
  const [showAll, setShowAll] = useState(false);

  const latest = entry.data?.latestVersion ?? 0;
  const to = Number(params.get('to')) || latest || undefined;
  const from = Number(params.get('from')) || (to && to > 1 ? to - 1 : undefined);

  const diff = useEntryDiff(id, from, to);
  const vFrom = useEntryVersion(id, from);
  const vTo = useEntryVersion(id, to);

  const rows = useMemo(() => buildRows(t, diff.data?.changes ?? [], vFrom.data, vTo.data), [t, diff.data, vFrom.data, vTo.data]);

  if (entry.isPending) return <Loading />;
  if (entry.error || !entry.data) return <ErrorState error={entry.error} onRetry={() => void entry.refetch()} />;
  const e = entry.data;

  const versionOptions = [...e.versions]
    .sort((a, b) => b.version - a.version)
    .map((v) => ({ value: v.version, label: `v${v.version} · ${t(`status.${v.status}`)}` }));

  const setPair = (nextFrom: number | undefined, nextTo: number | undefined) =>
    setParams({ ...(nextFrom ? { from: String(nextFrom) } : {}), ...(nextTo ? { to: String(nextTo) } : {}) }, { replace: true });

  const fieldColumns: TableColumnsType<FieldRow> = [
    { title: t('compare.field'), dataIndex: 'label', width: 180 },
    {
      title: t('compare.before', { version: from ?? '' }),
      dataIndex: 'before',
      render: (v: string, row) => <span className={row.changed ? 'ht-diff-before' : undefined} style={{ whiteSpace: 'pre-wrap' }}>{v}</span>,
    },
    {
      title: t('compare.after', { version: to ?? '' }),
      dataIndex: 'after',
      render: (v: string, row) => <span className={row.changed ? 'ht-diff-after' : undefined} style={{ whiteSpace: 'pre-wrap' }}>{v}</span>,
    },
  ];

  const itemColumns: TableColumnsType<ItemRow> = [
    {
      title: t('compare.change'),
      dataIndex: 'change',
      width: 110,
      render: (_, row) => <Tag color={CHANGE_COLORS[row.change]}>{t(`compare.itemChange.${row.change}`)}</Tag>,
    },
    { title: t('compare.before', { version: from ?? '' }), dataIndex: 'before' },
    { title: t('compare.after', { version: to ?? '' }), dataIndex: 'after' },
    {
      title: t('compare.changedAttributes'),
      dataIndex: 'attributes',
      render: (v: string[]) => (v.length ? v.join(t('common.listSeparator')) : '—'),
    },
  ];

  const shownFields = showAll ? rows.fields : rows.fields.filter((r) => r.changed);
  const shownItems = showAll ? rows.items : rows.items.filter((r) => r.change !== 'unchanged');
  const changedCount = rows.fields.filter((r) => r.changed).length + rows.items.filter((r) => r.change !== 'unchanged').length;
  const loading = diff.isFetching || vFrom.isFetching || vTo.isFetching;
  const rowClass = (r: FieldRow) => (r.changed ? 'ht-row-changed' : '');
  const itemRowClass = (r: ItemRow) =>
    r.change === 'added' ? 'ht-row-added' : r.change === 'removed' ? 'ht-row-removed' : r.change === 'changed' ? 'ht-row-changed' : '';

  let body: ReactNode;
  if (!from || !to) body = <EmptyState description={t('compare.pickTwo')} />;
  else if (from === to) body = <Alert type="info" showIcon title={t('compare.sameVersion')} />;
  else if (diff.error && !vFrom.data) body = <ProblemAlert error={diff.error} />;
  else
    body = (
      <>
        <Card
          title={t('compare.fields')}
          extra={
            <Space>
              <Typography.Text type="secondary">{t('compare.changedCount', { count: changedCount })}</Typography.Text>
              <Switch checked={showAll} onChange={setShowAll} aria-label={t('compare.showUnchanged')} />
              <span>{t('compare.showUnchanged')}</span>
            </Space>
          }
        >
          <Table<FieldRow>
            size="small"
            rowKey="key"
            loading={loading}
            columns={fieldColumns}
            dataSource={shownFields}
            rowClassName={rowClass}
            pagination={false}
            locale={{ emptyText: <EmptyState description={t('compare.noFieldChanges')} /> }}
          />
        </Card>
        <Card title={t('entry.section.items')}>
          <Table<ItemRow>
            size="small"
            rowKey="key"
            loading={loading}
            columns={itemColumns}
            dataSource={shownItems}
            rowClassName={itemRowClass}
            pagination={false}
            locale={{ emptyText: <EmptyState description={t('compare.noItemChanges')} /> }}
          />
        </Card>
      </>
    );

  return (
    <PageContainer
      title={t('compare.title')}
      subtitle={`${pick(e.current.name, e.current.nameEn)} · ${e.code || t('entry.codePending')}`}
      back={`/catalog/entries/${e.id}`}
    >
      <Card size="small">
        <Flex align="center" gap={12} wrap>
          <span>{t('compare.from')}</span>
          <Select
            style={{ width: 180 }}
            value={from}
            options={versionOptions}
            onChange={(v) => setPair(v, to)}
            aria-label={t('compare.from')}
            data-testid="compare-from"
          />
          <Button
            icon={<SwapOutlined />}
            aria-label={t('compare.swap')}
            title={t('compare.swap')}
            onClick={() => setPair(to, from)}
          />
          <span>{t('compare.to')}</span>
          <Select
            style={{ width: 180 }}
            value={to}
            options={versionOptions}
            onChange={(v) => setPair(from, v)}
            aria-label={t('compare.to')}
            data-testid="compare-to"
          />
        </Flex>
      </Card>
      {body}
    </PageContainer>
  );
}

/** Field rows from both versions, with the server's diff deciding what changed. */
function buildRows(
  t: TFunction,
  changes: { field: string; before: unknown; after: unknown }[],
  from: Version | undefined,
  to: Version | undefined,
): { fields: FieldRow[]; items: ItemRow[] } {
  const changedRoots = new Set(changes.map((c) => String(fieldPath(c.field)[0] ?? c.field)));
  const exact = new Map(changes.map((c) => [c.field, c]));

  const fields: FieldRow[] = FIELDS.map((f) => {
    const change = exact.get(f);
    const before = from ? from[f] : change?.before;
    const after = to ? to[f] : change?.after;
    const changed = changedRoots.has(f) || (from !== undefined && to !== undefined && !same(before, after));
    return {
      key: f,
      label: t(ENTRY_FIELD_LABELS[f]),
      before: valueText(t, f, before),
      after: valueText(t, f, after),
      changed,
    };
  }).filter((row) => row.changed || (from !== undefined && to !== undefined));

  // Changes to fields this console does not know yet are still shown.
  const known = new Set<string>([...FIELDS, 'items']);
  for (const c of changes) {
    const root = String(fieldPath(c.field)[0] ?? c.field);
    if (!known.has(root)) {
      fields.push({ key: c.field, label: c.field, before: valueText(t, c.field, c.before), after: valueText(t, c.field, c.after), changed: true });
    }
  }

  let items: ItemRow[];
  if (from && to) {
    items = diffItems(t, from.items ?? [], to.items ?? []);
  } else {
    items = changes
      .filter((c) => fieldPath(c.field)[0] === 'items')
      .map((c) => {
        const path = fieldPath(c.field);
        const isWhole = path.length <= 2;
        const render = (v: unknown) =>
          isWhole && v && typeof v === 'object' && !Array.isArray(v) ? itemText(t, v as DataItem) : valueText(t, c.field, v);
        return {
          key: c.field,
          change: c.before == null ? 'added' : c.after == null ? 'removed' : 'changed',
          before: render(c.before),
          after: render(c.after),
          attributes: [fieldPathLabel(t, path)],
        } satisfies ItemRow;
      });
  }
  return { fields, items };
}
