import { Form, Input, Modal, Select, Table, type TableColumnsType, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import {
  DEADLINE_STATUSES,
  type Grant,
  GRANT_STATUSES,
  type GrantStatus,
  type Masking,
  type ShareRequest,
  SHARE_REQUEST_STATUSES,
  type ShareRequestStatus,
} from '../../api/sharing';
import { ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import './sharing.css';

const STATUS_COLORS: Record<ShareRequestStatus, string> = {
  submitted: 'processing',
  answered: 'cyan',
  confirmed: 'geekblue',
  provided: 'success',
  refused: 'error',
  escalated: 'warning',
  joint_review: 'orange',
  ordered: 'purple',
  withdrawn: 'default',
};

/** 待答复 / 待确认协议 / … as a coloured tag. */
export function RequestStatusTag({ status }: { status: ShareRequestStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="share-status">
      {t(`share.status.${status}`)}
    </Tag>
  );
}

const GRANT_COLORS: Record<GrantStatus, string> = { active: 'success', revoked: 'error', lapsed: 'default' };

/** 有效 / 已撤销 / 已到期; an active grant not serving yet (or any more) says so. */
export function GrantStatusTag({ grant }: { grant: Pick<Grant, 'status' | 'serving'> }) {
  const { t } = useI18n();
  return (
    <>
      <Tag color={GRANT_COLORS[grant.status]}>{t(`grant.status.${grant.status}`)}</Tag>
      {grant.status === 'active' && !grant.serving && <Tag color="warning">{t('grant.notServing')}</Tag>}
    </>
  );
}

/** 原样提供 / 脱敏提供. */
export function MaskingTag({ masking }: { masking: Masking }) {
  const { t } = useI18n();
  return <Tag color={masking === 'partial' ? 'gold' : 'default'}>{t(`share.masking.${masking}`)}</Tag>;
}

/** The granted items with how each is masked. */
export function GrantItemTags({ items }: { items: Grant['items'] }) {
  const { t } = useI18n();
  return (
    <span className="ht-share-items">
      {items.map((i) => (
        <Tag key={i.nameEn} color={i.masking === 'partial' ? 'gold' : undefined} title={i.nameEn}>
          {i.name}
          {i.masking === 'partial' ? ` · ${t('share.masking.partial')}` : ''}
        </Tag>
      ))}
    </span>
  );
}

/**
 * The working-day countdown to a due date: days left, due today, or days overdue in red. Only
 * for states in which somebody owes a step.
 */
export function Countdown({ request }: { request: Pick<ShareRequest, 'status' | 'dueOn' | 'workingDaysLeft' | 'overdue'> }) {
  const { t } = useI18n();
  if (!request.dueOn || !DEADLINE_STATUSES.includes(request.status)) return <span className="ht-muted">—</span>;
  const left = request.workingDaysLeft;
  if (request.overdue || (left !== null && left < 0)) {
    return (
      <Typography.Text type="danger" strong data-testid="share-countdown" data-overdue="true">
        {left !== null && left < 0 ? t('share.countdown.overdueBy', { days: -left }) : t('share.countdown.overdue')}
      </Typography.Text>
    );
  }
  if (left === null) return <span className="ht-muted">—</span>;
  if (left === 0) {
    return (
      <Typography.Text type="warning" strong data-testid="share-countdown">
        {t('share.countdown.today')}
      </Typography.Text>
    );
  }
  return (
    <Typography.Text type={left <= 1 ? 'warning' : undefined} data-testid="share-countdown">
      {t('share.countdown.left', { days: left })}
    </Typography.Text>
  );
}

/** The due date with its countdown under it. */
export function DueCell({ request }: { request: Pick<ShareRequest, 'status' | 'dueOn' | 'workingDaysLeft' | 'overdue'> }) {
  if (!request.dueOn || !DEADLINE_STATUSES.includes(request.status)) return <span className="ht-muted">—</span>;
  return (
    <div className="ht-share-due">
      <Typography.Text type={request.overdue ? 'danger' : undefined}>{formatDate(request.dueOn)}</Typography.Text>
      <Countdown request={request} />
    </div>
  );
}

/** Overdue first, then the earliest due date, then the newest: how a to-do list reads. */
export function byUrgency(a: ShareRequest, b: ShareRequest): number {
  const owed = (r: ShareRequest) => (r.dueOn && DEADLINE_STATUSES.includes(r.status) ? r.dueOn : null);
  if (a.overdue !== b.overdue) return a.overdue ? -1 : 1;
  const da = owed(a);
  const db = owed(b);
  if (da !== db) {
    if (da === null) return 1;
    if (db === null) return -1;
    return da < db ? -1 : 1;
  }
  return a.createdAt < b.createdAt ? 1 : -1;
}

type Column = 'consumer' | 'provider' | 'escalation';

/** A table of share requests: number, entry, the other department(s), items, status, due date. */
export function RequestTable({
  rows,
  loading,
  columns,
  empty,
  pagination,
  testId,
}: {
  rows: ShareRequest[];
  loading: boolean;
  columns: Column[];
  empty: ReactNode;
  pagination: { page: number; pageSize: number; total: number; onChange: (page: number, pageSize: number) => void };
  testId?: string;
}) {
  const { t, pick } = useI18n();
  const cols: TableColumnsType<ShareRequest> = [
    {
      title: t('share.no'),
      dataIndex: 'no',
      width: 150,
      render: (v: string, r) => (
        <Link to={`/sharing/requests/${r.id}`} className="ht-mono">
          {v}
        </Link>
      ),
    },
    {
      title: t('share.entry'),
      key: 'entry',
      render: (_, r) => (
        <div>
          <div>{r.entry.name}</div>
          <Typography.Text type="secondary" className="ht-mono">
            {r.entry.code}
          </Typography.Text>
        </div>
      ),
    },
    ...(columns.includes('consumer')
      ? [{ title: t('share.consumer'), key: 'consumer', width: 180, render: (_: unknown, r: ShareRequest) => pick(r.consumer.name, r.consumer.nameEn) }]
      : []),
    ...(columns.includes('provider')
      ? [{ title: t('share.provider'), key: 'provider', width: 180, render: (_: unknown, r: ShareRequest) => pick(r.provider.name, r.provider.nameEn) }]
      : []),
    {
      title: t('share.items'),
      key: 'items',
      width: 90,
      align: 'right',
      render: (_, r) => t('share.itemCount', { count: r.items.length }),
    },
    ...(columns.includes('escalation')
      ? [
          {
            title: t('share.escalationReason'),
            key: 'escalation',
            width: 150,
            render: (_: unknown, r: ShareRequest) => (r.escalationReason ? t(`share.escalation.${r.escalationReason}`) : '—'),
          },
        ]
      : []),
    { title: t('share.statusLabel'), dataIndex: 'status', width: 120, render: (v: ShareRequestStatus) => <RequestStatusTag status={v} /> },
    { title: t('share.dueOn'), key: 'due', width: 150, render: (_, r) => <DueCell request={r} /> },
    { title: t('share.createdAt'), dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
  ];
  return (
    <div data-testid={testId}>
      <Table<ShareRequest>
        rowKey="id"
        size="middle"
        columns={cols}
        dataSource={rows}
        loading={loading}
        scroll={{ x: 'max-content' }}
        rowClassName={(r) => (r.overdue ? 'ht-share-overdue' : '')}
        locale={{ emptyText: empty }}
        pagination={{
          current: pagination.page,
          pageSize: pagination.pageSize,
          total: pagination.total,
          showTotal: (total) => t('common.totalItems', { total }),
          onChange: pagination.onChange,
        }}
      />
    </div>
  );
}

/** A modal that asks for a reason (withdraw, contest, revoke) and submits it. */
export function ReasonModal({
  open,
  title,
  hint,
  okText,
  danger,
  pending,
  error,
  onSubmit,
  onClose,
  testId,
}: {
  open: boolean;
  title: string;
  hint?: string;
  okText: string;
  danger?: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (reason: string) => void;
  onClose: () => void;
  testId: string;
}) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger, ...({ 'data-testid': `${testId}-confirm` } as Record<string, string>) }}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      forceRender
    >
      {hint && <Typography.Paragraph type="secondary">{hint}</Typography.Paragraph>}
      {Boolean(error) && <ProblemAlert error={error} />}
      <Form form={form} layout="vertical" onFinish={(v) => onSubmit(v.reason.trim())} style={{ marginTop: 12 }}>
        <Form.Item
          name="reason"
          label={t('share.reason')}
          rules={[
            { required: true, whitespace: true, message: t('share.reasonRequired') },
            { min: 2, max: 2000, message: t('share.reasonLength') },
          ]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount data-testid={`${testId}-reason`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The status filter of the request lists ('all' clears it). */
export function StatusFilter({
  value,
  onChange,
  statuses = SHARE_REQUEST_STATUSES,
}: {
  value: ShareRequestStatus | undefined;
  onChange: (v: ShareRequestStatus | undefined) => void;
  statuses?: readonly ShareRequestStatus[];
}) {
  const { t } = useI18n();
  return (
    <Select<ShareRequestStatus | 'all'>
      value={value ?? 'all'}
      style={{ width: 180 }}
      aria-label={t('share.statusLabel')}
      onChange={(v) => onChange(v === 'all' ? undefined : v)}
      options={[{ value: 'all', label: t('share.allStatuses') }, ...statuses.map((s) => ({ value: s, label: t(`share.status.${s}`) }))]}
      data-testid="share-status-filter"
    />
  );
}

/** The status filter of the grant lists ('all' clears it). */
export function GrantStatusFilter({ value, onChange }: { value: GrantStatus | undefined; onChange: (v: GrantStatus | undefined) => void }) {
  const { t } = useI18n();
  return (
    <Select<GrantStatus | 'all'>
      value={value ?? 'all'}
      style={{ width: 160 }}
      aria-label={t('grant.statusLabel')}
      onChange={(v) => onChange(v === 'all' ? undefined : v)}
      options={[{ value: 'all', label: t('share.allStatuses') }, ...GRANT_STATUSES.map((s) => ({ value: s, label: t(`grant.status.${s}`) }))]}
    />
  );
}
