import { UserAddOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Radio } from 'antd';
import { useNavigate } from 'react-router';
import { PUBLIC_CATEGORIES, type PublicObjectionInput, STAFF_CHANNELS, useFileDispute } from '../../api/disputes';
import type { IdType } from '../../api/verifications';
import { PageContainer } from '../../components/page-container';
import { ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { showFieldErrors } from '../../lib/form-errors';
import { useNotify } from '../../lib/notify';
import { DatasetPicker, DescriptionField, SubjectFields } from './dispute-parts';

type Values = {
  dataset?: string;
  category: PublicObjectionInput['category'];
  channel: PublicObjectionInput['channel'];
  description: string;
  idType: IdType;
  id: string;
};

/**
 * 登记公众异议 (D2): the authority's staff take a person's objection to data about them, received
 * at the counter or by phone. The person's identifier is required; it is typed into the form only,
 * sent once, and shown masked from then on.
 */
export default function FileObjectionPage() {
  const { t } = useI18n();
  const notify = useNotify();
  const navigate = useNavigate();
  const file = useFileDispute();
  const [form] = Form.useForm<Values>();

  const onFinish = (v: Values) =>
    file.mutate(
      {
        kind: 'public_objection',
        dataset: v.dataset ?? '',
        category: v.category,
        channel: v.channel,
        description: v.description.trim(),
        idType: v.idType,
        id: v.id.trim(),
      },
      {
        onSuccess: (created) => {
          form.resetFields();
          notify.success(t('dispute.objectionFiled', { no: created.no, date: created.dueOn ?? '' }));
          void navigate(`/disputes/${created.id}`);
        },
        onError: (err) => showFieldErrors(form, err),
      },
    );

  return (
    <PageContainer title={t('dispute.fileObjection')} subtitle={t('dispute.fileObjection.subtitle')} back="/disputes">
      <Card className="ht-dispute-form">
        <Alert type="info" showIcon title={t('dispute.fileObjection.hint')} style={{ marginBottom: 16 }} />
        {Boolean(file.error) && (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={file.error} />
          </div>
        )}
        <Form<Values> form={form} layout="vertical" onFinish={onFinish} initialValues={{ category: 'error', channel: 'counter', idType: 'citizen_id' }}>
          <Form.Item name="channel" label={t('dispute.channel')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={STAFF_CHANNELS.map((c) => ({ value: c, label: t(`dispute.channel.${c}`) }))}
              data-testid="dispute-channel"
            />
          </Form.Item>
          <SubjectFields required />
          <Form.Item name="dataset" label={t('dispute.dataset')} rules={[{ required: true, message: t('dispute.datasetRequired') }]}>
            <DatasetPicker />
          </Form.Item>
          <Form.Item name="category" label={t('dispute.category')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={PUBLIC_CATEGORIES.map((c) => ({ value: c, label: t(`dispute.category.${c}`) }))}
              data-testid="dispute-category"
            />
          </Form.Item>
          <DescriptionField />
          <Button type="primary" htmlType="submit" icon={<UserAddOutlined />} loading={file.isPending} data-testid="dispute-submit">
            {t('dispute.submitObjection')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
