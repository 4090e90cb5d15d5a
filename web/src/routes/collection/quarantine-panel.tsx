import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, type ButtonProps, Form, Input, Modal, Popconfirm, Segmented, Space, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { DataItem } from '../../api/catalog';
import { ApiError, fieldPath } from '../../api/client';
import {
  QUARANTINE_STATUSES,
  type QuarantineRow,
  type QuarantineStatus,
  type RowError,
  useDiscardQuarantine,
  useFixQuarantine,
  useQuarantine,
} from '../../api/collection';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n, useT } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';

/** A value as the quarantine stored it, as text. */
function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether a stored value is masked (identifiers are kept as `4413**********0012`). */
const isMasked = (value: unknown) => typeof value === 'string' && value.includes('*');

/** The data item name a server field path points at (`values.name`, `/values/name`, `name`). */
function itemOfField(field: string): string {
  const parts = fieldPath(field).filter((p): p is string => typeof p === 'string' && p !== 'values');
  return parts[parts.length - 1] ?? field;
}

/** Errors of a row grouped by data item. */
function errorsByItem(errors: RowError[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const e of errors) {
    const name = itemOfField(e.field);
    map.set(name, [...(map.get(name) ?? []), e.message]);
  }
  return map;
}

/**
 * 修正: the row's values in a form, fields with errors marked. Masked identifiers start blank:
 * blank keeps the original identifier, a full number replaces it.
 */
function FixModal({ code, row, items, onClose }: { code: string; row: QuarantineRow; items: DataItem[]; onClose: () => void }) {
  const { t, pick } = useI18n();
  const notify = useNotify();
  const fix = useFixQuarantine(code);
  const [form] = Form.useForm<Record<string, string>>();
  const values = row.raw?.values ?? {};
  const errors = useMemo(() => errorsByItem(row.errors), [row.errors]);
  const known = new Set(items.map((i) => i.nameEn));
  const otherErrors = row.errors.filter((e) => !known.has(itemOfField(e.field)));
  const masked = (item: DataItem) => item.isIdentifier || isMasked(values[item.nameEn]);
  // Without a recoverable identifier the full number has to be typed again.
  const mustRetype = (item: DataItem) => item.isIdentifier && row.identifierRecoverable === false;

  const initial = useMemo(() => {
    const out: Record<string, string> = {};
    for (const item of items) out[item.nameEn] = item.isIdentifier || isMasked(values[item.nameEn]) ? '' : show(values[item.nameEn]);
    return out;
  }, [items, values]);
  // The stored problems mark their fields until the provider edits them; a refused fix marks them anew.
  const [fieldErrors, setFieldErrors] = useState<Map<string, string[]>>(() => errors);

  const submit = (input: Record<string, string | undefined>) => {
    const out: Record<string, string> = {};
    for (const item of items) {
      const v = (input[item.nameEn] ?? '').trim();
      if (v !== '') out[item.nameEn] = v;
    }
    fix.mutate(
      { id: row.id, values: out },
      {
        onSuccess: () => {
          notify.success(t('collection.quarantine.resubmittedDone'));
          onClose();
        },
        onError: (err) => {
          if (err instanceof ApiError && err.errors.length > 0) setFieldErrors(errorsByItem(err.errors));
        },
      },
    );
  };

  return (
    <Modal
      open
      title={t('collection.quarantine.fixTitle', { row: row.row })}
      okText={t('collection.quarantine.resubmit')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={fix.isPending}
      okButtonProps={{ 'data-testid': 'quarantine-resubmit' } as ButtonProps}
      width={640}
      destroyOnHidden
    >
      {otherErrors.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={otherErrors.map((e) => `${e.field === '(row)' ? t('collection.quarantine.rowError') : e.field}: ${e.message}`).join('；')}
        />
      )}
      {fix.error && !(fix.error instanceof ApiError && fix.error.errors.some((e) => known.has(itemOfField(e.field)))) && (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={fix.error} />
        </div>
      )}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={initial}
        onValuesChange={(changed: Record<string, unknown>) =>
          setFieldErrors((prev) => {
            const next = new Map(prev);
            for (const name of Object.keys(changed)) next.delete(name);
            return next;
          })
        }
        data-testid="quarantine-fix-form"
      >
        {items.map((item) => (
          <Form.Item
            key={item.nameEn}
            name={item.nameEn}
            label={`${pick(item.name, item.nameEn)} (${item.nameEn})`}
            // A masked identifier may stay blank (kept as received), so it is not marked required then.
            required={item.required && !(masked(item) && !mustRetype(item))}
            validateStatus={fieldErrors.has(item.nameEn) ? 'error' : undefined}
            help={fieldErrors.get(item.nameEn)?.join('；')}
            rules={mustRetype(item) ? [{ required: true, whitespace: true, message: t('collection.quarantine.retypeRequired') }] : undefined}
            extra={
              mustRetype(item)
                ? t('collection.quarantine.retypeHint', { masked: show(values[item.nameEn]) || '—' })
                : masked(item)
                ? t('collection.quarantine.maskedHint', { masked: show(values[item.nameEn]) || '—' })
                : item.codeList
                  ? item.codeList
                  : undefined
            }
          >
            <Input
              placeholder={masked(item) ? show(values[item.nameEn]) : undefined}
              maxLength={item.length ?? undefined}
              data-testid={`fix-${item.nameEn}`}
              autoComplete="off"
            />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

/** 隔离区: rows a partial batch could not take, with their problems; fix and resubmit, or discard. */
export function QuarantinePanel({ code, items }: { code: string; items: DataItem[] }) {
  const t = useT();
  const { pick } = useI18n();
  const notify = useNotify();
  const [status, setStatus] = useState<QuarantineStatus>('open');
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const quarantine = useQuarantine(code, { status, page, pageSize });
  const discard = useDiscardQuarantine(code);
  const [fixing, setFixing] = useState<QuarantineRow | null>(null);
  const rows = quarantine.data?.items ?? [];
  const total = (page - 1) * pageSize + rows.length + (rows.length === pageSize ? 1 : 0);
  const titleOf = useMemo(() => {
    const map = new Map(items.map((i) => [i.nameEn, pick(i.name, i.nameEn)]));
    return (name: string) => map.get(name) ?? name;
  }, [items, pick]);

  const columns: TableColumnsType<QuarantineRow> = [
    // The row's place in its batch (0-based on the wire), counted from 1 as people count.
    { title: t('collection.quarantine.row'), dataIndex: 'row', width: 80, align: 'right', render: (v: number) => v + 1 },
    {
      title: t('collection.quarantine.values'),
      key: 'values',
      render: (_, r) => {
        const bad = errorsByItem(r.errors);
        const stored = r.raw?.values ?? {};
        // In the order of the data items, then anything else the row carried.
        const names = [...items.map((i) => i.nameEn).filter((n) => n in stored), ...Object.keys(stored).filter((n) => !items.some((i) => i.nameEn === n))];
        const entries = names.map((n) => [n, stored[n]] as const);
        if (r.raw?.unreadable || entries.length === 0) return <span className="ht-muted">{t('collection.quarantine.unreadable')}</span>;
        return (
          <dl className="ht-kv">
            {entries.map(([name, value]) => (
              <div key={name} className={bad.has(name) ? 'ht-kv-bad' : undefined}>
                <dt>{titleOf(name)}</dt>
                <dd className="ht-mono">{show(value) || '—'}</dd>
              </div>
            ))}
          </dl>
        );
      },
    },
    {
      title: t('collection.quarantine.errors'),
      key: 'errors',
      render: (_, r) => (
        <ul className="ht-problem-list" data-testid="quarantine-errors">
          {r.errors.map((e) => (
            <li key={`${e.field}-${e.rule}`}>
              <Typography.Text type="danger" strong>
                {e.field === '(row)' ? t('collection.quarantine.rowError') : titleOf(itemOfField(e.field))}
              </Typography.Text>{' '}
              {e.message}
            </li>
          ))}
        </ul>
      ),
    },
    { title: t('collection.batch.at'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 180,
      render: (_, r) =>
        r.status === 'open' ? (
          <Space size={0} wrap>
            <Button
              type="link"
              size="small"
              icon={<EditOutlined />}
              disabled={Boolean(r.raw?.unreadable) || items.length === 0}
              onClick={() => setFixing(r)}
              data-testid="quarantine-fix"
            >
              {t('collection.quarantine.fix')}
            </Button>
            <Popconfirm
              title={t('collection.quarantine.discardConfirm')}
              okText={t('collection.quarantine.discard')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.cancel')}
              onConfirm={() =>
                discard.mutateAsync(r.id).then(
                  () => notify.success(t('collection.quarantine.discarded')),
                  (err: unknown) => notify.error(err),
                )
              }
            >
              <Button type="link" size="small" danger icon={<DeleteOutlined />}>
                {t('collection.quarantine.discard')}
              </Button>
            </Popconfirm>
          </Space>
        ) : (
          <span className="ht-muted">{t(`collection.quarantine.status.${r.status}`)}</span>
        ),
    },
  ];

  return (
    <>
      <Segmented
        value={status}
        onChange={(v) => {
          setStatus(v as QuarantineStatus);
          setPage(1);
        }}
        options={QUARANTINE_STATUSES.map((s) => ({ value: s, label: t(`collection.quarantine.status.${s}`) }))}
        style={{ marginBottom: 16 }}
        aria-label={t('collection.upload.status')}
      />
      {quarantine.error && <ProblemAlert error={quarantine.error} />}
      <Table<QuarantineRow>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={rows}
        loading={quarantine.isFetching}
        scroll={{ x: 900 }}
        data-testid="quarantine-table"
        locale={{
          emptyText: <EmptyState description={t(status === 'open' ? 'collection.quarantine.empty' : 'collection.quarantine.emptyClosed')} />,
        }}
        pagination={{ current: page, pageSize, total, onChange: setPage }}
      />
      {fixing && <FixModal key={fixing.id} code={code} row={fixing} items={items} onClose={() => setFixing(null)} />}
    </>
  );
}
