import { Col, Form, Input, Modal, Row, Select } from 'antd';
import { useEffect } from 'react';
import { DEPARTMENT_KINDS, type Department, type DepartmentInput, useRegions } from '../../api/orgs';
import { DepartmentSelect } from '../../components/department-select';
import { ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { isPlausibleUscc } from '../../lib/uscc';

type Props = {
  open: boolean;
  department?: Department;
  pending: boolean;
  error: unknown;
  onSubmit: (input: DepartmentInput) => void;
  onCancel: () => void;
};

/** Create or edit a department (platform_admin). */
export function DepartmentFormModal({ open, department, pending, error, onSubmit, onCancel }: Props) {
  const { t, tMaybe, pick } = useI18n();
  const regions = useRegions();
  const [form] = Form.useForm<DepartmentInput>();

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (department) {
        form.setFieldsValue({
          name: department.name,
          nameEn: department.nameEn,
          uscc: department.uscc,
          regionCode: department.regionCode,
          kind: department.kind,
          parentId: department.parentId,
        });
      }
    }
  }, [open, department, form]);

  return (
    <Modal
      open={open}
      title={department ? t('dept.edit') : t('dept.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      onOk={() => form.submit()}
      onCancel={onCancel}
      width={680}
      forceRender
    >
      {Boolean(error) && <ProblemAlert error={error} />}
      <Form<DepartmentInput>
        form={form}
        layout="vertical"
        style={{ marginTop: 12 }}
        initialValues={{ kind: 'government', parentId: null }}
        onFinish={(values) =>
          onSubmit({
            name: values.name.trim(),
            nameEn: (values.nameEn ?? '').trim(),
            uscc: values.uscc.trim().toUpperCase(),
            regionCode: values.regionCode,
            kind: values.kind,
            parentId: values.parentId ?? null,
          })
        }
      >
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label={t('dept.name')} rules={[{ required: true, whitespace: true }, { min: 2 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="nameEn" label={t('dept.nameEn')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="uscc"
              label={t('dept.uscc')}
              rules={[
                { required: true, whitespace: true },
                {
                  validator: (_, value: string | undefined) =>
                    !value || isPlausibleUscc(value) ? Promise.resolve() : Promise.reject(new Error(t('dept.usccInvalid'))),
                },
              ]}
            >
              <Input className="ht-mono" maxLength={18} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="regionCode" label={t('dept.region')} rules={[{ required: true }]}>
              <Select
                showSearch={{ optionFilterProp: 'label' }}
                loading={regions.isLoading}
                options={(regions.data?.items ?? []).map((r) => ({ value: r.code, label: t('common.withCode', { name: pick(r.name, r.nameEn), code: r.code }) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('dept.kind')} rules={[{ required: true }]}>
              <Select
                options={DEPARTMENT_KINDS.map((k) => ({ value: k, label: tMaybe(`deptKind.${k}`, k) }))}
              />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="parentId" label={t('dept.parent')}>
              <DepartmentSelect exclude={department ? [department.id] : []} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
