import {
  CheckOutlined,
  DiffOutlined,
  EditOutlined,
  RollbackOutlined,
  SendOutlined,
  BranchesOutlined,
  CloudUploadOutlined,
  ExceptionOutlined,
  ShareAltOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Modal, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import {
  type TransitionAction,
  type VersionSummary,
  useEntry,
  useEntryVersion,
  useNewVersion,
  useTransition,
} from '../../api/catalog';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading } from '../../components/states';
import { StatusTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import {
  canApplyForEntry,
  canApproveEntry,
  canDisputeEntry,
  canEditEntry,
  canPublishEntry,
  canReturnEntry,
  canStartNewVersion,
  canSubmitEntry,
  isOwnEntry,
} from '../../lib/permissions';
import { DataItemsTable, EntryAccess, EntryBasics } from './entry-parts';

/** 目录详情: all metadata of one version, the workflow actions and the version history. */
export default function EntryDetailPage() {
  const { id } = useParams<{ id: string }>();
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const entry = useEntry(id);
  const transition = useTransition();
  const newVersion = useNewVersion();
  const [returnOpen, setReturnOpen] = useState(false);
  const [returnForm] = Form.useForm<{ reason: string }>();

  const requested = Number(params.get('version')) || undefined;
  const viewingOld = Boolean(entry.data && requested && requested !== entry.data.latestVersion);
  const oldVersion = useEntryVersion(id, viewingOld ? requested : undefined);

  if (entry.isPending) return <Loading />;
  if (entry.error || !entry.data) return <ErrorState error={entry.error} onRetry={() => void entry.refetch()} />;

  const e = entry.data;
  const version = viewingOld ? oldVersion.data : e.current;
  const own = isOwnEntry(me, e);

  const act = (action: TransitionAction, reason?: string) => {
    transition.mutate(
      { id: e.id, action, reason },
      {
        onSuccess: () => {
          notify.success(t(`entry.done.${action}`));
          setReturnOpen(false);
          returnForm.resetFields();
        },
        onError: notify.error,
      },
    );
  };

  const startNewVersion = () => {
    newVersion.mutate(e.id, {
      onSuccess: (next) => {
        notify.success(t('entry.done.newVersion'));
        void navigate(`/catalog/entries/${next.id}/edit`);
      },
      onError: notify.error,
    });
  };

  const busy = transition.isPending || newVersion.isPending;
  const pendingAction = transition.isPending ? transition.variables?.action : undefined;

  const actions = viewingOld ? null : (
    <>
      {canApplyForEntry(me, e) && (
        <Link to={`/sharing/apply/${e.id}`}>
          <Button type="primary" icon={<ShareAltOutlined />} data-testid="action-apply">
            {t('entry.action.apply')}
          </Button>
        </Link>
      )}
      {canDisputeEntry(me, e) && (
        <Link to={`/disputes/new?dataset=${e.id}`}>
          <Button icon={<ExceptionOutlined />} data-testid="action-dispute">
            {t('entry.action.dispute')}
          </Button>
        </Link>
      )}
      {canEditEntry(me, e) && (
        <Link to={`/catalog/entries/${e.id}/edit`}>
          <Button icon={<EditOutlined />} data-testid="action-edit">
            {t('entry.action.edit')}
          </Button>
        </Link>
      )}
      {canSubmitEntry(me, e) && (
        <Button
          type="primary"
          icon={<SendOutlined />}
          loading={pendingAction === 'submit'}
          disabled={busy}
          onClick={() => act('submit')}
          data-testid="action-submit"
        >
          {t('entry.action.submit')}
        </Button>
      )}
      {canApproveEntry(me, e) && (
        <Button
          type="primary"
          icon={<CheckOutlined />}
          loading={pendingAction === 'approve'}
          disabled={busy}
          onClick={() => act('approve')}
          data-testid="action-approve"
        >
          {t('entry.action.approve')}
        </Button>
      )}
      {canPublishEntry(me, e) && (
        <Button
          type="primary"
          icon={<CloudUploadOutlined />}
          loading={pendingAction === 'publish'}
          disabled={busy}
          onClick={() => act('publish')}
          data-testid="action-publish"
        >
          {t('entry.action.publish')}
        </Button>
      )}
      {canReturnEntry(me, e) && (
        <Button
          danger
          icon={<RollbackOutlined />}
          disabled={busy}
          onClick={() => setReturnOpen(true)}
          data-testid="action-return"
        >
          {t('entry.action.return')}
        </Button>
      )}
      {canStartNewVersion(me, e) && (
        <Button
          icon={<BranchesOutlined />}
          loading={newVersion.isPending}
          disabled={busy}
          onClick={startNewVersion}
          data-testid="action-new-version"
        >
          {t('entry.action.newVersion')}
        </Button>
      )}
      {e.versions.length > 1 && (
        <Link
          to={`/catalog/entries/${e.id}/compare?from=${e.latestVersion - 1}&to=${e.latestVersion}`}
        >
          <Button icon={<DiffOutlined />}>{t('entry.action.compare')}</Button>
        </Link>
      )}
    </>
  );

  const versionColumns: TableColumnsType<VersionSummary> = [
    {
      title: t('entry.version'),
      dataIndex: 'version',
      render: (v: number) => (
        <span>
          v{v}
          {v === e.publishedVersion && (
            <Tag color="success" style={{ marginLeft: 8 }}>
              {t('entry.currentPublished')}
            </Tag>
          )}
          {v === e.latestVersion && (
            <Tag color="blue" style={{ marginLeft: 4 }}>
              {t('entry.latest')}
            </Tag>
          )}
        </span>
      ),
    },
    { title: t('entry.status'), dataIndex: 'status', render: (_, row) => <StatusTag status={row.status} /> },
    { title: t('entry.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    { title: t('entry.createdBy'), dataIndex: 'createdByName' },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, row) => {
        const isShown = (requested ?? e.latestVersion) === row.version;
        return (
          <span className="ht-toolbar">
            <Button
              type="link"
              size="small"
              disabled={isShown}
              onClick={() =>
                setParams(row.version === e.latestVersion ? {} : { version: String(row.version) })
              }
            >
              {isShown ? t('entry.viewing') : t('common.view')}
            </Button>
            {row.version !== e.latestVersion && (
              <Link to={`/catalog/entries/${e.id}/compare?from=${row.version}&to=${e.latestVersion}`}>
                {t('entry.compareWithLatest')}
              </Link>
            )}
          </span>
        );
      },
    },
  ];

  const back = own ? '/catalog/mine' : '/catalog/search';

  return (
    <PageContainer
      title={version ? pick(version.name, version.nameEn) : e.code}
      titleExtra={
        <>
          {version && <StatusTag status={version.status} />}
          {version && <Tag>v{version.version}</Tag>}
        </>
      }
      subtitle={`${e.code || t('entry.codePending')} · ${e.departmentName}`}
      back={back}
      extra={actions}
    >
      {viewingOld && (
        <Alert
          type="info"
          showIcon
          title={t('entry.viewingOld', { version: requested ?? '' })}
          action={
            <Button size="small" onClick={() => setParams({})}>
              {t('entry.backToLatest')}
            </Button>
          }
        />
      )}
      {!viewingOld && e.status === 'returned' && e.current.returnReason && (
        <Alert type="warning" showIcon title={t('entry.returnedBecause')} description={e.current.returnReason} />
      )}
      {!viewingOld && e.status === 'submitted' && !canApproveEntry(me, e) && (
        <Alert type="info" showIcon title={t('entry.awaitingReview')} />
      )}
      {!viewingOld && e.status === 'approved' && !canPublishEntry(me, e) && (
        <Alert type="info" showIcon title={t('entry.awaitingPublish')} />
      )}

      {viewingOld && oldVersion.isPending ? (
        <Loading />
      ) : viewingOld && oldVersion.error ? (
        <ErrorState error={oldVersion.error} onRetry={() => void oldVersion.refetch()} />
      ) : version ? (
        <>
          <Card title={t('entry.section.basics')}>
            <EntryBasics entry={e} version={version} />
          </Card>
          <Card title={t('entry.section.access')}>
            <EntryAccess version={version} />
          </Card>
          <Card title={t('common.withCount', { label: t('entry.section.items'), count: version.items.length })}>
            <DataItemsTable items={version.items} />
          </Card>
        </>
      ) : null}

      <Card title={t('entry.section.versions')}>
        <Table<VersionSummary>
          size="small"
          rowKey="version"
          columns={versionColumns}
          dataSource={[...e.versions].sort((a, b) => b.version - a.version)}
          pagination={false}
        />
      </Card>

      <Modal
        open={returnOpen}
        title={t('entry.action.return')}
        okText={t('entry.action.confirmReturn')}
        cancelText={t('common.cancel')}
        okButtonProps={{
          danger: true,
          loading: pendingAction === 'return',
          ...({ 'data-testid': 'return-confirm' } as Record<string, string>),
        }}
        onOk={() => returnForm.submit()}
        onCancel={() => setReturnOpen(false)}
        destroyOnHidden
      >
        <Form form={returnForm} layout="vertical" onFinish={(v) => act('return', v.reason.trim())}>
          <Form.Item
            name="reason"
            label={t('entry.returnReason')}
            rules={[{ required: true, whitespace: true, message: t('entry.returnReasonRequired') }]}
          >
            <Input.TextArea rows={4} maxLength={1000} showCount data-testid="return-reason" autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
