import { AuditOutlined, CloudUploadOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, InputNumber, Radio, Select, Switch, Table, type TableColumnsType, Typography } from 'antd';
import {
  DEFAULT_DAILY_QUOTA,
  type Masking,
  MASKINGS,
  type NegotiationInput,
  type RequestedItem,
  type RulingInput,
  type ShareAction,
  type ShareRequestDetail,
  useAnswerShareRequest,
  useProvideShareRequest,
  useRecordNegotiation,
  useRecordRuling,
} from '../../api/sharing';
import { ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { showFieldErrors } from '../../lib/form-errors';
import { useNotify } from '../../lib/notify';

type ItemTerms = { granted: boolean; masking: Masking };
type AnswerValues = { decisions: Record<string, ItemTerms>; dailyQuota: number; reason?: string; legalBasis?: string };

/** The masking choice of one item. */
function MaskingSelect(props: { value?: Masking; onChange?: (v: Masking) => void; disabled?: boolean; testId: string; label: string }) {
  const { t } = useI18n();
  return (
    <Select<Masking>
      value={props.value}
      onChange={props.onChange}
      disabled={props.disabled}
      style={{ width: 130 }}
      aria-label={props.label}
      options={MASKINGS.map((m) => ({ value: m, label: t(`share.masking.${m}`) }))}
      data-testid={props.testId}
    />
  );
}

/** The daily call quota of the grant. */
function QuotaItem() {
  const { t } = useI18n();
  return (
    <Form.Item
      name="dailyQuota"
      label={t('share.dailyQuota')}
      extra={t('share.dailyQuotaHint')}
      rules={[{ required: true, message: t('share.dailyQuotaRequired') }]}
    >
      <InputNumber min={1} max={10_000_000} precision={0} style={{ width: 200 }} data-testid="share-quota" />
    </Form.Item>
  );
}

/** Maps the server's `items[n].…` problems to the row of the n-th requested item. */
const itemField = (items: RequestedItem[], leaf: keyof ItemTerms) => (path: (string | number)[]) => {
  const [head, n] = path;
  if (head === 'items' && typeof n === 'number') return ['decisions', items[n]?.nameEn ?? '', leaf];
  return typeof head === 'string' && ['reason', 'legalBasis', 'dailyQuota'].includes(head) ? [head] : null;
};

/**
 * The provider's answer: grant or refuse each requested item, how granted ones are masked, the
 * daily quota; any refusal needs reasons and a legal basis (C3), checked here before sending.
 */
export function AnswerForm({ request: r }: { request: ShareRequestDetail }) {
  const { t } = useI18n();
  const notify = useNotify();
  const answer = useAnswerShareRequest(r.id);
  const [form] = Form.useForm<AnswerValues>();
  const decisions = Form.useWatch('decisions', form);
  const refused = r.items.filter((i) => decisions?.[i.nameEn]?.granted === false).length;
  const granted = r.items.length - refused;

  const onFinish = (v: AnswerValues) =>
    answer.mutate(
      {
        items: r.items.map((i) => ({ nameEn: i.nameEn, granted: v.decisions[i.nameEn]?.granted ?? true, masking: v.decisions[i.nameEn]?.masking ?? 'none' })),
        reason: (v.reason ?? '').trim(),
        legalBasis: (v.legalBasis ?? '').trim(),
        dailyQuota: v.dailyQuota,
      },
      {
        onSuccess: () => notify.success(granted === 0 ? t('share.answer.refusedDone') : t('share.answer.grantedDone')),
        onError: (err) => showFieldErrors(form, err, itemField(r.items, 'granted')),
      },
    );

  const columns: TableColumnsType<RequestedItem> = [
    { title: t('share.itemName'), dataIndex: 'name', width: 160 },
    { title: t('share.duty'), dataIndex: 'duty', render: (v: string) => <span className="ht-share-note">{v}</span> },
    {
      title: t('share.decisionLabel'),
      key: 'granted',
      width: 110,
      render: (_, item) => (
        <Form.Item name={['decisions', item.nameEn, 'granted']} valuePropName="checked" style={{ margin: 0 }}>
          <Switch
            checkedChildren={t('share.decision.granted')}
            unCheckedChildren={t('share.decision.refused')}
            aria-label={`${t('share.decisionLabel')} ${item.name}`}
            data-testid={`answer-granted-${item.nameEn}`}
          />
        </Form.Item>
      ),
    },
    {
      title: t('share.masking'),
      key: 'masking',
      width: 150,
      render: (_, item) => (
        <Form.Item name={['decisions', item.nameEn, 'masking']} style={{ margin: 0 }}>
          <MaskingSelect
            disabled={decisions?.[item.nameEn]?.granted === false}
            testId={`answer-masking-${item.nameEn}`}
            label={`${t('share.masking')} ${item.name}`}
          />
        </Form.Item>
      ),
    },
  ];

  const refusing = refused > 0;
  return (
    <Card
      title={
        <span>
          <AuditOutlined /> {t('share.answer.title')}
        </span>
      }
      className="ht-share-section"
    >
      <Form<AnswerValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          decisions: Object.fromEntries(r.items.map((i) => [i.nameEn, { granted: true, masking: 'none' }])),
          dailyQuota: DEFAULT_DAILY_QUOTA,
        }}
      >
        <div data-testid="answer-items">
          <Table<RequestedItem> rowKey="nameEn" size="small" columns={columns} dataSource={r.items} pagination={false} scroll={{ x: 'max-content' }} />
        </div>
        <Typography.Paragraph style={{ margin: '12px 0' }} data-testid="answer-summary">
          {granted === 0
            ? t('share.answer.summaryRefuse')
            : refused === 0
              ? t('share.answer.summaryGrant', { count: granted })
              : t('share.answer.summaryPartial', { granted, refused })}
        </Typography.Paragraph>
        {granted > 0 && <QuotaItem />}
        {refusing && (
          <>
            <Alert type="warning" showIcon title={t('share.answer.reasonHint')} style={{ marginBottom: 12 }} />
            <Form.Item
              name="reason"
              label={t('share.refusalReason')}
              rules={[{ required: true, whitespace: true, message: t('share.answer.reasonRequired') }, { max: 2000 }]}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount data-testid="answer-reason" />
            </Form.Item>
            <Form.Item
              name="legalBasis"
              label={t('share.refusalLegalBasis')}
              rules={[{ required: true, whitespace: true, message: t('share.answer.legalBasisRequired') }, { max: 2000 }]}
            >
              <Input.TextArea rows={2} maxLength={2000} showCount data-testid="answer-legal-basis" />
            </Form.Item>
          </>
        )}
        {r.shareType !== 'unconditional' && granted > 0 && <Alert type="info" showIcon title={t('share.answer.agreementNext')} style={{ marginBottom: 12 }} />}
        {answer.error && <ProblemAlert error={answer.error} />}
        <Button
          type="primary"
          danger={granted === 0}
          htmlType="submit"
          icon={<SendOutlined />}
          loading={answer.isPending}
          style={{ marginTop: 12 }}
          data-testid="answer-submit"
        >
          {granted === 0 ? t('share.answer.submitRefuse') : t('share.answer.submit')}
        </Button>
      </Form>
    </Card>
  );
}

type ProvideValues = { decisions: Record<string, ItemTerms>; dailyQuota: number };

/**
 * The provider provides: the grant starts. After a negotiation or ruling (status 'ordered') the
 * provider sets here how each item is masked and the daily quota.
 */
export function ProvideForm({ request: r }: { request: ShareRequestDetail }) {
  const { t } = useI18n();
  const notify = useNotify();
  const provide = useProvideShareRequest(r.id);
  const [form] = Form.useForm<ProvideValues>();
  const ordered = r.status === 'ordered';
  const onFinish = (v: ProvideValues) =>
    provide.mutate(ordered ? { items: r.items.map((i) => ({ nameEn: i.nameEn, masking: v.decisions[i.nameEn]?.masking ?? 'none' })), dailyQuota: v.dailyQuota } : {}, {
      onSuccess: () => notify.success(t('share.provide.done')),
      onError: (err) => showFieldErrors(form, err, itemField(r.items, 'masking')),
    });
  const columns: TableColumnsType<RequestedItem> = [
    { title: t('share.itemName'), dataIndex: 'name', width: 160 },
    { title: t('share.itemNameEn'), dataIndex: 'nameEn', width: 200, render: (v: string) => <span className="ht-mono">{v}</span> },
    {
      title: t('share.masking'),
      key: 'masking',
      render: (_, item) => (
        <Form.Item name={['decisions', item.nameEn, 'masking']} style={{ margin: 0 }}>
          <MaskingSelect testId={`provide-masking-${item.nameEn}`} label={`${t('share.masking')} ${item.name}`} />
        </Form.Item>
      ),
    },
  ];
  return (
    <Card
      title={
        <span>
          <CloudUploadOutlined /> {t('share.provide.title')}
        </span>
      }
      className="ht-share-section"
    >
      <Form<ProvideValues>
        form={form}
        layout="vertical"
        onFinish={onFinish}
        initialValues={{
          decisions: Object.fromEntries(r.items.map((i) => [i.nameEn, { granted: true, masking: 'none' }])),
          dailyQuota: DEFAULT_DAILY_QUOTA,
        }}
      >
        <Typography.Paragraph type="secondary">{ordered ? t('share.provide.orderedHint') : t('share.provide.hint')}</Typography.Paragraph>
        {ordered && (
          <>
            <Table<RequestedItem> rowKey="nameEn" size="small" columns={columns} dataSource={r.items} pagination={false} style={{ marginBottom: 16 }} />
            <QuotaItem />
          </>
        )}
        {provide.error && <ProblemAlert error={provide.error} />}
        <Button type="primary" htmlType="submit" icon={<CloudUploadOutlined />} loading={provide.isPending} style={{ marginTop: 12 }} data-testid="provide-submit">
          {t('share.provide.submit')}
        </Button>
      </Form>
    </Card>
  );
}

const NEGOTIATION_OUTCOMES: [NegotiationInput['outcome'], ShareAction][] = [
  ['share', 'negotiate_share'],
  ['refuse', 'negotiate_refuse'],
  ['no_agreement', 'negotiate_fail'],
];

/** The authority's record of the negotiation it convened; published to every department (C4). */
export function NegotiationForm({ request: r }: { request: ShareRequestDetail }) {
  const { t } = useI18n();
  const notify = useNotify();
  const negotiate = useRecordNegotiation(r.id);
  const [form] = Form.useForm<NegotiationInput>();
  const outcomes = NEGOTIATION_OUTCOMES.filter(([, action]) => r.actions.includes(action));
  return (
    <Card title={t('share.negotiation.title')} className="ht-share-section">
      <Typography.Paragraph type="secondary">{t('share.negotiation.hint')}</Typography.Paragraph>
      <Form<NegotiationInput>
        form={form}
        layout="vertical"
        style={{ maxWidth: 760 }}
        onFinish={(v) =>
          negotiate.mutate(
            { outcome: v.outcome, record: v.record.trim() },
            { onSuccess: () => notify.success(t('share.negotiation.done')), onError: (err) => showFieldErrors(form, err) },
          )
        }
      >
        <Form.Item name="outcome" label={t('share.negotiation.outcome')} rules={[{ required: true, message: t('share.negotiation.outcomeRequired') }]}>
          <Radio.Group
            optionType="button"
            options={outcomes.map(([o]) => ({ value: o, label: t(`share.negotiation.${o}`) }))}
            data-testid="negotiation-outcome"
          />
        </Form.Item>
        <Form.Item
          name="record"
          label={t('share.negotiation.record')}
          rules={[{ required: true, whitespace: true, message: t('share.recordRequired') }, { min: 2, max: 5000 }]}
        >
          <Input.TextArea rows={5} maxLength={5000} showCount data-testid="negotiation-record" />
        </Form.Item>
        {negotiate.error && <ProblemAlert error={negotiate.error} />}
        <Button type="primary" htmlType="submit" loading={negotiate.isPending} style={{ marginTop: 12 }} data-testid="negotiation-submit">
          {t('share.negotiation.submit')}
        </Button>
      </Form>
    </Card>
  );
}

const RULINGS: [RulingInput['ruling'], ShareAction][] = [
  ['share', 'rule_share'],
  ['refuse', 'rule_refuse'],
];

/** The city government's ruling after the joint review, recorded by the authority (C4). */
export function RulingForm({ request: r }: { request: ShareRequestDetail }) {
  const { t } = useI18n();
  const notify = useNotify();
  const rule = useRecordRuling(r.id);
  const [form] = Form.useForm<RulingInput>();
  const rulings = RULINGS.filter(([, action]) => r.actions.includes(action));
  return (
    <Card title={t('share.rulingForm.title')} className="ht-share-section">
      <Typography.Paragraph type="secondary">{t('share.rulingForm.hint')}</Typography.Paragraph>
      <Form<RulingInput>
        form={form}
        layout="vertical"
        style={{ maxWidth: 760 }}
        onFinish={(v) =>
          rule.mutate({ ruling: v.ruling, record: v.record.trim() }, { onSuccess: () => notify.success(t('share.rulingForm.done')), onError: (err) => showFieldErrors(form, err) })
        }
      >
        <Form.Item name="ruling" label={t('share.rulingLabel')} rules={[{ required: true, message: t('share.rulingForm.rulingRequired') }]}>
          <Radio.Group optionType="button" options={rulings.map(([o]) => ({ value: o, label: t(`share.ruling.${o}`) }))} data-testid="ruling-choice" />
        </Form.Item>
        <Form.Item name="record" label={t('share.rulingForm.record')} rules={[{ required: true, whitespace: true, message: t('share.recordRequired') }, { min: 2, max: 5000 }]}>
          <Input.TextArea rows={5} maxLength={5000} showCount data-testid="ruling-record" />
        </Form.Item>
        {rule.error && <ProblemAlert error={rule.error} />}
        <Button type="primary" htmlType="submit" loading={rule.isPending} style={{ marginTop: 12 }} data-testid="ruling-submit">
          {t('share.rulingForm.submit')}
        </Button>
      </Form>
    </Card>
  );
}
