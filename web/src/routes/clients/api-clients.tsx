import { KeyOutlined, PlusOutlined, SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Form, Input, Modal, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import {
  type ApiClient,
  type ApiClientInput,
  CLIENT_SCOPES,
  type ClientScope,
  type CreatedApiClient,
  SCOPE_LABELS,
  useApiClients,
  useCreateApiClient,
  useRevokeApiClient,
} from '../../api/clients';
import { useDepartments } from '../../api/orgs';
import { DepartmentSelect } from '../../components/department-select';
import { CopyField, OneTimeSecretModal } from '../../components/one-time-secret';
import { PageContainer } from '../../components/page-container';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { useCurrentUser } from '../../lib/current-user';
import { formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';
import { hasRole } from '../../lib/permissions';
import { CertificatesDrawer } from './client-certificates';

/** API 客户端: department systems' machine credentials for the collection API; the secret is shown once. */
export default function ApiClientsPage() {
  const { t, pick } = useI18n();
  const me = useCurrentUser();
  const notify = useNotify();
  const isPlatformAdmin = hasRole(me, 'platform_admin');
  const [departmentId, setDepartmentId] = useState<string | undefined>(undefined);
  const clients = useApiClients(isPlatformAdmin ? departmentId : undefined);
  const departments = useDepartments();
  const create = useCreateApiClient();
  const revoke = useRevokeApiClient();
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiClient | null>(null);
  const [revoking, setRevoking] = useState<ApiClient | null>(null);
  const [certsOf, setCertsOf] = useState<ApiClient | null>(null);
  const [createForm] = Form.useForm<ApiClientInput>();
  const [revokeForm] = Form.useForm<{ reason: string }>();

  const deptName = useMemo(() => {
    const map = new Map((departments.data?.items ?? []).map((d) => [d.id, pick(d.name, d.nameEn)]));
    return (id: string) => map.get(id) ?? (id === me.departmentId ? me.departmentName : id);
  }, [departments.data, pick, me]);

  const onCreate = (values: ApiClientInput) =>
    create.mutate(values, {
      onSuccess: (client) => {
        setCreating(false);
        createForm.resetFields();
        setCreated(client);
      },
    });

  const onRevoke = ({ reason }: { reason: string }) => {
    if (!revoking) return;
    revoke.mutate(
      { id: revoking.id, reason },
      {
        onSuccess: () => {
          notify.success(t('apiClients.revokedDone'));
          setRevoking(null);
          revokeForm.resetFields();
        },
      },
    );
  };

  const columns: TableColumnsType<ApiClient> = [
    { title: t('apiClients.name'), dataIndex: 'name' },
    ...(isPlatformAdmin
      ? [{ title: t('common.department'), dataIndex: 'departmentId', render: (v: string) => deptName(v) }]
      : []),
    {
      title: t('apiClients.clientId'),
      dataIndex: 'id',
      render: (v: string) => (
        <Typography.Text className="ht-mono" copyable={{ text: v }} style={{ fontSize: 12 }}>
          {v}
        </Typography.Text>
      ),
    },
    {
      title: t('apiClients.scopes'),
      dataIndex: 'scopes',
      render: (v: string[]) =>
        v.map((s) => (
          <Tag key={s}>
            {s in SCOPE_LABELS ? t(SCOPE_LABELS[s as ClientScope]) : s}
          </Tag>
        )),
    },
    { title: t('common.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v) },
    {
      title: t('apiClients.lastUsed'),
      dataIndex: 'lastUsedAt',
      render: (v: string | null) => (v ? formatDateTime(v, true) : <span className="ht-muted">{t('apiClients.never')}</span>),
    },
    {
      title: t('apiClients.status'),
      key: 'status',
      render: (_, c) =>
        c.revokedAt ? (
          <Space direction="vertical" size={0}>
            <Tag color="default">{t('apiClients.revoked')}</Tag>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(c.revokedAt)} {c.revokeReason}
            </Typography.Text>
          </Space>
        ) : (
          <Tag color="success">{t('apiClients.active')}</Tag>
        ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (_, c) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<SafetyCertificateOutlined />} onClick={() => setCertsOf(c)} data-testid="api-client-certs">
            {t('certs.open')}
          </Button>
          {!c.revokedAt && (
            <Button danger type="link" size="small" icon={<StopOutlined />} onClick={() => setRevoking(c)}>
              {t('apiClients.revoke')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <PageContainer
      title={t('nav.apiClients')}
      subtitle={t('apiClients.subtitle')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="api-client-new">
          {t('apiClients.new')}
        </Button>
      }
    >
      <Card>
        {isPlatformAdmin && (
          <DepartmentSelect value={departmentId} onChange={setDepartmentId} style={{ width: 260, marginBottom: 16 }} />
        )}
        {clients.error && <ProblemAlert error={clients.error} />}
        <Table<ApiClient>
          rowKey="id"
          columns={columns}
          dataSource={clients.data?.items ?? []}
          loading={clients.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{ emptyText: <EmptyState description={t('apiClients.empty')} /> }}
        />
      </Card>

      <Modal
        open={creating}
        title={t('apiClients.createTitle')}
        okText={t('apiClients.create')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        onOk={() => createForm.submit()}
        onCancel={() => setCreating(false)}
        forceRender
      >
        {create.error && <ProblemAlert error={create.error} />}
        <Form<ApiClientInput> form={createForm} layout="vertical" onFinish={onCreate} initialValues={{ scopes: ['collection:write'] }}>
          <Form.Item name="name" label={t('apiClients.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
            <Input placeholder={t('apiClients.namePlaceholder')} maxLength={100} data-testid="api-client-name" />
          </Form.Item>
          {isPlatformAdmin && (
            <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
              <DepartmentSelect />
            </Form.Item>
          )}
          <Form.Item name="scopes" label={t('apiClients.scopes')} rules={[{ required: true, type: 'array', min: 1 }]}>
            <Checkbox.Group
              options={CLIENT_SCOPES.map((s) => ({ value: s, label: `${t(SCOPE_LABELS[s])} (${s})` }))}
              data-testid="api-client-scopes"
            />
          </Form.Item>
        </Form>
      </Modal>

      <OneTimeSecretModal
        open={created !== null}
        icon={<KeyOutlined />}
        title={t('apiClients.secretTitle')}
        doneTestId="api-client-secret-done"
        onDone={() => {
          setCreated(null);
          create.reset();
        }}
      >
        {created && (
          <>
            <Alert type="warning" showIcon title={t('apiClients.secretOnce')} style={{ marginBottom: 16 }} />
            <CopyField label={t('apiClients.clientId')} value={created.id} testId="api-client-id" />
            <CopyField label={t('apiClients.secret')} value={created.secret} testId="api-client-secret" />
            <CopyField label={t('apiClients.authorization')} value={`Authorization: ${created.authorization}`} testId="api-client-authorization" />
          </>
        )}
      </OneTimeSecretModal>

      <CertificatesDrawer client={certsOf} onClose={() => setCertsOf(null)} />

      <Modal
        open={revoking !== null}
        title={t('apiClients.revokeTitle', { name: revoking?.name ?? '' })}
        okText={t('apiClients.revoke')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={revoke.isPending}
        onOk={() => revokeForm.submit()}
        onCancel={() => setRevoking(null)}
        forceRender
      >
        <Alert type="warning" showIcon title={t('apiClients.revokeHint')} style={{ marginBottom: 16 }} />
        {revoke.error && <ProblemAlert error={revoke.error} />}
        <Form form={revokeForm} layout="vertical" onFinish={onRevoke}>
          <Form.Item name="reason" label={t('apiClients.revokeReason')} rules={[{ required: true, whitespace: true, max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </PageContainer>
  );
}
