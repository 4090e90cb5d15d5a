import { ExceptionOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Radio } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { DEPARTMENT_CATEGORIES, type DepartmentDisputeInput, useFileDispute } from '../../api/disputes';
import type { IdType } from '../../api/verifications';
import { PageContainer } from '../../components/page-container';
import { ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { showFieldErrors } from '../../lib/form-errors';
import { useNotify } from '../../lib/notify';
import { DatasetPicker, DescriptionField, SubjectFields } from './dispute-parts';

type Values = {
  dataset?: string;
  category: DepartmentDisputeInput['category'];
  description: string;
  idType?: IdType;
  id?: string;
};

/**
 * 提出异议 (D1): a department disputes shared data of another department, the whole dataset or
 * one record of it. The dataset may come preselected from the entry page (`?dataset=<entry id>`);
 * a subject's number is typed into the form only and never enters the page address.
 */
export default function FileDisputePage() {
  const { t } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const file = useFileDispute();
  const [form] = Form.useForm<Values>();

  const onFinish = (v: Values) => {
    const subject = v.idType && v.id?.trim() ? { idType: v.idType, id: v.id.trim() } : {};
    file.mutate(
      { kind: 'department_dispute', dataset: v.dataset ?? '', category: v.category, description: v.description.trim(), ...subject },
      {
        onSuccess: (created) => {
          form.resetFields();
          notify.success(t('dispute.filed', { no: created.no, date: created.dueOn ?? '' }));
          void navigate(`/disputes/${created.id}`);
        },
        onError: (err) => showFieldErrors(form, err),
      },
    );
  };

  return (
    <PageContainer title={t('dispute.file')} subtitle={t('dispute.file.subtitle')} back="/disputes">
      <Card className="ht-dispute-form">
        <Alert type="info" showIcon title={t('dispute.file.hint')} style={{ marginBottom: 16 }} />
        {Boolean(file.error) && (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={file.error} />
          </div>
        )}
        <Form<Values>
          form={form}
          layout="vertical"
          onFinish={onFinish}
          initialValues={{ dataset: params.get('dataset') ?? undefined, category: 'content' }}
        >
          <Form.Item name="dataset" label={t('dispute.dataset')} rules={[{ required: true, message: t('dispute.datasetRequired') }]}>
            <DatasetPicker excludeDepartmentId={me.departmentId} />
          </Form.Item>
          <Form.Item name="category" label={t('dispute.category')} rules={[{ required: true }]}>
            <Radio.Group
              optionType="button"
              options={DEPARTMENT_CATEGORIES.map((c) => ({ value: c, label: t(`dispute.category.${c}`) }))}
              data-testid="dispute-category"
            />
          </Form.Item>
          <DescriptionField />
          <SubjectFields required={false} />
          <Button type="primary" htmlType="submit" icon={<ExceptionOutlined />} loading={file.isPending} data-testid="dispute-submit">
            {t('dispute.submit')}
          </Button>
        </Form>
      </Card>
    </PageContainer>
  );
}
