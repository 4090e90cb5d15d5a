import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, RollbackOutlined, SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Table, type TableColumnsType, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  type Decision,
  type RequestedItem,
  type ShareAction,
  type ShareRequestDetail,
  useAcceptAgreement,
  useContestShareRequest,
  useShareRequest,
  useWithdrawShareRequest,
} from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading, ProblemAlert } from '../../components/states';
import { ShareTypeTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDate, formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { hasRole } from '../../lib/permissions';
import { AnswerForm, NegotiationForm, ProvideForm, RulingForm } from './request-forms';
import { Countdown, MaskingTag, ReasonModal, RequestStatusTag } from './sharing-parts';

const has = (r: { actions: ShareAction[] }, ...actions: ShareAction[]) => actions.some((a) => r.actions.includes(a));

/**
 * One share request: what was asked and why, the provider's decision per item, the agreement
 * both departments accept, the history, and the forms of the steps the caller may take now.
 */
export default function RequestDetailPage() {
  const { id = '' } = useParams();
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const request = useShareRequest(id);
  if (request.isPending) return <Loading />;
  if (request.error) return <ErrorState error={request.error} onRetry={() => void request.refetch()} />;
  const r = request.data;
  const back =
    r.consumer.id === me.departmentId ? '/sharing/requests' : r.provider.id === me.departmentId ? '/sharing/inbox' : hasRole(me, 'authority') ? '/sharing/escalations' : '/sharing/negotiations';

  return (
    <PageContainer
      title={t('share.detail.title', { no: r.no })}
      titleExtra={<RequestStatusTag status={r.status} />}
      subtitle={`${r.entry.name} · ${pick(r.consumer.name, r.consumer.nameEn)} → ${pick(r.provider.name, r.provider.nameEn)}`}
      back={back}
      extra={<ConsumerActions request={r} />}
    >
      {r.overdue && <Alert type="error" showIcon title={t('share.detail.overdue', { date: r.dueOn ?? '' })} className="ht-share-section" />}
      {r.violationRecordedAt && (
        <Alert type="error" showIcon title={t('share.detail.violation', { date: formatDateTime(r.violationRecordedAt) })} className="ht-share-section" />
      )}
      <Summary request={r} />
      <ItemsCard request={r} />
      {has(r, 'grant', 'grant_confirmed', 'refuse') && <AnswerForm request={r} />}
      {has(r, 'negotiate_share', 'negotiate_refuse', 'negotiate_fail') && <NegotiationForm request={r} />}
      {has(r, 'rule_share', 'rule_refuse') && <RulingForm request={r} />}
      {r.agreement && <AgreementCard request={r} />}
      {has(r, 'provide') && <ProvideForm request={r} />}
      <HistoryCard request={r} />
    </PageContainer>
  );
}

/** The consumer's withdraw and contest buttons, each asking for a reason. */
function ConsumerActions({ request: r }: { request: ShareRequestDetail }) {
  const { t } = useI18n();
  const notify = useNotify();
  const withdraw = useWithdrawShareRequest(r.id);
  const contest = useContestShareRequest(r.id);
  const [open, setOpen] = useState<'withdraw' | 'contest' | null>(null);
  const mutation = open === 'contest' ? contest : withdraw;
  return (
    <>
      {has(r, 'contest') && (
        <Button icon={<ExclamationCircleOutlined />} onClick={() => setOpen('contest')} data-testid="share-contest">
          {t('share.contest')}
        </Button>
      )}
      {has(r, 'withdraw') && (
        <Button danger icon={<RollbackOutlined />} onClick={() => setOpen('withdraw')} data-testid="share-withdraw">
          {t('share.withdraw')}
        </Button>
      )}
      <ReasonModal
        open={open !== null}
        title={open === 'contest' ? t('share.contestTitle') : t('share.withdrawTitle')}
        hint={open === 'contest' ? t('share.contestHint') : t('share.withdrawHint')}
        okText={open === 'contest' ? t('share.contest') : t('share.withdraw')}
        danger={open === 'withdraw'}
        pending={mutation.isPending}
        error={mutation.error}
        onClose={() => {
          setOpen(null);
          mutation.reset();
        }}
        onSubmit={(reason) =>
          mutation.mutate(
            { reason },
            {
              onSuccess: () => {
                notify.success(open === 'contest' ? t('share.contested') : t('share.withdrawn'));
                setOpen(null);
              },
            },
          )
        }
        testId={`share-${open ?? 'withdraw'}`}
      />
    </>
  );
}

function Summary({ request: r }: { request: ShareRequestDetail }) {
  const { t, pick } = useI18n();
  return (
    <Card title={t('share.detail.summary')} className="ht-share-section">
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
        <Descriptions.Item label={t('share.no')}>
          <span className="ht-mono">{r.no}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('share.statusLabel')}>
          <RequestStatusTag status={r.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('share.entry')}>
          <Link to={`/catalog/entries/${r.entry.id}`}>{r.entry.name}</Link>{' '}
          <span className="ht-mono ht-muted">
            {r.entry.code} · v{r.entry.version}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('share.shareType')}>
          <ShareTypeTag value={r.shareType} />
        </Descriptions.Item>
        <Descriptions.Item label={t('share.consumer')}>{pick(r.consumer.name, r.consumer.nameEn)}</Descriptions.Item>
        <Descriptions.Item label={t('share.provider')}>{pick(r.provider.name, r.provider.nameEn)}</Descriptions.Item>
        <Descriptions.Item label={t('share.purpose')} span={2}>
          <span className="ht-share-note">{r.purpose}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('share.scope')} span={2}>
          <span className="ht-share-note">{r.scope}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('share.period')}>
          {formatDate(r.periodFrom)} ~ {formatDate(r.periodUntil)}
        </Descriptions.Item>
        <Descriptions.Item label={t('share.legalBasis')}>{r.legalBasis || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('share.dueOn')}>
          {r.dueOn ? (
            <span>
              <Typography.Text type={r.overdue ? 'danger' : undefined}>{formatDate(r.dueOn)}</Typography.Text> <Countdown request={r} />
            </span>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('share.createdAt')}>{formatDateTime(r.createdAt)}</Descriptions.Item>
        {r.escalationReason && (
          <Descriptions.Item label={t('share.escalationReason')}>{t(`share.escalation.${r.escalationReason}`)}</Descriptions.Item>
        )}
        {r.ruling && <Descriptions.Item label={t('share.rulingLabel')}>{t(`share.ruling.${r.ruling}`)}</Descriptions.Item>}
        {r.grantId && (
          <Descriptions.Item label={t('share.grant')}>
            <Link to={`/sharing/grants/${r.grantId}`} data-testid="share-grant-link">
              {t('share.viewGrant')}
            </Link>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

type ItemRow = RequestedItem & { decision?: Decision['items'][number] | undefined };

/** The requested items with the duty each serves and, once answered, the decision on each. */
function ItemsCard({ request: r }: { request: ShareRequestDetail }) {
  const { t } = useI18n();
  const decided = new Map((r.decision?.items ?? []).map((i) => [i.nameEn, i]));
  const rows: ItemRow[] = r.items.map((i) => ({ ...i, decision: decided.get(i.nameEn) }));
  const columns: TableColumnsType<ItemRow> = [
    { title: t('share.itemName'), dataIndex: 'name', width: 160 },
    { title: t('share.itemNameEn'), dataIndex: 'nameEn', width: 200, render: (v: string) => <span className="ht-mono">{v}</span> },
    { title: t('share.duty'), dataIndex: 'duty', render: (v: string) => <span className="ht-share-note">{v}</span> },
    {
      title: t('share.decisionLabel'),
      key: 'decision',
      width: 120,
      render: (_, row) =>
        !row.decision ? (
          <span className="ht-muted">{t('share.decision.pending')}</span>
        ) : row.decision.granted ? (
          <Tag color="success" icon={<CheckCircleOutlined />}>
            {t('share.decision.granted')}
          </Tag>
        ) : (
          <Tag color="error" icon={<StopOutlined />}>
            {t('share.decision.refused')}
          </Tag>
        ),
    },
    {
      title: t('share.masking'),
      key: 'masking',
      width: 110,
      render: (_, row) => (row.decision?.granted ? <MaskingTag masking={row.decision.masking} /> : '—'),
    },
  ];
  return (
    <Card title={t('common.withCount', { label: t('share.items'), count: r.items.length })} className="ht-share-section">
      <div data-testid="share-items">
        <Table<ItemRow> rowKey="nameEn" size="small" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content' }} />
      </div>
      {r.decision && (
        <Descriptions column={{ xs: 1, md: 2 }} size="small" style={{ marginTop: 16 }}>
          <Descriptions.Item label={t('share.dailyQuota')}>{r.decision.dailyQuota.toLocaleString()}</Descriptions.Item>
          {r.decision.reason && (
            <Descriptions.Item label={t('share.refusalReason')} span={2}>
              <span className="ht-share-note">{r.decision.reason}</span>
            </Descriptions.Item>
          )}
          {r.decision.legalBasis && (
            <Descriptions.Item label={t('share.refusalLegalBasis')} span={2}>
              <span className="ht-share-note">{r.decision.legalBasis}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </Card>
  );
}

/** The confidentiality agreement: its text, who of the two departments accepted when, and the accept button. */
function AgreementCard({ request: r }: { request: ShareRequestDetail }) {
  const { t, pick } = useI18n();
  const notify = useNotify();
  const accept = useAcceptAgreement(r.id);
  const a = r.agreement;
  if (!a) return null;
  const side = (label: string, department: string, at: string | null, testId: string) => (
    <Descriptions.Item label={label}>
      <span data-testid={testId} data-accepted={at ? 'true' : 'false'}>
        {department} ·{' '}
        {at ? (
          <Typography.Text type="success">
            <CheckCircleOutlined /> {t('share.agreement.acceptedAt', { time: formatDateTime(at) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="warning">
            <ClockCircleOutlined /> {t('share.agreement.notYet')}
          </Typography.Text>
        )}
      </span>
    </Descriptions.Item>
  );
  return (
    <Card
      title={
        <span>
          <SafetyCertificateOutlined /> {t('share.agreement.title')}
        </span>
      }
      className="ht-share-section"
      extra={
        has(r, 'accept_agreement') && (
          <Button
            type="primary"
            icon={<CheckCircleOutlined />}
            loading={accept.isPending}
            onClick={() => accept.mutate(undefined, { onSuccess: () => notify.success(t('share.agreement.accepted')) })}
            data-testid="share-accept-agreement"
          >
            {t('share.agreement.accept')}
          </Button>
        )
      }
    >
      {has(r, 'accept_agreement') && <Alert type="info" showIcon title={t('share.agreement.acceptHint')} style={{ marginBottom: 12 }} />}
      {accept.error && <ProblemAlert error={accept.error} />}
      <Descriptions column={{ xs: 1, md: 2 }} size="small" style={{ marginBottom: 12 }}>
        {side(t('share.agreement.consumerSide'), pick(r.consumer.name, r.consumer.nameEn), a.consumerAcceptedAt, 'agreement-consumer')}
        {side(t('share.agreement.providerSide'), pick(r.provider.name, r.provider.nameEn), a.providerAcceptedAt, 'agreement-provider')}
        <Descriptions.Item label={t('share.agreement.hash')} span={2}>
          <span className="ht-mono">{a.textHash}</span>
        </Descriptions.Item>
      </Descriptions>
      <pre className="ht-agreement" data-testid="share-agreement-text">
        {a.text}
      </pre>
    </Card>
  );
}

/** Every step so far: what happened, by whom, from which department, with its note, when. */
function HistoryCard({ request: r }: { request: ShareRequestDetail }) {
  const { t, tMaybe, pick } = useI18n();
  const color = (to: string, action: string) =>
    action === 'ruling_ignored' || to === 'refused' ? 'red' : to === 'provided' ? 'green' : to === 'escalated' || to === 'joint_review' ? 'orange' : 'blue';
  return (
    <Card title={t('share.history')} className="ht-share-section">
      <div data-testid="share-history">
        <Timeline
          items={r.history.map((e, i) => ({
            key: `${e.at}-${i}`,
            color: color(e.to, e.action),
            content: (
              <div>
                <div>
                  <Typography.Text strong>{tMaybe(`share.action.${e.action}`, e.action)}</Typography.Text>
                  {e.from !== e.to && (
                    <span className="ht-muted">
                      {' '}
                      · {e.from ? `${tMaybe(`share.status.${e.from}`, e.from)} → ` : ''}
                      {tMaybe(`share.status.${e.to}`, e.to)}
                    </span>
                  )}
                  {e.public && (
                    <Tag color="blue" style={{ marginLeft: 8 }}>
                      {t('share.published')}
                    </Tag>
                  )}
                </div>
                <div className="ht-muted" style={{ fontSize: 12 }}>
                  {formatDateTime(e.at)} · {e.actor ?? t('share.platform')}
                  {e.department ? ` · ${pick(e.department.name, e.department.nameEn)}` : ''}
                </div>
                {e.note && <div className="ht-share-note">{e.note}</div>}
              </div>
            ),
          }))}
        />
      </div>
    </Card>
  );
}
