import {
  AuditOutlined,
  CheckCircleOutlined,
  ClockCircleOutlined,
  CameraOutlined,
  EditOutlined,
  FileSearchOutlined,
  DiffOutlined,
  ExceptionOutlined,
  PlusOutlined,
  SendOutlined,
  ShareAltOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { Button, Card, Col, Row, Skeleton, Statistic, Tag, Typography } from 'antd';
import { lazy, type ReactNode, Suspense, useMemo } from 'react';
import { Link } from 'react-router';
import { TASK_KINDS, type Task, type TaskKind, useCompleteFullReview, useTasks } from '../../api/tasks';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ErrorState } from '../../components/states';
import { useT } from '../../i18n';
import type { Role } from '../../api/auth';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime, isPast } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { can, hasRole } from '../../lib/permissions';
import { useUrlFilters } from '../../lib/url-state';

// echarts is loaded only with this panel.
const CatalogOverview = lazy(() => import('./catalog-overview'));

const KIND_ICONS: Record<TaskKind, ReactNode> = {
  review: <AuditOutlined />,
  publish: <SendOutlined />,
  fix_return: <EditOutlined />,
  full_review: <CheckCircleOutlined />,
  publish_snapshot: <CameraOutlined />,
  verify: <DiffOutlined />,
  share: <ShareAltOutlined />,
  dispute: <ExceptionOutlined />,
};

const KIND_COLORS: Record<TaskKind, string> = {
  review: 'blue',
  publish: 'geekblue',
  fix_return: 'orange',
  full_review: 'purple',
  publish_snapshot: 'cyan',
  verify: 'volcano',
  share: 'green',
  dispute: 'magenta',
};

/** Where a task takes the user. */
function taskLink(task: Task): string {
  switch (task.kind) {
    case 'review':
    case 'publish':
      return task.entryId ? `/catalog/entries/${task.entryId}` : '/catalog/review';
    case 'fix_return':
      return task.entryId ? `/catalog/entries/${task.entryId}/edit` : '/catalog/mine';
    case 'full_review':
      return task.entryId ? `/catalog/entries/${task.entryId}` : '/catalog/mine';
    case 'publish_snapshot':
      return '/catalog/snapshots';
    case 'verify':
      return task.verificationId ? `/verifications/${task.verificationId}` : '/verifications?role=assigned';
    case 'share':
      return task.shareRequestId ? `/sharing/requests/${task.shareRequestId}` : '/sharing/inbox';
    case 'dispute':
      return task.disputeId ? `/disputes/${task.disputeId}` : '/disputes?role=assigned';
  }
}

/** Who can ever receive each kind of task, so a counter is shown only to those it concerns. */
const KIND_ROLES: Record<TaskKind, Role[]> = {
  review: ['catalog_reviewer'],
  publish: ['authority'],
  fix_return: ['catalog_editor'],
  full_review: ['dept_admin', 'catalog_editor'],
  publish_snapshot: ['authority'],
  verify: ['dept_admin', 'catalog_editor'],
  share: ['sharing_officer', 'dept_admin', 'authority'],
  dispute: ['dept_admin', 'catalog_editor', 'sharing_officer', 'authority'],
};

const FILTER_KEYS = ['kind'] as const;

/** 工作台: the user's to-do list with counts per kind, and shortcuts. */
export default function HomePage() {
  const t = useT();
  const me = useCurrentUser();
  const tasks = useTasks();
  const fullReview = useCompleteFullReview();
  const notify = useNotify();
  const { values, update } = useUrlFilters(FILTER_KEYS);
  const activeKind = TASK_KINDS.find((k) => k === values.kind);

  const counts = useMemo(() => {
    const out: Record<TaskKind, number> = { review: 0, publish: 0, fix_return: 0, full_review: 0, publish_snapshot: 0, verify: 0, share: 0, dispute: 0 };
    for (const task of tasks.data?.items ?? []) out[task.kind] = (out[task.kind] ?? 0) + 1;
    return out;
  }, [tasks.data]);

  const shown = (tasks.data?.items ?? []).filter((task) => !activeKind || task.kind === activeKind);
  const total = tasks.data?.items.length ?? 0;

  return (
    <PageContainer
      title={t('home.title')}
      subtitle={t('home.greeting', { name: me.displayName, department: me.departmentName })}
    >
      <Row gutter={[16, 16]}>
        {TASK_KINDS.filter((kind) => hasRole(me, ...KIND_ROLES[kind])).map((kind) => (
          <Col key={kind} flex="1 1 180px">
            <Card
              size="small"
              className={`ht-stat-card${activeKind === kind ? ' is-active' : ''}`}
              role="button"
              tabIndex={0}
              aria-pressed={activeKind === kind}
              onClick={() => update({ kind: activeKind === kind ? null : kind })}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  update({ kind: activeKind === kind ? null : kind });
                }
              }}
              data-testid={`task-count-${kind}`}
            >
              <Statistic
                title={t(`task.kind.${kind}`)}
                value={counts[kind]}
                loading={tasks.isPending}
                prefix={KIND_ICONS[kind]}
              />
            </Card>
          </Col>
        ))}
      </Row>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card
            title={
              activeKind
                ? `${t('home.tasks')} · ${t(`task.kind.${activeKind}`)}`
                : t('common.withCount', { label: t('home.tasks'), count: total })
            }
            extra={
              activeKind && (
                <Button type="link" size="small" onClick={() => update({ kind: null })}>
                  {t('home.showAllTasks')}
                </Button>
              )
            }
          >
            {tasks.isPending ? (
              <Skeleton active paragraph={{ rows: 4 }} />
            ) : tasks.error ? (
              <ErrorState error={tasks.error} onRetry={() => void tasks.refetch()} />
            ) : shown.length === 0 ? (
              <EmptyState description={t('home.noTasks')} />
            ) : (
              <ul className="ht-task-list" aria-label={t('home.tasks')}>
                {shown.map((task) => {
                  const overdue = task.overdue ?? isPast(task.dueAt);
                  return (
                    <li
                      className="ht-task"
                      key={`${task.kind}-${task.entryId ?? task.verificationId ?? task.shareRequestId ?? task.disputeId ?? ''}-${task.departmentId ?? ''}-${task.createdAt}`}
                    >
                      <Tag color={KIND_COLORS[task.kind]} icon={KIND_ICONS[task.kind]}>
                        {t(`task.kind.${task.kind}`)}
                      </Tag>
                      <div className="ht-task-body">
                        <Link to={taskLink(task)}>
                          {task.kind === 'full_review' && /^\d{4}$/.test(task.title)
                            ? t('task.fullReviewTitle', { year: task.title })
                            : task.kind === 'publish_snapshot'
                              ? t('task.snapshotTitle', { period: task.title })
                              : task.title}
                        </Link>
                        <div className="ht-muted" style={{ fontSize: 12, marginTop: 2 }}>
                          {t('task.createdAt')} {formatDateTime(task.createdAt)}
                        </div>
                      </div>
                      {task.kind === 'full_review' && can(me, 'completeFullReview') && (
                        <Button
                          size="small"
                          loading={fullReview.isPending}
                          onClick={() =>
                            fullReview.mutate(undefined, {
                              onSuccess: () => notify.success(t('task.fullReviewDone')),
                              onError: notify.error,
                            })
                          }
                        >
                          {t('task.completeFullReview')}
                        </Button>
                      )}
                      {task.dueAt && (
                        <Typography.Text type={overdue ? 'danger' : 'secondary'} style={{ whiteSpace: 'nowrap' }}>
                          <ClockCircleOutlined /> {overdue ? t('task.overdue') : t('task.dueAt')}{' '}
                          {formatDateTime(task.dueAt)}
                        </Typography.Text>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('home.shortcuts')} style={{ marginBottom: 16 }}>
            <div className="ht-toolbar">
              <Link to="/catalog/search">
                <Button icon={<FileSearchOutlined />}>{t('nav.catalogSearch')}</Button>
              </Link>
              {can(me, 'createEntry') && (
                <Link to="/catalog/entries/new">
                  <Button type="primary" icon={<PlusOutlined />}>
                    {t('catalog.newEntry')}
                  </Button>
                </Link>
              )}
              {can(me, 'importCatalog') && (
                <Link to="/catalog/import">
                  <Button icon={<UploadOutlined />}>{t('catalog.import')}</Button>
                </Link>
              )}
              {can(me, 'reviewQueue') && (
                <Link to="/catalog/review">
                  <Button icon={<AuditOutlined />}>{t('nav.reviewQueue')}</Button>
                </Link>
              )}
            </div>
          </Card>
          <Card title={t('home.overview')}>
            <Suspense fallback={<Skeleton active />}>
              <CatalogOverview />
            </Suspense>
          </Card>
        </Col>
      </Row>
    </PageContainer>
  );
}
