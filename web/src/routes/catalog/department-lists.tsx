import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Popconfirm, Table, type TableColumnsType, Tabs } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { LIST_KINDS, type ListItem, type ListItemInput, type ListKind, useAddListItem, useDeleteListItem, useDepartmentLists } from '../../api/catalog';
import { DepartmentSelect, useDepartmentName } from '../../components/department-select';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { canEditLists } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

const FILTER_KEYS = ['departmentId', 'kind'] as const;

/** 三张清单: a department's responsibility, demand and negative lists. */
export default function DepartmentListsPage() {
  const t = useT();
  const me = useCurrentUser();
  const notify = useNotify();
  const departmentName = useDepartmentName();
  const { values, update } = useUrlFilters(FILTER_KEYS);
  const departmentId = values.departmentId ?? me.departmentId;
  const kind: ListKind = oneOf(LIST_KINDS, values.kind) ?? 'responsibility';
  const lists = useDepartmentLists(departmentId);
  const add = useAddListItem(departmentId);
  const remove = useDeleteListItem(departmentId);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<Omit<ListItemInput, 'kind'>>();
  const editable = canEditLists(me, departmentId);

  const counts = Object.fromEntries(
    LIST_KINDS.map((k) => [k, (lists.data?.items ?? []).filter((i) => i.kind === k).length]),
  ) as Record<ListKind, number>;
  const rows = (lists.data?.items ?? []).filter((i) => i.kind === kind);

  const columns: TableColumnsType<ListItem> = [
    { title: t('lists.itemTitle'), dataIndex: 'title', width: 260 },
    { title: t('lists.description'), dataIndex: 'description', render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v || '—'}</span> },
    {
      title: t('lists.entry'),
      dataIndex: 'entryId',
      width: 120,
      render: (v: string | null) => (v ? <Link to={`/catalog/entries/${v}`}>{t('common.view')}</Link> : '—'),
    },
    { title: t('common.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v) },
    ...(editable
      ? [
          {
            title: t('common.actions'),
            key: 'actions',
            width: 90,
            render: (_: unknown, row: ListItem) => (
              <Popconfirm
                title={t('lists.confirmDelete')}
                okText={t('common.delete')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true }}
                onConfirm={() =>
                  remove.mutateAsync(row.id).then(
                    () => notify.success(t('lists.deleted')),
                    (err: unknown) => notify.error(err),
                  )
                }
              >
                <Button type="link" danger size="small" icon={<DeleteOutlined />}>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  const submit = (values: Omit<ListItemInput, 'kind'>) => {
    add.mutate(
      {
        kind,
        title: values.title.trim(),
        description: (values.description ?? '').trim(),
        ...(values.entryId?.trim() ? { entryId: values.entryId.trim() } : {}),
      },
      {
        onSuccess: () => {
          notify.success(t('lists.added'));
          setOpen(false);
          form.resetFields();
        },
      },
    );
  };

  return (
    <PageContainer
      title={t('nav.lists')}
      subtitle={t('lists.subtitle')}
      extra={
        <DepartmentSelect
          allowClear={false}
          value={departmentId}
          onChange={(v) => update({ departmentId: v === me.departmentId ? null : v })}
          aria-label={t('common.department')}
          style={{ width: 260 }}
        />
      }
    >
      {lists.error && <ProblemAlert error={lists.error} />}
      <Card
        title={departmentName(departmentId, departmentId === me.departmentId ? me.departmentName : undefined)}
        extra={
          editable && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                add.reset();
                setOpen(true);
              }}
            >
              {t('lists.add', { kind: t(`lists.kind.${kind}`) })}
            </Button>
          )
        }
      >
        <Tabs
          activeKey={kind}
          onChange={(k) => update({ kind: k === 'responsibility' ? null : k })}
          items={LIST_KINDS.map((k) => ({
            key: k,
            label: t('common.withCount', { label: t(`lists.kind.${k}`), count: counts[k] }),
          }))}
        />
        <p className="ht-muted" style={{ marginTop: 0 }}>
          {t(`lists.hint.${kind}`)}
        </p>
        <Table<ListItem>
          rowKey="id"
          columns={columns}
          dataSource={rows}
          loading={lists.isFetching}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyState description={t('lists.empty')} /> }}
        />
      </Card>

      <Modal
        open={open}
        title={t('lists.add', { kind: t(`lists.kind.${kind}`) })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={add.isPending}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        {add.error && <ProblemAlert error={add.error} />}
        <Form form={form} layout="vertical" onFinish={submit} style={{ marginTop: 12 }}>
          <Form.Item name="title" label={t('lists.itemTitle')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="description" label={t('lists.description')}>
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item name="entryId" label={t('lists.entryId')} extra={t('lists.entryIdHelp')}>
            <Input className="ht-mono" />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
