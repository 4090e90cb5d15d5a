import { CameraOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, InputNumber, Modal, Radio, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { type SnapshotSummary, useCreateSnapshot, useSnapshots } from '../../api/catalog';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ProblemAlert } from '../../components/states';
import { type TFunction, useT } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime, todayInShanghai } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { can } from '../../lib/permissions';

/** `2025-H1` → 2025年上半年; other period strings are shown as they are. */
export function periodLabel(t: TFunction, period: string): string {
  const match = /^(\d{4})-H([12])$/.exec(period);
  if (!match) return period;
  return t(match[2] === '1' ? 'snapshot.periodH1' : 'snapshot.periodH2', { year: match[1] ?? '' });
}

type CreateValues = { year: number; half: 'H1' | 'H2'; title: string };

/** 公示快照: the half-yearly publications of the city catalog. */
export default function SnapshotsPage() {
  const t = useT();
  const me = useCurrentUser();
  const notify = useNotify();
  const snapshots = useSnapshots();
  const create = useCreateSnapshot();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<CreateValues>();

  const today = todayInShanghai();
  const year = Number(today.slice(0, 4));
  const half: 'H1' | 'H2' = Number(today.slice(5, 7)) <= 6 ? 'H1' : 'H2';

  const columns: TableColumnsType<SnapshotSummary> = [
    {
      title: t('snapshot.title'),
      dataIndex: 'title',
      render: (v: string, row) => <Link to={`/catalog/snapshots/${row.id}`}>{v}</Link>,
    },
    { title: t('snapshot.period'), dataIndex: 'period', render: (v: string) => periodLabel(t, v) },
    { title: t('snapshot.entryCount'), dataIndex: 'entryCount', align: 'right' },
    { title: t('snapshot.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
  ];

  const submit = (values: CreateValues) => {
    create.mutate(
      { title: values.title.trim(), period: `${values.year}-${values.half}` },
      {
        onSuccess: () => {
          notify.success(t('snapshot.created'));
          setOpen(false);
          form.resetFields();
        },
      },
    );
  };

  return (
    <PageContainer
      title={t('nav.snapshots')}
      subtitle={t('snapshot.subtitle')}
      extra={
        can(me, 'createSnapshot') && (
          <Button type="primary" icon={<CameraOutlined />} onClick={() => setOpen(true)} data-testid="snapshot-create">
            {t('snapshot.create')}
          </Button>
        )
      }
    >
      {snapshots.error && <ProblemAlert error={snapshots.error} />}
      <Card>
        <Table<SnapshotSummary>
          rowKey="id"
          columns={columns}
          dataSource={[...(snapshots.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt))}
          loading={snapshots.isFetching}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          locale={{ emptyText: <EmptyState description={t('snapshot.empty')} /> }}
        />
      </Card>

      <Modal
        open={open}
        title={t('snapshot.create')}
        okText={t('snapshot.publish')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => form.submit()}
        onCancel={() => {
          setOpen(false);
          create.reset();
        }}
        destroyOnHidden
      >
        <Alert type="info" showIcon title={t('snapshot.createHint')} style={{ marginBottom: 16 }} />
        {create.error && <ProblemAlert error={create.error} />}
        <Form<CreateValues>
          form={form}
          layout="vertical"
          onFinish={submit}
          initialValues={{ year, half, title: t('snapshot.defaultTitle', { period: periodLabel(t, `${year}-${half}`) }) }}
          onValuesChange={(changed, all) => {
            if ('year' in changed || 'half' in changed) {
              form.setFieldValue('title', t('snapshot.defaultTitle', { period: periodLabel(t, `${all.year}-${all.half}`) }));
            }
          }}
        >
          <Form.Item label={t('snapshot.period')} required style={{ marginBottom: 0 }}>
            <div className="ht-toolbar">
              <Form.Item name="year" rules={[{ required: true }]}>
                <InputNumber min={2000} max={2100} precision={0} aria-label={t('snapshot.year')} suffix={t('snapshot.yearSuffix')} />
              </Form.Item>
              <Form.Item name="half" rules={[{ required: true }]}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'H1', label: t('snapshot.h1') },
                    { value: 'H2', label: t('snapshot.h2') },
                  ]}
                />
              </Form.Item>
            </div>
          </Form.Item>
          <Form.Item name="title" label={t('snapshot.title')} rules={[{ required: true, whitespace: true }, { max: 200 }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
