import { StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { type Grant, useGrant, useRevokeGrant } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate, formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { can } from '../../lib/permissions';
import { GrantSubscriptionCard } from './grant-subscription';
import { GrantStatusTag, MaskingTag, ReasonModal } from './sharing-parts';

/**
 * One grant: its terms, items and masking, status; the provider or the authority may revoke it;
 * the consumer department's sharing officer or administrator manages its webhook subscription.
 */
export default function GrantDetailPage() {
  const { id = '' } = useParams();
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const grant = useGrant(id);
  const revoke = useRevokeGrant();
  const [revoking, setRevoking] = useState(false);
  if (grant.isPending) return <Loading />;
  if (grant.error) return <ErrorState error={grant.error} onRetry={() => void grant.refetch()} />;
  const g = grant.data;
  // The server answers the subscription routes for the consumer department's sharing people only.
  const managesSubscription = g.consumer.id === me.departmentId && can(me, 'sharing');
  const back = g.consumer.id === me.departmentId ? '/sharing/grants' : g.provider.id === me.departmentId ? '/sharing/holders' : '/sharing/negotiations';
  const columns: TableColumnsType<Grant['items'][number]> = [
    { title: t('share.itemName'), dataIndex: 'name' },
    { title: t('share.itemNameEn'), dataIndex: 'nameEn', render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('share.masking'), dataIndex: 'masking', render: (v: Grant['items'][number]['masking']) => <MaskingTag masking={v} /> },
  ];
  return (
    <PageContainer
      title={t('grant.detailTitle', { entry: g.entry.name })}
      titleExtra={<GrantStatusTag grant={g} />}
      subtitle={`${pick(g.provider.name, g.provider.nameEn)} → ${pick(g.consumer.name, g.consumer.nameEn)}`}
      back={back}
      extra={
        g.canRevoke &&
        g.status === 'active' && (
          <Button danger icon={<StopOutlined />} onClick={() => setRevoking(true)} data-testid="grant-revoke">
            {t('grant.revoke')}
          </Button>
        )
      }
    >
      {g.status === 'revoked' && (
        <Alert type="error" showIcon title={t('grant.revokedAlert', { time: formatDateTime(g.revokedAt) })} description={g.revokeReason} className="ht-share-section" />
      )}
      {g.status === 'lapsed' && <Alert type="warning" showIcon title={t('grant.lapsedAlert', { date: g.validUntil })} className="ht-share-section" />}
      <Card className="ht-share-section">
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('share.entry')}>
            {g.entry.name} <span className="ht-mono ht-muted">{g.entry.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('grant.request')}>
            <Link to={`/sharing/requests/${g.requestId}`} className="ht-mono">
              {g.requestNo}
            </Link>
          </Descriptions.Item>
          <Descriptions.Item label={t('share.provider')}>{pick(g.provider.name, g.provider.nameEn)}</Descriptions.Item>
          <Descriptions.Item label={t('share.consumer')}>{pick(g.consumer.name, g.consumer.nameEn)}</Descriptions.Item>
          <Descriptions.Item label={t('share.purpose')} span={2}>
            <span className="ht-share-note">{g.purpose}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('share.legalBasis')} span={2}>
            {g.legalBasis || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('grant.validFrom')}>{formatDateTime(g.validFrom)}</Descriptions.Item>
          <Descriptions.Item label={t('grant.validUntil')}>{formatDate(g.validUntil)}</Descriptions.Item>
          <Descriptions.Item label={t('share.dailyQuota')}>{g.dailyQuota.toLocaleString()}</Descriptions.Item>
          <Descriptions.Item label={t('grant.agreement')}>{g.agreementId ? t('grant.agreementSigned') : t('grant.noAgreement')}</Descriptions.Item>
          <Descriptions.Item label={t('share.createdAt')}>{formatDateTime(g.createdAt)}</Descriptions.Item>
          {g.lapsedAt && <Descriptions.Item label={t('grant.lapsedAt')}>{formatDateTime(g.lapsedAt)}</Descriptions.Item>}
        </Descriptions>
      </Card>
      <Card title={t('common.withCount', { label: t('grant.items'), count: g.items.length })} className="ht-share-section">
        <div data-testid="grant-items">
          <Table rowKey="nameEn" size="small" columns={columns} dataSource={g.items} pagination={false} />
        </div>
      </Card>
      {managesSubscription && <GrantSubscriptionCard grant={g} />}
      <ReasonModal
        open={revoking}
        title={t('grant.revokeTitle', { consumer: pick(g.consumer.name, g.consumer.nameEn) })}
        hint={t('grant.revokeHint')}
        okText={t('grant.revoke')}
        danger
        pending={revoke.isPending}
        error={revoke.error}
        onClose={() => {
          setRevoking(false);
          revoke.reset();
        }}
        onSubmit={(reason) =>
          revoke.mutate(
            { id: g.id, reason },
            {
              onSuccess: () => {
                notify.success(t('grant.revoked'));
                setRevoking(false);
              },
            },
          )
        }
        testId="grant-revoke"
      />
    </PageContainer>
  );
}
