import { SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, Result, Table, type TableColumnsType, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { type DataItem, useEntry, useEntryVersion } from '../../api/catalog';
import { useSubmitShareRequest } from '../../api/sharing';
import { PageContainer } from '../../components/page-container';
import { ErrorState, Loading, ProblemAlert } from '../../components/states';
import { ShareTypeTag } from '../../components/tags';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { showFieldErrors } from '../../lib/form-errors';
import { useNotify } from '../../lib/notify';
import { canApplyForEntry } from '../../lib/permissions';
import './sharing.css';

type ApplyValues = {
  duties: Record<string, string | undefined>;
  purpose: string;
  scope: string;
  period: [Dayjs, Dayjs];
  legalBasis?: string;
};

/**
 * 申请共享: a consumer department's sharing officer picks data items of another department's
 * published entry, names the legal duty each serves, and states purpose, scope and period;
 * not-shared data needs a legal basis (C1–C2).
 */
export default function ApplyPage() {
  const { entryId = '' } = useParams();
  const { t } = useI18n();
  const me = useCurrentUser();
  const entry = useEntry(entryId);
  const e = entry.data;
  // Another department sees the published version as `current`; fetch it when a newer draft is shown instead.
  const needsPublished = Boolean(e && e.publishedVersion !== null && e.current.version !== e.publishedVersion);
  const published = useEntryVersion(entryId, needsPublished ? (e?.publishedVersion ?? undefined) : undefined);

  if (entry.isPending) return <Loading />;
  if (entry.error || !e) return <ErrorState error={entry.error} onRetry={() => void entry.refetch()} />;
  if (!canApplyForEntry(me, e)) {
    return (
      <PageContainer title={t('share.apply.title')} back={`/catalog/entries/${e.id}`}>
        <Result status="warning" title={t('share.apply.notAllowed')} subTitle={t('share.apply.notAllowedHint')} />
      </PageContainer>
    );
  }
  if (needsPublished && published.isPending) return <Loading />;
  if (needsPublished && (published.error || !published.data)) {
    return <ErrorState error={published.error} onRetry={() => void published.refetch()} />;
  }
  const version = needsPublished && published.data ? published.data : e.current;
  return (
    <PageContainer title={t('share.apply.title')} subtitle={`${version.name} · ${e.departmentName}`} back={`/catalog/entries/${e.id}`}>
      <ApplyForm entryId={e.id} code={e.code} departmentName={e.departmentName} version={version} />
    </PageContainer>
  );
}

function ApplyForm({
  entryId,
  code,
  departmentName,
  version,
}: {
  entryId: string;
  code: string;
  departmentName: string;
  version: { name: string; shareType: 'unconditional' | 'conditional' | 'none'; shareConditions: string | null; legalBasis: string | null; items: DataItem[] };
}) {
  const { t } = useI18n();
  const notify = useNotify();
  const navigate = useNavigate();
  const submit = useSubmitShareRequest();
  const [form] = Form.useForm<ApplyValues>();
  const [selected, setSelected] = useState<string[]>([]);
  const [noneSelected, setNoneSelected] = useState(false);
  const notShared = version.shareType === 'none';

  const initialValues = useMemo(() => {
    const from = dayjs();
    return { period: [from, from.add(1, 'year').subtract(1, 'day')] as [Dayjs, Dayjs], duties: {} };
  }, []);

  const onFinish = (v: ApplyValues) => {
    if (selected.length === 0) {
      setNoneSelected(true);
      return;
    }
    // In the entry's order: the server's `items[n]` problems point into this list.
    const chosen = version.items.map((i) => i.nameEn).filter((n) => selected.includes(n));
    submit.mutate(
      {
        entry: entryId,
        items: chosen.map((nameEn) => ({ nameEn, duty: (v.duties[nameEn] ?? '').trim() })),
        purpose: v.purpose.trim(),
        scope: v.scope.trim(),
        legalBasis: (v.legalBasis ?? '').trim(),
        periodFrom: v.period[0].format('YYYY-MM-DD'),
        periodUntil: v.period[1].format('YYYY-MM-DD'),
      },
      {
        onSuccess: (created) => {
          notify.success(created.dueOn ? t('share.apply.doneDue', { no: created.no, date: created.dueOn }) : t('share.apply.done', { no: created.no }));
          void navigate(`/sharing/requests/${created.id}`);
        },
        onError: (err) =>
          showFieldErrors(form, err, (path) => {
            const [head, n, field] = path;
            if (head === 'items' && typeof n === 'number') return field === 'duty' || field === 'nameEn' ? ['duties', chosen[n] ?? ''] : null;
            if (head === 'periodFrom' || head === 'periodUntil') return ['period'];
            return typeof head === 'string' && ['purpose', 'scope', 'legalBasis'].includes(head) ? [head] : null;
          }),
      },
    );
  };

  const columns: TableColumnsType<DataItem> = [
    { title: t('share.itemName'), dataIndex: 'name', width: 180 },
    { title: t('share.itemNameEn'), dataIndex: 'nameEn', width: 200, render: (v: string) => <span className="ht-mono">{v}</span> },
    {
      title: t('share.duty'),
      key: 'duty',
      render: (_, item) => {
        const on = selected.includes(item.nameEn);
        return (
          <Form.Item
            name={['duties', item.nameEn]}
            style={{ margin: 0 }}
            rules={on ? [{ required: true, whitespace: true, message: t('share.dutyRequired') }, { min: 2, max: 500, message: t('share.dutyLength') }] : []}
          >
            <Input
              disabled={!on}
              maxLength={500}
              placeholder={on ? t('share.dutyPlaceholder') : t('share.dutyPick')}
              aria-label={`${t('share.duty')} ${item.name}`}
              data-testid={`apply-duty-${item.nameEn}`}
            />
          </Form.Item>
        );
      },
    },
  ];

  return (
    <Form<ApplyValues>
      form={form}
      layout="vertical"
      onFinish={onFinish}
      onFinishFailed={() => setNoneSelected(selected.length === 0)}
      initialValues={initialValues}
      scrollToFirstError
    >
      <Card className="ht-share-section">
        <Descriptions column={{ xs: 1, md: 2 }} size="small">
          <Descriptions.Item label={t('share.entry')}>
            <Link to={`/catalog/entries/${entryId}`}>{version.name}</Link> <span className="ht-mono ht-muted">{code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('share.provider')}>{departmentName}</Descriptions.Item>
          <Descriptions.Item label={t('share.shareType')}>
            <ShareTypeTag value={version.shareType} />
          </Descriptions.Item>
          <Descriptions.Item label={t('share.entryLegalBasis')}>{version.legalBasis || '—'}</Descriptions.Item>
          {version.shareConditions && (
            <Descriptions.Item label={t('share.shareConditions')} span={2}>
              {version.shareConditions}
            </Descriptions.Item>
          )}
        </Descriptions>
        {notShared && <Alert type="warning" showIcon title={t('share.apply.notSharedHint')} style={{ marginTop: 12 }} />}
        {version.shareType === 'conditional' && <Alert type="info" showIcon title={t('share.apply.conditionalHint')} style={{ marginTop: 12 }} />}
      </Card>

      <Card
        className="ht-share-section"
        title={t('share.apply.itemsTitle', { selected: selected.length, total: version.items.length })}
        extra={<Typography.Text type="secondary">{t('share.apply.itemsHint')}</Typography.Text>}
      >
        {noneSelected && selected.length === 0 && <Alert type="error" showIcon title={t('share.apply.pickItems')} style={{ marginBottom: 12 }} />}
        <div data-testid="apply-items">
          <Table<DataItem>
            rowKey="nameEn"
            size="small"
            columns={columns}
            dataSource={version.items}
            pagination={false}
            scroll={{ x: 'max-content' }}
            rowSelection={{
              selectedRowKeys: selected,
              onChange: (keys) => setSelected(keys.map(String)),
              getCheckboxProps: (item) => ({ 'aria-label': item.name }),
            }}
          />
        </div>
      </Card>

      <Card className="ht-share-section" title={t('share.apply.useTitle')}>
        <Form.Item name="purpose" label={t('share.purpose')} rules={[{ required: true, whitespace: true, message: t('share.purposeRequired') }, { min: 2, max: 1000 }]}>
          <Input.TextArea rows={2} maxLength={1000} showCount placeholder={t('share.purposePlaceholder')} data-testid="apply-purpose" />
        </Form.Item>
        <Form.Item name="scope" label={t('share.scope')} rules={[{ required: true, whitespace: true, message: t('share.scopeRequired') }, { min: 2, max: 1000 }]}>
          <Input.TextArea rows={2} maxLength={1000} showCount placeholder={t('share.scopePlaceholder')} data-testid="apply-scope" />
        </Form.Item>
        <Form.Item name="period" label={t('share.period')} rules={[{ required: true, message: t('share.periodRequired') }]}>
          <DatePicker.RangePicker allowClear={false} data-testid="apply-period" />
        </Form.Item>
        <Form.Item
          name="legalBasis"
          label={t('share.legalBasis')}
          extra={notShared ? t('share.legalBasisRequiredHint') : t('share.legalBasisHint')}
          rules={notShared ? [{ required: true, whitespace: true, message: t('share.legalBasisRequired') }] : []}
        >
          <Input.TextArea rows={2} maxLength={2000} showCount data-testid="apply-legal-basis" />
        </Form.Item>
        {submit.error && <ProblemAlert error={submit.error} />}
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={submit.isPending} style={{ marginTop: 12 }} data-testid="apply-submit">
          {t('share.apply.submit')}
        </Button>
      </Card>
    </Form>
  );
}
