import { ApiOutlined, KeyOutlined, PauseCircleOutlined, PlayCircleOutlined, RedoOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Input, Popconfirm, Select, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  DELIVERY_STATUSES,
  type Delivery,
  type DeliveryStatus,
  type Grant,
  type Subscription,
  type SubscriptionWithSecret,
  useDeliveries,
  useReplayDelivery,
  useRotateSubscriptionSecret,
  useSubscribe,
  useSubscription,
  useUpdateSubscription,
} from '../../api/sharing';
import { CopyField, OneTimeSecretModal } from '../../components/one-time-secret';
import { EmptyState, Loading, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { formatDateTime } from '../../lib/format';
import { showFieldErrors } from '../../lib/form-errors';
import { useNotify } from '../../lib/notify';
import { useUrlFilters } from '../../lib/url-state';

const DELIVERY_COLORS: Record<DeliveryStatus, string> = { pending: 'processing', delivered: 'success', dead: 'error', dropped: 'default' };
const FILTER_KEYS = ['delivery'] as const;

/** The signing secret, shown once after subscribing or rotating. */
function SecretModal({ answer, onClose }: { answer: SubscriptionWithSecret | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <OneTimeSecretModal
      open={answer !== null}
      width={640}
      icon={<KeyOutlined />}
      title={t('subscription.secretTitle')}
      doneTestId="subscription-secret-done"
      onDone={onClose}
    >
      {answer && (
        <>
          <Alert type="warning" showIcon title={t('subscription.secretOnce')} description={t('subscription.secretOnceHint')} style={{ marginBottom: 16 }} />
          <CopyField label={t('subscription.secret')} value={answer.secret} testId="subscription-secret" />
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('subscription.secretVersion', { version: answer.secretVersion })}
          </Typography.Paragraph>
        </>
      )}
    </OneTimeSecretModal>
  );
}

/** How a receiving system checks a delivery. */
function VerifyNote() {
  const { t } = useI18n();
  return (
    <Alert
      type="info"
      showIcon
      className="ht-share-section"
      title={t('subscription.verifyTitle')}
      description={
        <>
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            <code className="ht-mono">Huitong-Signature: t=&lt;unix seconds&gt;,v1=HMAC-SHA256(secret, &quot;t.body&quot;)</code>
          </Typography.Paragraph>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            <li>{t('subscription.verifyStep1')}</li>
            <li>{t('subscription.verifyStep2')}</li>
            <li>{t('subscription.verifyStep3')}</li>
          </ul>
        </>
      }
      data-testid="subscription-verify-note"
    />
  );
}

/** The form when the grant has no subscription yet. */
function SubscribeForm({ grant, onSecret }: { grant: Grant; onSecret: (answer: SubscriptionWithSecret) => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ url: string }>();
  const subscribe = useSubscribe(grant.id);
  const onFinish = ({ url }: { url: string }) =>
    subscribe.mutate(
      { url: url.trim() },
      {
        onSuccess: (answer) => {
          form.resetFields();
          onSecret(answer);
          subscribe.reset();
        },
        onError: (err) => showFieldErrors(form, err, (p) => (p.at(-1) === 'url' ? ['url'] : null)),
      },
    );
  return (
    <>
      <Typography.Paragraph type="secondary">{t('subscription.intro')}</Typography.Paragraph>
      {!grant.serving && <Alert type="warning" showIcon title={t('subscription.notServing')} style={{ marginBottom: 12 }} />}
      {subscribe.error && <ProblemAlert error={subscribe.error} />}
      <Form form={form} layout="inline" onFinish={onFinish} style={{ rowGap: 8 }}>
        <Form.Item
          name="url"
          label={t('subscription.url')}
          rules={[
            { required: true, whitespace: true, message: t('subscription.urlRequired') },
            { pattern: /^\s*https?:\/\/[^\s/@]+(\/\S*)?\s*$/i, message: t('subscription.urlInvalid') },
            { max: 2000 },
          ]}
          style={{ flex: 1, minWidth: 320 }}
        >
          <Input placeholder="https://example.gov.cn/huitong/webhook" autoComplete="off" className="ht-mono" data-testid="subscription-url" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<ApiOutlined />} loading={subscribe.isPending} disabled={!grant.serving} data-testid="subscription-create">
            {t('subscription.subscribe')}
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}

/** The deliveries of a subscription, filterable by status; a dead one can be sent again. */
function DeliveriesTable({ grantId }: { grantId: string }) {
  const { t } = useI18n();
  const notify = useNotify();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS, 10);
  const status = oneOf(DELIVERY_STATUSES, values.delivery);
  const deliveries = useDeliveries(grantId, { status, page, pageSize }, true);
  const replay = useReplayDelivery(grantId);
  const items = deliveries.data?.items ?? [];
  // The list has no total: offer the next page while this one is full.
  const total = (page - 1) * pageSize + items.length + (items.length === pageSize ? 1 : 0);

  const columns: TableColumnsType<Delivery> = [
    { title: t('subscription.createdAt'), dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v, true) },
    {
      title: t('subscription.deliveryStatus'),
      dataIndex: 'status',
      width: 110,
      render: (v: DeliveryStatus) => (
        <Tag color={DELIVERY_COLORS[v]} data-testid="delivery-status">
          {t(`subscription.delivery.${v}`)}
        </Tag>
      ),
    },
    { title: t('subscription.changes'), dataIndex: 'changes', width: 80, align: 'right' },
    { title: t('subscription.attempts'), dataIndex: 'attempts', width: 80, align: 'right' },
    {
      title: t('subscription.lastAnswer'),
      key: 'last',
      width: 200,
      render: (_, d) =>
        d.lastStatus === null && !d.lastError ? (
          <span className="ht-muted">—</span>
        ) : (
          <Space size={4} wrap>
            {d.lastStatus !== null && <span className="ht-mono">HTTP {d.lastStatus}</span>}
            {d.lastError && <Typography.Text type={d.status === 'delivered' ? undefined : 'danger'}>{d.lastError}</Typography.Text>}
          </Space>
        ),
    },
    {
      title: t('subscription.deliveredOrNext'),
      key: 'when',
      width: 170,
      render: (_, d) =>
        d.deliveredAt ? (
          formatDateTime(d.deliveredAt, true)
        ) : d.nextAttemptAt ? (
          <span className="ht-muted">{t('subscription.nextAttempt', { time: formatDateTime(d.nextAttemptAt, true) })}</span>
        ) : (
          <span className="ht-muted">—</span>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_, d) =>
        d.status === 'dead' ? (
          <Popconfirm
            title={t('subscription.replayConfirm')}
            okText={t('subscription.replay')}
            cancelText={t('common.cancel')}
            onConfirm={() => replay.mutate(d.id, { onSuccess: () => notify.success(t('subscription.replayed')) })}
          >
            <Button type="link" size="small" icon={<RedoOutlined />} loading={replay.isPending && replay.variables === d.id} data-testid="delivery-replay">
              {t('subscription.replay')}
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  return (
    <>
      <div className="ht-toolbar" style={{ marginTop: 16, marginBottom: 12, justifyContent: 'space-between' }}>
        <Typography.Text strong>{t('subscription.deliveries')}</Typography.Text>
        <Space>
          <Select<DeliveryStatus>
            allowClear
            placeholder={t('subscription.allDeliveries')}
            aria-label={t('subscription.deliveryStatus')}
            value={status}
            style={{ width: 170 }}
            options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`subscription.delivery.${s}`) }))}
            onChange={(v) => update({ delivery: v ?? null })}
            data-testid="delivery-filter"
          />
          <Button icon={<ReloadOutlined />} onClick={() => void deliveries.refetch()} loading={deliveries.isFetching} data-testid="delivery-refresh">
            {t('subscription.refresh')}
          </Button>
        </Space>
      </div>
      {deliveries.error && <ProblemAlert error={deliveries.error} />}
      {replay.error && <ProblemAlert error={replay.error} />}
      <div data-testid="subscription-deliveries">
        <Table<Delivery>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={items}
          scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize, total, showSizeChanger: false, onChange: (p) => update({ page: p }) }}
          locale={{ emptyText: <EmptyState description={status ? t('common.noMatches') : t('subscription.noDeliveries')} /> }}
        />
      </div>
    </>
  );
}

/** The subscription as it is: address, state, secret version, and the steps on it. */
function SubscriptionView({ grantId, subscription, onSecret }: { grantId: string; subscription: Subscription; onSecret: (answer: SubscriptionWithSecret) => void }) {
  const { t } = useI18n();
  const notify = useNotify();
  const update = useUpdateSubscription(grantId);
  const rotate = useRotateSubscriptionSecret(grantId);
  const active = subscription.status === 'active';
  return (
    <>
      {(update.error || rotate.error) && <ProblemAlert error={update.error ?? rotate.error} />}
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small" className="ht-share-section">
        <Descriptions.Item label={t('subscription.url')} span={2}>
          <Typography.Text className="ht-mono" copyable style={{ overflowWrap: 'anywhere' }} data-testid="subscription-url-value">
            {subscription.url}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('subscription.status')}>
          <Tag color={active ? 'success' : 'default'} data-testid="subscription-status">
            {t(`subscription.status.${subscription.status}`)}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('subscription.secretVersionLabel')}>v{subscription.secretVersion}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.createdAt')}>{formatDateTime(subscription.createdAt)}</Descriptions.Item>
        <Descriptions.Item label={t('subscription.updatedAt')}>{formatDateTime(subscription.updatedAt)}</Descriptions.Item>
      </Descriptions>
      <Space wrap className="ht-share-section">
        <Button
          icon={active ? <PauseCircleOutlined /> : <PlayCircleOutlined />}
          loading={update.isPending}
          onClick={() =>
            update.mutate({ status: active ? 'paused' : 'active' }, { onSuccess: () => notify.success(t(active ? 'subscription.paused' : 'subscription.resumed')) })
          }
          data-testid="subscription-toggle"
        >
          {t(active ? 'subscription.pause' : 'subscription.resume')}
        </Button>
        <Popconfirm
          title={t('subscription.rotateConfirm')}
          okText={t('subscription.rotate')}
          cancelText={t('common.cancel')}
          onConfirm={() =>
            rotate.mutate(undefined, {
              onSuccess: (answer) => {
                onSecret(answer);
                // Drop the answer from the mutation: the modal holds it until it is closed.
                rotate.reset();
              },
            })
          }
        >
          <Button icon={<KeyOutlined />} loading={rotate.isPending} data-testid="subscription-rotate">
            {t('subscription.rotate')}
          </Button>
        </Popconfirm>
      </Space>
      <VerifyNote />
      <DeliveriesTable grantId={grantId} />
    </>
  );
}

/**
 * 数据订阅: the grant's webhook subscription, for the consumer department's sharing officer or
 * administrator. Subscribing and rotating show the signing secret once, in a modal that is
 * destroyed when closed, and the answer is dropped from memory with it.
 */
export function GrantSubscriptionCard({ grant }: { grant: Grant }) {
  const { t } = useI18n();
  const subscription = useSubscription(grant.id, true);
  const [secret, setSecret] = useState<SubscriptionWithSecret | null>(null);
  return (
    <Card
      title={
        <Space>
          <ApiOutlined />
          {t('subscription.title')}
        </Space>
      }
      className="ht-share-section"
      data-testid="grant-subscription"
    >
      {subscription.isPending ? (
        <Loading />
      ) : subscription.error ? (
        <ProblemAlert error={subscription.error} />
      ) : subscription.data ? (
        <SubscriptionView grantId={grant.id} subscription={subscription.data} onSecret={setSecret} />
      ) : (
        <SubscribeForm grant={grant} onSecret={setSecret} />
      )}
      <SecretModal answer={secret} onClose={() => setSecret(null)} />
    </Card>
  );
}
