import { CheckCircleOutlined, DownloadOutlined, FlagOutlined, SendOutlined, ToolOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Form, Input, Modal, Radio, Tag, Timeline, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  DISPUTE_OUTCOMES,
  type DisputeAction,
  type DisputeDetail,
  type DisputeOutcome,
  type DisputeStep,
  disputeReportUrl,
  useDispute,
  useDisputeStep,
} from '../../api/disputes';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { showFieldErrors } from '../../lib/form-errors';
import { formatDate, formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { DisputeStatusTag } from './dispute-parts';

const ACTION_ICONS: Record<DisputeAction, ReactNode> = {
  find_technical: <ToolOutlined />,
  transfer: <SendOutlined />,
  mark: <FlagOutlined />,
  resolve: <CheckCircleOutlined />,
};

/**
 * One dispute: what is disputed and by whom, where it stands and by when, the steps the caller may
 * take now (only those the server lists in `actions`), the history, and the verification report
 * once it is resolved.
 */
export default function DisputeDetailPage() {
  const { id = '' } = useParams();
  const { t, pick } = useI18n();
  const dispute = useDispute(id);
  const [acting, setActing] = useState<DisputeAction | null>(null);
  if (dispute.isPending) return <Loading />;
  if (dispute.error) return <ErrorState error={dispute.error} onRetry={() => void dispute.refetch()} />;
  const d = dispute.data;

  return (
    <PageContainer
      title={t('dispute.detail.title', { no: d.no })}
      titleExtra={<DisputeStatusTag dispute={d} />}
      subtitle={`${pick(d.dataset.name, d.dataset.nameEn)} · ${pick(d.requesterDepartment.name, d.requesterDepartment.nameEn)} → ${pick(d.responsibleDepartment.name, d.responsibleDepartment.nameEn)}`}
      back="/disputes"
      extra={
        d.actions.length > 0 &&
        d.actions.map((a) => (
          <Button key={a} type={a === 'resolve' ? 'primary' : 'default'} icon={ACTION_ICONS[a]} onClick={() => setActing(a)} data-testid={`dispute-action-${a}`}>
            {t(`dispute.action.${a}`)}
          </Button>
        ))
      }
    >
      {d.overdue && d.dueOn && <Alert type="error" showIcon title={t('dispute.detail.overdue', { date: d.dueOn })} className="ht-dispute-section" />}
      {d.status !== 'resolved' && <NextStep dispute={d} />}
      {d.status === 'resolved' && <OutcomeCard dispute={d} />}
      <Summary dispute={d} />
      <History dispute={d} />
      <StepModal dispute={d} action={acting} onClose={() => setActing(null)} />
    </PageContainer>
  );
}

/** The verification report (PDF), a plain download from the server. */
function ReportButton({ id }: { id: string }) {
  const { t } = useI18n();
  return (
    <Button type="primary" icon={<DownloadOutlined />} href={disputeReportUrl(id)} download data-testid="dispute-report">
      {t('dispute.report')}
    </Button>
  );
}

/** Who must act now and by when; what the caller's buttons do. */
function NextStep({ dispute: d }: { dispute: DisputeDetail }) {
  const { t } = useI18n();
  const who = d.awaiting ? t(`dispute.awaiting.${d.awaiting}`) : '—';
  const due = d.dueOn ? formatDate(d.dueOn) : '—';
  return (
    <Alert
      type={d.actions.length > 0 ? 'warning' : 'info'}
      showIcon
      className="ht-dispute-section"
      title={d.actions.length > 0 ? t('dispute.detail.yourTurn', { date: due }) : t('dispute.detail.waiting', { who, date: due })}
      description={
        d.actions.length > 0 ? (
          <ul className="ht-problem-list" data-testid="dispute-action-hints">
            {d.actions.map((a) => (
              <li key={a}>
                <Typography.Text strong>{t(`dispute.action.${a}`)}</Typography.Text>：{t(`dispute.actionHint.${a}`)}
              </li>
            ))}
          </ul>
        ) : undefined
      }
      data-testid="dispute-next-step"
    />
  );
}

/** How the dispute ended, with the report. */
function OutcomeCard({ dispute: d }: { dispute: DisputeDetail }) {
  const { t } = useI18n();
  return (
    <Card
      title={t('dispute.outcomeTitle')}
      className="ht-dispute-section"
      extra={d.reportReady && <ReportButton id={d.id} />}
      data-testid="dispute-outcome"
    >
      <Descriptions column={{ xs: 1, md: 2 }} size="small">
        <Descriptions.Item label={t('dispute.outcomeLabel')}>
          {d.outcome ? <Tag color={d.outcome === 'corrected' ? 'green' : 'blue'}>{t(`dispute.outcome.${d.outcome}`)}</Tag> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('dispute.resolvedAt')}>{formatDateTime(d.resolvedAt)}</Descriptions.Item>
        <Descriptions.Item label={t('dispute.outcomeNote')} span={2}>
          <span className="ht-dispute-note">{d.outcomeNote || '—'}</span>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

function Summary({ dispute: d }: { dispute: DisputeDetail }) {
  const { t, pick } = useI18n();
  return (
    <Card title={t('dispute.detail.summary')} className="ht-dispute-section">
      <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
        <Descriptions.Item label={t('dispute.no')}>
          <span className="ht-mono">{d.no}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('dispute.kindLabel')}>{t(`dispute.kind.${d.kind}`)}</Descriptions.Item>
        <Descriptions.Item label={t('dispute.dataset')}>
          <Link to={`/catalog/entries/${d.dataset.entryId}`}>{pick(d.dataset.name, d.dataset.nameEn)}</Link>{' '}
          <span className="ht-mono ht-muted">{d.dataset.code}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('dispute.category')}>{t(`dispute.category.${d.category}`)}</Descriptions.Item>
        <Descriptions.Item label={t('dispute.subject')}>
          {d.subject ? (
            <span data-testid="dispute-subject">
              <span className="ht-mono">{d.subject.masked}</span> · {t(`verify.idType.${d.subject.kind}`)}
            </span>
          ) : (
            <span className="ht-muted">{t('dispute.wholeDataset')}</span>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('dispute.marked')}>
          {d.marked ? <Tag color="gold">{t('dispute.markedSince', { time: formatDateTime(d.markedAt) })}</Tag> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('dispute.requester')}>{pick(d.requesterDepartment.name, d.requesterDepartment.nameEn)}</Descriptions.Item>
        <Descriptions.Item label={t('dispute.responsible')}>{pick(d.responsibleDepartment.name, d.responsibleDepartment.nameEn)}</Descriptions.Item>
        {d.channel && <Descriptions.Item label={t('dispute.channel')}>{t(`dispute.channel.${d.channel}`)}</Descriptions.Item>}
        <Descriptions.Item label={t('dispute.receivedOn')}>{formatDate(d.receivedOn)}</Descriptions.Item>
        <Descriptions.Item label={t('dispute.dueOn')}>
          {d.dueOn && d.status !== 'resolved' ? (
            <Typography.Text type={d.overdue ? 'danger' : undefined} strong={d.overdue} data-testid="dispute-due">
              {formatDate(d.dueOn)}
              {d.overdue ? ` · ${t('dispute.overdue')}` : ''}
            </Typography.Text>
          ) : (
            '—'
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('dispute.awaitingLabel')}>{d.awaiting ? t(`dispute.awaiting.${d.awaiting}`) : '—'}</Descriptions.Item>
        <Descriptions.Item label={t('dispute.description')} span={2}>
          <span className="ht-dispute-note">{d.description}</span>
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** Every step so far: what was done, from which status to which, by whom, whether it was late, and the next deadline. */
function History({ dispute: d }: { dispute: DisputeDetail }) {
  const { t, tMaybe } = useI18n();
  const color = (s: DisputeStep) => (s.late ? 'red' : s.toStatus === 'resolved' ? 'green' : s.action === 'file' ? 'blue' : 'gray');
  return (
    <Card title={t('dispute.history')} className="ht-dispute-section">
      <div data-testid="dispute-history">
        <Timeline
          items={d.steps.map((s) => ({
            key: s.seq,
            color: color(s),
            content: (
              <div>
                <div>
                  <Typography.Text strong>{tMaybe(`dispute.action.${s.action}`, s.action)}</Typography.Text>
                  <span className="ht-muted">
                    {' '}
                    · {s.fromStatus ? `${t(`dispute.status.${s.fromStatus}`)} → ` : ''}
                    {t(`dispute.status.${s.toStatus}`)}
                  </span>
                  {s.outcome && (
                    <Tag color={s.outcome === 'corrected' ? 'green' : 'blue'} style={{ marginLeft: 8 }}>
                      {t(`dispute.outcome.${s.outcome}`)}
                    </Tag>
                  )}
                  {s.late && (
                    <Tag color="error" style={{ marginLeft: 8 }}>
                      {t('dispute.late', { date: formatDate(s.dueOn) })}
                    </Tag>
                  )}
                </div>
                <div className="ht-muted" style={{ fontSize: 12 }}>
                  {formatDateTime(s.at)} · {s.actor.name ?? t('dispute.platform')}
                  {s.department ? ` · ${s.department.name}` : ''}
                  {s.nextDueOn ? ` · ${t('dispute.nextDue', { date: formatDate(s.nextDueOn) })}` : ''}
                </div>
                {s.note && <div className="ht-dispute-note">{s.note}</div>}
              </div>
            ),
          }))}
        />
      </div>
    </Card>
  );
}

type StepValues = { note?: string; outcome?: DisputeOutcome };

/** The modal of one step: a note (required to resolve, with the outcome), then the step. */
function StepModal({ dispute: d, action, onClose }: { dispute: DisputeDetail; action: DisputeAction | null; onClose: () => void }) {
  const { t } = useI18n();
  const notify = useNotify();
  const step = useDisputeStep(d.id);
  const [form] = Form.useForm<StepValues>();
  const resolving = action === 'resolve';
  const close = () => {
    step.reset();
    form.resetFields();
    onClose();
  };
  const onFinish = (v: StepValues) => {
    if (!action) return;
    step.mutate(
      { action, note: (v.note ?? '').trim(), ...(resolving && v.outcome ? { outcome: v.outcome } : {}) },
      {
        onSuccess: (after) => {
          notify.success(after.status === 'resolved' ? t('dispute.resolvedDone') : t('dispute.stepDone', { status: t(`dispute.status.${after.status}`) }));
          close();
        },
        onError: (err) => showFieldErrors(form, err),
      },
    );
  };
  return (
    <Modal
      open={action !== null}
      title={action ? t(`dispute.action.${action}`) : ''}
      okText={action ? t(`dispute.action.${action}`) : t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ ...({ 'data-testid': 'dispute-step-confirm' } as Record<string, string>) }}
      confirmLoading={step.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      forceRender
    >
      {action && <Typography.Paragraph type="secondary">{t(`dispute.actionHint.${action}`)}</Typography.Paragraph>}
      {Boolean(step.error) && <ProblemAlert error={step.error} />}
      <Form<StepValues> form={form} layout="vertical" onFinish={onFinish} style={{ marginTop: 12 }}>
        {resolving && (
          <Form.Item name="outcome" label={t('dispute.outcomeLabel')} rules={[{ required: true, message: t('dispute.outcomeRequired') }]}>
            <Radio.Group
              optionType="button"
              options={DISPUTE_OUTCOMES.map((o) => ({ value: o, label: t(`dispute.outcome.${o}`) }))}
              data-testid="dispute-step-outcome"
            />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={resolving ? t('dispute.outcomeNote') : t('dispute.stepNote')}
          rules={[
            { required: resolving, whitespace: true, message: t('dispute.noteRequired') },
            { max: 4000, message: t('dispute.descriptionLength') },
          ]}
        >
          <Input.TextArea rows={4} maxLength={4000} showCount data-testid="dispute-step-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
