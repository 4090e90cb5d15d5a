import { StopOutlined } from '@ant-design/icons';
import { Button, Card, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { GRANT_STATUSES, type Grant, useGrants, useRevokeGrant } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useI18n } from '../../i18n';
import { oneOf } from '../../lib/catalog-labels';
import { formatDate } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { useUrlFilters } from '../../lib/url-state';
import { GrantItemTags, GrantStatusFilter, GrantStatusTag, ReasonModal } from './sharing-parts';

const FILTER_KEYS = ['status'] as const;

/**
 * The grants of my department: as consumer (我的授权: what we may query, until when, how often)
 * or as provider (数据使用方: who holds our data, with revocation).
 */
export function GrantList({ side }: { side: 'consumer' | 'provider' }) {
  const { t, pick } = useI18n();
  const notify = useNotify();
  const { values, page, pageSize, update } = useUrlFilters(FILTER_KEYS);
  const status = oneOf(GRANT_STATUSES, values.status);
  const list = useGrants({ role: side, status, page, pageSize });
  const revoke = useRevokeGrant();
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const consumer = side === 'consumer';

  const columns: TableColumnsType<Grant> = [
    {
      title: t('share.entry'),
      key: 'entry',
      render: (_, g) => (
        <div>
          <Link to={`/sharing/grants/${g.id}`}>{g.entry.name}</Link>
          <div>
            <Typography.Text type="secondary" className="ht-mono">
              {g.entry.code}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    consumer
      ? { title: t('share.provider'), key: 'provider', width: 170, render: (_, g) => pick(g.provider.name, g.provider.nameEn) }
      : { title: t('share.consumer'), key: 'consumer', width: 170, render: (_, g) => pick(g.consumer.name, g.consumer.nameEn) },
    { title: t('grant.items'), key: 'items', render: (_, g) => <GrantItemTags items={g.items} /> },
    ...(consumer ? [] : [{ title: t('share.purpose'), dataIndex: 'purpose', ellipsis: true, width: 200 }]),
    { title: t('grant.validUntil'), dataIndex: 'validUntil', width: 110, render: (v: string) => formatDate(v) },
    {
      title: t('grant.callsToday'),
      key: 'quota',
      width: 140,
      align: 'right',
      render: (_, g) => (
        <span className="ht-mono">
          {(g.callsToday ?? 0).toLocaleString()} / {g.dailyQuota.toLocaleString()}
        </span>
      ),
    },
    { title: t('grant.statusLabel'), key: 'status', width: 130, render: (_, g) => <GrantStatusTag grant={g} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 110,
      render: (_, g) =>
        g.canRevoke && g.status === 'active' ? (
          <Button danger type="link" size="small" icon={<StopOutlined />} onClick={() => setRevoking(g)} data-testid={`grant-revoke-${g.id}`}>
            {t('grant.revoke')}
          </Button>
        ) : (
          <Link to={`/sharing/grants/${g.id}`}>{t('common.view')}</Link>
        ),
    },
  ];

  return (
    <PageContainer title={consumer ? t('nav.myGrants') : t('nav.dataHolders')} subtitle={consumer ? t('grant.mine.subtitle') : t('grant.holders.subtitle')}>
      <Card>
        <div className="ht-toolbar" style={{ marginBottom: 16 }}>
          <GrantStatusFilter value={status} onChange={(v) => update({ status: v ?? null })} />
        </div>
        {list.error ? (
          <ErrorState error={list.error} onRetry={() => void list.refetch()} />
        ) : (
          <div data-testid={consumer ? 'my-grants' : 'data-holders'}>
            <Table<Grant>
              rowKey="id"
              size="middle"
              columns={columns}
              dataSource={list.data?.items ?? []}
              loading={list.isFetching}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <EmptyState description={status ? t('common.noMatches') : consumer ? t('grant.mine.empty') : t('grant.holders.empty')} /> }}
              pagination={{
                current: page,
                pageSize,
                total: list.data?.total ?? 0,
                showTotal: (total) => t('common.totalItems', { total }),
                onChange: (p, s) => update({ page: p, pageSize: s }),
              }}
            />
          </div>
        )}
      </Card>
      <ReasonModal
        open={revoking !== null}
        title={t('grant.revokeTitle', { consumer: revoking ? pick(revoking.consumer.name, revoking.consumer.nameEn) : '' })}
        hint={t('grant.revokeHint')}
        okText={t('grant.revoke')}
        danger
        pending={revoke.isPending}
        error={revoke.error}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onSubmit={(reason) =>
          revoking &&
          revoke.mutate(
            { id: revoking.id, reason },
            {
              onSuccess: () => {
                notify.success(t('grant.revoked'));
                setRevoking(null);
              },
            },
          )
        }
        testId="grant-revoke"
      />
    </PageContainer>
  );
}
