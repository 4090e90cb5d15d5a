import { Alert, Button, Card, Descriptions, Form, Input, Radio, Typography } from 'antd';
import { useParams } from 'react-router';
import { type AnswerInput, useAnswerVerification, useVerification, VERIFICATION_OUTCOMES } from '../../api/verifications';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading } from '../../components/states';
import { useI18n } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { VerificationStatusTag } from './verification-parts';

/** One verification report, and the responsible department's answer form while it is open. */
export default function VerificationDetailPage() {
  const { id = '' } = useParams();
  const { t, pick } = useI18n();
  const report = useVerification(id);
  if (report.isPending) return <Loading />;
  if (report.error) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const r = report.data;
  return (
    <PageContainer title={t('verify.detailTitle')} titleExtra={<VerificationStatusTag report={r} />} back="/verifications">
      {r.status === 'open' && r.overdue && <Alert type="error" showIcon message={t('verify.overdueAlert', { date: r.dueOn })} style={{ marginBottom: 16 }} />}
      <Card style={{ marginBottom: 16 }}>
        <Descriptions column={{ xs: 1, md: 2 }} bordered size="small">
          <Descriptions.Item label={t('verify.item')}>
            {pick(r.basicItem.category, r.basicItem.categoryEn)} / {pick(r.basicItem.name, r.basicItem.nameEn)}
          </Descriptions.Item>
          <Descriptions.Item label={t('verify.subject')}>
            <span className="ht-mono">{r.subjectMasked}</span> · {t(`verify.idType.${r.subjectKind}`)}
          </Descriptions.Item>
          <Descriptions.Item label={t('verify.reporter')}>{pick(r.reporterDepartment.name, r.reporterDepartment.nameEn)}</Descriptions.Item>
          <Descriptions.Item label={t('verify.responsible')}>{pick(r.responsibleDepartment.name, r.responsibleDepartment.nameEn)}</Descriptions.Item>
          <Descriptions.Item label={t('verify.reportedValue')}>{r.reportedValue}</Descriptions.Item>
          <Descriptions.Item label={t('verify.dueOn')}>
            <Typography.Text type={r.overdue ? 'danger' : undefined}>{formatDate(r.dueOn)}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('verify.note')} span={2}>
            {r.note || '—'}
          </Descriptions.Item>
          <Descriptions.Item label={t('common.createdAt')}>{formatDateTime(r.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('verify.answeredAt')}>{formatDateTime(r.answeredAt)}</Descriptions.Item>
          {r.status === 'answered' && (
            <>
              <Descriptions.Item label={t('verify.outcomeLabel')}>{t(`verify.outcome.${r.outcome ?? 'confirmed'}`)}</Descriptions.Item>
              <Descriptions.Item label={t('verify.answerValue')}>{r.answerValue}</Descriptions.Item>
              <Descriptions.Item label={t('verify.answerNote')} span={2}>
                {r.answerNote || '—'}
              </Descriptions.Item>
            </>
          )}
        </Descriptions>
      </Card>
      {r.platformValues && (
        <Card title={t('verify.platformValues')} style={{ marginBottom: 16 }} size="small">
          {r.platformValues.length === 0 ? (
            <Typography.Text type="secondary">{t('verify.platformValuesNone')}</Typography.Text>
          ) : (
            <Descriptions column={1} size="small">
              {r.platformValues.map((v) => (
                <Descriptions.Item key={`${v.dataset}-${v.itemEn}`} label={`${v.dataset} · ${v.item}`}>
                  {v.value ?? '—'}
                  <span className="ht-muted" style={{ marginLeft: 8 }}>
                    {formatDateTime(v.updatedAt)}
                  </span>
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </Card>
      )}
      {r.canAnswer && <AnswerForm id={r.id} reportedValue={r.reportedValue} />}
    </PageContainer>
  );
}

/** The responsible department confirms its value or corrects it. */
function AnswerForm({ id, reportedValue }: { id: string; reportedValue: string }) {
  const { t } = useI18n();
  const notify = useNotify();
  const answer = useAnswerVerification(id);
  const [form] = Form.useForm<AnswerInput>();
  return (
    <Card title={t('verify.answer')}>
      <Form<AnswerInput>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'corrected', value: reportedValue }}
        onFinish={(values) => answer.mutate(values, { onSuccess: () => notify.success(t('verify.answered.done')), onError: notify.error })}
        style={{ maxWidth: 640 }}
      >
        <Form.Item name="outcome" label={t('verify.outcomeLabel')} rules={[{ required: true }]}>
          <Radio.Group
            options={VERIFICATION_OUTCOMES.map((o) => ({ value: o, label: t(`verify.outcome.${o}`) }))}
            optionType="button"
            data-testid="verify-outcome"
          />
        </Form.Item>
        <Form.Item name="value" label={t('verify.answerValue')} extra={t('verify.answerValueHelp')} rules={[{ required: true, whitespace: true, message: t('verify.valueRequired') }]}>
          <Input maxLength={2000} data-testid="verify-answer-value" />
        </Form.Item>
        <Form.Item name="note" label={t('verify.answerNote')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={answer.isPending} data-testid="verify-answer-submit">
          {t('verify.submitAnswer')}
        </Button>
      </Form>
    </Card>
  );
}
