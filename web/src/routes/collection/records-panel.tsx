import { Alert, Button, Checkbox, Drawer, Form, Input, Modal, Space, Table, type TableColumnsType, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import type { DataItem } from '../../api/catalog';
import { type DatasetRecord, useRecordHistory, useRecords, useRevealIdentifier } from '../../api/collection';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { hasRole } from '../../lib/permissions';
import { formatDateTime } from '../../lib/format';

const show = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** The values of a record as a short list `name: value` (identifiers arrive masked). */
function ValuesList({ values, items }: { values: Record<string, unknown>; items: DataItem[] }) {
  const { pick } = useI18n();
  const title = (name: string) => {
    const item = items.find((i) => i.nameEn === name);
    return item ? pick(item.name, item.nameEn) : name;
  };
  return (
    <div className="ht-record-values">
      {Object.entries(values).map(([k, v]) => (
        <div key={k}>
          <Typography.Text type="secondary">{title(k)}：</Typography.Text>
          <span className="ht-mono">{show(v)}</span>
        </div>
      ))}
    </div>
  );
}

/** The versions of one record as a timeline: who, when, which batch, the values then. */
function HistoryDrawer({ code, record, items, onClose }: { code: string; record: DatasetRecord | undefined; items: DataItem[]; onClose: () => void }) {
  const t = useI18n().t;
  const history = useRecordHistory(code, record?.ref);
  return (
    <Drawer open={Boolean(record)} onClose={onClose} size="large" title={t('collection.records.historyTitle', { key: record?.key ?? '' })} destroyOnHidden>
      {history.error && <ProblemAlert error={history.error} />}
      <Timeline
        items={(history.data?.versions ?? []).map((v) => ({
          color: v.deleted ? 'red' : 'blue',
          children: (
            <div data-testid="record-version">
              <Space wrap>
                <Tag>{t('collection.records.versionN', { version: v.version })}</Tag>
                {v.deleted && <Tag color="error">{t('collection.records.deleted')}</Tag>}
                <span>{formatDateTime(v.writtenAt, true)}</span>
                <span>{v.writtenBy.name ?? v.writtenBy.id.slice(0, 8)}</span>
                <span className="ht-mono ht-muted" title={v.batchId}>
                  {t('collection.batch.id')} {v.batchId.slice(-12)}
                </span>
                <Typography.Text type="secondary">{t('collection.schema.version', { version: v.schemaVersion })}</Typography.Text>
              </Space>
              {!v.deleted && <ValuesList values={v.values} items={items} />}
            </div>
          ),
        }))}
      />
    </Drawer>
  );
}

/** Asks for a reason, then shows the full identifier once (audited on the server). */
function RevealModal({ code, record, onClose }: { code: string; record: DatasetRecord | undefined; onClose: () => void }) {
  const t = useI18n().t;
  const reveal = useRevealIdentifier(code);
  const [form] = Form.useForm<{ reason: string }>();
  const close = () => {
    reveal.reset();
    form.resetFields();
    onClose();
  };
  return (
    <Modal
      open={Boolean(record)}
      title={t('collection.records.revealTitle', { key: record?.key ?? '' })}
      onCancel={close}
      destroyOnHidden
      okText={reveal.data ? t('collection.records.close') : t('collection.records.reveal')}
      confirmLoading={reveal.isPending}
      onOk={() => {
        if (reveal.data || !record) return close();
        void form.validateFields().then(({ reason }) => reveal.mutate({ ref: record.ref, reason: reason.trim() }));
      }}
    >
      {reveal.error && <ProblemAlert error={reveal.error} />}
      {reveal.data ? (
        <Alert type="warning" showIcon title={t('collection.records.revealedNote')} description={<span className="ht-mono" data-testid="revealed-identifier">{reveal.data.identifier}</span>} />
      ) : (
        <Form form={form} layout="vertical">
          <Typography.Paragraph type="secondary">{t('collection.records.revealHint')}</Typography.Paragraph>
          <Form.Item name="reason" label={t('collection.records.reason')} rules={[{ required: true, whitespace: true, min: 2, max: 200, message: t('collection.records.reasonRule') }]}>
            <Input.TextArea rows={3} maxLength={200} showCount />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

/** 记录: the dataset's current records with masked identifiers, a search by full number or key, history and (administrators) reveal. */
export function RecordsPanel({ code, items }: { code: string; items: DataItem[] }) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const canReveal = hasRole(me, 'dept_admin');
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const includeDeleted = params.get('deleted') === 'true';
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [history, setHistory] = useState<DatasetRecord>();
  const [revealing, setRevealing] = useState<DatasetRecord>();
  const records = useRecords(code, { page, pageSize, q, includeDeleted });

  const setFilter = (key: 'q' | 'deleted', value: string) => {
    setPage(1);
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );
  };

  const columns: TableColumnsType<DatasetRecord> = [
    { title: t('collection.records.key'), dataIndex: 'key', render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('collection.records.values'), dataIndex: 'values', render: (v: Record<string, unknown>) => <ValuesList values={v} items={items} /> },
    { title: t('collection.records.version'), dataIndex: 'version', align: 'right' },
    { title: t('collection.records.updatedAt'), dataIndex: 'updatedAt', render: (v: string) => formatDateTime(v, true) },
    {
      title: t('collection.records.status'),
      dataIndex: 'deleted',
      render: (v: boolean) => (v ? <Tag color="error">{t('collection.records.deleted')}</Tag> : <Tag color="success">{t('collection.records.live')}</Tag>),
    },
    {
      title: t('collection.records.actions'),
      key: 'actions',
      render: (_, r) => (
        <Space>
          <Button size="small" type="link" onClick={() => setHistory(r)}>
            {t('collection.records.history')}
          </Button>
          {canReveal && /^[0-9a-f]{64}$/.test(r.ref) && (
            <Button size="small" type="link" danger onClick={() => setRevealing(r)}>
              {t('collection.records.reveal')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          defaultValue={q}
          placeholder={t('collection.records.searchPlaceholder')}
          style={{ width: 360 }}
          onSearch={(v) => setFilter('q', v.trim())}
          data-testid="records-search"
        />
        <Checkbox checked={includeDeleted} onChange={(e) => setFilter('deleted', e.target.checked ? 'true' : '')}>
          {t('collection.records.includeDeleted')}
        </Checkbox>
      </Space>
      {records.error && <ProblemAlert error={records.error} />}
      <Table<DatasetRecord>
        size="small"
        rowKey="ref"
        columns={columns}
        dataSource={records.data?.items ?? []}
        loading={records.isFetching}
        data-testid="records-table"
        scroll={{ x: 900 }}
        locale={{ emptyText: <EmptyState description={q ? t('collection.records.notFound') : t('collection.records.empty')} /> }}
        pagination={{
          current: page,
          pageSize,
          total: records.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, s) => {
            setPage(s !== pageSize ? 1 : p);
            setPageSize(s);
          },
        }}
      />
      <HistoryDrawer code={code} record={history} items={items} onClose={() => setHistory(undefined)} />
      <RevealModal code={code} record={revealing} onClose={() => setRevealing(undefined)} />
    </>
  );
}
