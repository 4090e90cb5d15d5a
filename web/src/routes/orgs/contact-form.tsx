import { Alert, DatePicker, Form, Input, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { type Contact, type ContactRole, usePutContact } from '../../api/orgs';
import { ProblemAlert } from '../../components/states';
import { useT } from '../../i18n';
import { todayInShanghai } from '../../lib/format';
import { useNotify } from '../../lib/notify';

type Values = { name: string; phone: string; email: string; effectiveOn: Dayjs };

type Props = {
  departmentId: string;
  role: ContactRole | null;
  current?: Contact;
  onClose: () => void;
};

/** Reports a change of one of the three contacts, effective on a date. */
export function ContactFormModal({ departmentId, role, current, onClose }: Props) {
  const t = useT();
  const notify = useNotify();
  const put = usePutContact(departmentId);
  const [form] = Form.useForm<Values>();

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the dialog opens for a role, never while the user types
  useEffect(() => {
    if (role) {
      put.reset();
      form.setFieldsValue({
        name: current?.name ?? '',
        phone: current?.phone ?? '',
        email: current?.email ?? '',
        effectiveOn: dayjs(todayInShanghai()),
      });
    }
  }, [role, current]);

  const submit = (values: Values) => {
    if (!role) return;
    put.mutate(
      {
        role,
        name: values.name.trim(),
        phone: values.phone.trim(),
        email: values.email.trim(),
        effectiveOn: values.effectiveOn.format('YYYY-MM-DD'),
      },
      {
        onSuccess: (contact) => {
          notify.success(contact.isLate ? t('contact.savedLate') : t('contact.saved'));
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      open={role !== null}
      title={role ? t('contact.changeTitle', { role: t(`contact.role.${role}`) }) : ''}
      okText={t('contact.report')}
      cancelText={t('common.cancel')}
      confirmLoading={put.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      forceRender
    >
      <Alert type="info" showIcon title={t('contact.deadlineHint')} style={{ marginBottom: 16 }} />
      {put.error && <ProblemAlert error={put.error} />}
      <Form<Values> form={form} layout="vertical" onFinish={submit} style={{ marginTop: 12 }}>
        <Form.Item name="name" label={t('contact.name')} rules={[{ required: true, whitespace: true }, { min: 2 }, { max: 50 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="phone"
          label={t('contact.phone')}
          rules={[
            { required: true, whitespace: true },
            { pattern: /^[0-9+\- ]{7,20}$/, message: t('contact.phoneInvalid') },
          ]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="email" label={t('contact.email')} rules={[{ required: true }, { type: 'email' }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="effectiveOn"
          label={t('contact.effectiveOn')}
          rules={[{ required: true }]}
          extra={t('contact.effectiveOnHelp')}
        >
          <DatePicker
            style={{ width: '100%' }}
            disabledDate={(d) => d.isAfter(dayjs(todayInShanghai()), 'day')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
