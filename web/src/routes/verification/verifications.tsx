import { DiffOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Modal, Segmented, Select, Table, type TableColumnsType, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useBasicItems } from '../../api/catalog';
import {
  ID_TYPES,
  type ReportInput,
  useReportDifference,
  useVerifications,
  VERIFICATION_STATUSES,
  type Verification,
  type VerificationStatus,
} from '../../api/verifications';
import { PageContainer } from '../../components/page-container';
import { ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate, formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { useUrlFilters } from '../../lib/url-state';
import { VerificationStatusTag } from './verification-parts';

const FILTER_KEYS = ['role', 'status'] as const;

/** 多源校核: reports my department filed and reports it must answer, with due dates. */
export default function VerificationsPage() {
  const { t, pick } = useI18n();
  const { values, update, page, pageSize } = useUrlFilters(FILTER_KEYS);
  const role = values.role === 'reported' ? 'reported' : 'assigned';
  const status = VERIFICATION_STATUSES.find((s) => s === values.status);
  const list = useVerifications({ role, status, page, pageSize });
  const [reportOpen, setReportOpen] = useState(false);

  const columns: TableColumnsType<Verification> = [
    {
      title: t('verify.item'),
      key: 'item',
      render: (_, r) => (
        <Link to={`/verifications/${r.id}`}>
          {pick(r.basicItem.category, r.basicItem.categoryEn)} / {pick(r.basicItem.name, r.basicItem.nameEn)}
        </Link>
      ),
    },
    { title: t('verify.subject'), dataIndex: 'subjectMasked', render: (v: string) => <span className="ht-mono">{v}</span> },
    {
      title: role === 'assigned' ? t('verify.reporter') : t('verify.responsible'),
      key: 'department',
      render: (_, r) => {
        const d = role === 'assigned' ? r.reporterDepartment : r.responsibleDepartment;
        return pick(d.name, d.nameEn);
      },
    },
    { title: t('verify.reportedValue'), dataIndex: 'reportedValue', ellipsis: true },
    { title: t('verify.statusLabel'), key: 'status', render: (_, r) => <VerificationStatusTag report={r} /> },
    {
      title: t('verify.dueOn'),
      dataIndex: 'dueOn',
      render: (v: string, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{formatDate(v)}</Typography.Text>,
    },
    { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, r) => <Link to={`/verifications/${r.id}`}>{r.canAnswer ? t('verify.answer') : t('common.view')}</Link>,
    },
  ];

  return (
    <PageContainer
      title={t('verify.title')}
      subtitle={t('verify.subtitle')}
      extra={
        <Button type="primary" icon={<DiffOutlined />} onClick={() => setReportOpen(true)} data-testid="verify-report">
          {t('verify.report')}
        </Button>
      }
    >
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <Segmented
            value={role}
            onChange={(v) => update({ role: v === 'assigned' ? null : String(v) })}
            options={[
              { value: 'assigned', label: t('verify.assigned') },
              { value: 'reported', label: t('verify.reported') },
            ]}
          />
          <Select<VerificationStatus | 'all'>
            value={status ?? 'all'}
            style={{ width: 160 }}
            aria-label={t('verify.statusLabel')}
            onChange={(v) => update({ status: v === 'all' ? null : v })}
            options={[
              { value: 'all', label: t('common.all') },
              ...VERIFICATION_STATUSES.map((s) => ({ value: s, label: t(`verify.status.${s}`) })),
            ]}
          />
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <Table<Verification>
            rowKey="id"
            size="middle"
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isPending}
            locale={{ emptyText: t('verify.none') }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showTotal: (total) => t('common.totalItems', { total }),
              onChange: (p, s) => update({ page: p, pageSize: s }),
            }}
          />
        )}
      </Card>
      <ReportModal open={reportOpen} onClose={() => setReportOpen(false)} />
    </PageContainer>
  );
}

/** The "report a difference" form: which basic item, whose identifier, the value my department holds. */
function ReportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const navigate = useNavigate();
  const [form] = Form.useForm<ReportInput>();
  const report = useReportDifference();
  const basicItems = useBasicItems({});
  // A department corrects its own items at the source; it reports only other departments' items.
  const options = useMemo(
    () =>
      (basicItems.data?.items ?? [])
        .filter((b) => b.departmentId !== me.departmentId)
        .map((b) => ({ value: b.id, label: `${b.category} / ${b.name} · ${b.departmentName}` })),
    [basicItems.data, me.departmentId],
  );

  const submit = (values: ReportInput) =>
    report.mutate(values, {
      onSuccess: (created) => {
        notify.success(t('verify.reported.done', { date: created.dueOn }));
        form.resetFields();
        onClose();
        void navigate(`/verifications/${created.id}`);
      },
      onError: notify.error,
    });

  return (
    <Modal
      open={open}
      title={t('verify.report')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('verify.submitReport')}
      confirmLoading={report.isPending}
      destroyOnHidden
    >
      <Form<ReportInput> form={form} layout="vertical" onFinish={submit} initialValues={{ idType: 'citizen_id' }}>
        <Form.Item name="basicItemId" label={t('verify.item')} rules={[{ required: true, message: t('verify.itemRequired') }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} loading={basicItems.isPending} data-testid="verify-item" />
        </Form.Item>
        <Form.Item name="idType" label={t('verify.idType')} rules={[{ required: true }]}>
          <Select options={ID_TYPES.map((k) => ({ value: k, label: t(`verify.idType.${k}`) }))} />
        </Form.Item>
        <Form.Item name="id" label={t('verify.id')} extra={t('verify.idHelp')} rules={[{ required: true, whitespace: true, message: t('verify.idRequired') }]}>
          <Input autoComplete="off" data-testid="verify-id" />
        </Form.Item>
        <Form.Item
          name="reportedValue"
          label={t('verify.reportedValue')}
          extra={t('verify.reportedValueHelp')}
          rules={[{ required: true, whitespace: true, message: t('verify.valueRequired') }]}
        >
          <Input maxLength={2000} data-testid="verify-value" />
        </Form.Item>
        <Form.Item name="note" label={t('verify.note')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
