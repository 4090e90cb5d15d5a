import { CopyOutlined, DownloadOutlined, SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Drawer, Form, Input, InputNumber, Modal, Space, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import {
  type ApiClient,
  CERTIFICATE_DEFAULT_DAYS,
  CERTIFICATE_MAX_DAYS,
  type CertificateStatus,
  type ClientCertificate,
  type IssuedCertificate,
  useClientCertificates,
  useIssueCertificate,
  useRevokeCertificate,
} from '../../api/clients';
import { OneTimeSecretModal, useCopy } from '../../components/one-time-secret';
import { EmptyState, ProblemAlert } from '../../components/states';
import { useI18n } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import { useNotify } from '../../lib/notify';

const STATUS_COLORS: Record<CertificateStatus, string> = { valid: 'success', expired: 'default', revoked: 'error' };

/** Saves a text as a file in the browser; nothing leaves the page. */
function downloadText(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/x-pem-file' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** One PEM block with copy and download buttons. */
function PemField({ label, value, filename, testId }: { label: string; value: string; filename: string; testId: string }) {
  const { t } = useI18n();
  const copy = useCopy();
  return (
    <div style={{ marginBottom: 16 }}>
      <Space style={{ width: '100%', justifyContent: 'space-between', marginBottom: 4 }}>
        <Typography.Text strong>
          {label} <span className="ht-mono ht-muted">{filename}</span>
        </Typography.Text>
        <Space size={4}>
          <Button size="small" icon={<CopyOutlined />} onClick={() => copy(value)} aria-label={`${t('apiClients.copy')} ${filename}`}>
            {t('apiClients.copy')}
          </Button>
          <Button size="small" icon={<DownloadOutlined />} onClick={() => downloadText(filename, value)} data-testid={`${testId}-download`}>
            {t('certs.download')}
          </Button>
        </Space>
      </Space>
      <Input.TextArea readOnly value={value} rows={5} className="ht-mono" style={{ fontSize: 12 }} aria-label={label} data-testid={testId} />
    </div>
  );
}

/** The answer to issuing: key, certificate and CA certificate, shown once; it closes only when the user says they saved them. */
function IssuedModal({ issued, onClose }: { issued: IssuedCertificate | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <OneTimeSecretModal
      open={issued !== null}
      width={720}
      icon={<SafetyCertificateOutlined />}
      title={t('certs.issuedTitle')}
      doneTestId="cert-issued-done"
      onDone={onClose}
    >
      {issued && (
        <>
          <Alert type="warning" showIcon title={t('certs.keyOnce')} description={t('certs.keyOnceHint')} style={{ marginBottom: 16 }} data-testid="cert-key-warning" />
          <Typography.Paragraph type="secondary">
            {t('certs.serial')} <span className="ht-mono">{issued.certificate.serial}</span> · {t('certs.notAfter')}{' '}
            {formatDateTime(issued.certificate.notAfter)}
          </Typography.Paragraph>
          <PemField label={t('certs.keyPem')} value={issued.keyPem} filename="key.pem" testId="cert-key-pem" />
          <PemField label={t('certs.certPem')} value={issued.certPem} filename="cert.pem" testId="cert-cert-pem" />
          <PemField label={t('certs.caPem')} value={issued.caPem} filename="ca.pem" testId="cert-ca-pem" />
        </>
      )}
    </OneTimeSecretModal>
  );
}

/**
 * 客户端证书 of one API client (mTLS): issue one (its private key is shown once), see every
 * certificate with its validity and state, revoke one with a reason.
 */
export function CertificatesDrawer({ client, onClose }: { client: ApiClient | null; onClose: () => void }) {
  const { t } = useI18n();
  const notify = useNotify();
  const clientId = client?.id ?? '';
  const certificates = useClientCertificates(client?.id);
  const issue = useIssueCertificate(clientId);
  const revoke = useRevokeCertificate(clientId);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<IssuedCertificate | null>(null);
  const [revoking, setRevoking] = useState<ClientCertificate | null>(null);
  const [issueForm] = Form.useForm<{ days: number }>();
  const [revokeForm] = Form.useForm<{ reason: string }>();

  const onIssue = ({ days }: { days: number }) =>
    issue.mutate(
      { days },
      {
        onSuccess: (answer) => {
          setIssuing(false);
          issueForm.resetFields();
          setIssued(answer);
        },
      },
    );

  const onRevoke = ({ reason }: { reason: string }) => {
    if (!revoking) return;
    revoke.mutate(
      { serial: revoking.serial, reason: reason.trim() },
      {
        onSuccess: () => {
          notify.success(t('certs.revokedDone'));
          setRevoking(null);
          revokeForm.resetFields();
        },
      },
    );
  };

  const columns: TableColumnsType<ClientCertificate> = [
    {
      title: t('certs.serial'),
      dataIndex: 'serial',
      width: 160,
      render: (v: string) => (
        <Typography.Text className="ht-mono" copyable={{ text: v }} style={{ fontSize: 12 }} title={v}>
          {v.length > 12 ? `${v.slice(0, 12)}…` : v}
        </Typography.Text>
      ),
    },
    {
      title: t('certs.fingerprint'),
      dataIndex: 'fingerprintSha256',
      width: 160,
      render: (v: string) => (
        <Typography.Text className="ht-mono" copyable={{ text: v }} style={{ fontSize: 12 }} title={v}>
          {`${v.slice(0, 12)}…`}
        </Typography.Text>
      ),
    },
    { title: t('certs.notBefore'), dataIndex: 'notBefore', width: 140, render: (v: string) => formatDateTime(v) },
    { title: t('certs.notAfter'), dataIndex: 'notAfter', width: 140, render: (v: string) => formatDateTime(v) },
    {
      title: t('certs.status'),
      key: 'status',
      width: 140,
      render: (_, c) => (
        <Space orientation="vertical" size={0}>
          <Tag color={STATUS_COLORS[c.status]} data-testid="cert-status">
            {t(`certs.status.${c.status}`)}
          </Tag>
          {c.revokedAt && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(c.revokedAt)} {c.revokeReason}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      render: (_, c) =>
        c.status === 'revoked' ? null : (
          <Button danger type="link" size="small" icon={<StopOutlined />} onClick={() => setRevoking(c)} data-testid="cert-revoke">
            {t('apiClients.revoke')}
          </Button>
        ),
    },
  ];

  return (
    <Drawer
      open={client !== null}
      size={920}
      title={t('certs.title', { name: client?.name ?? '' })}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button
          type="primary"
          icon={<SafetyCertificateOutlined />}
          disabled={Boolean(client?.revokedAt)}
          onClick={() => setIssuing(true)}
          data-testid="cert-issue"
        >
          {t('certs.issue')}
        </Button>
      }
    >
      <Alert type="info" showIcon title={t('certs.hint')} style={{ marginBottom: 16 }} />
      {client?.revokedAt && <Alert type="warning" showIcon title={t('certs.clientRevoked')} style={{ marginBottom: 16 }} />}
      {certificates.error && <ProblemAlert error={certificates.error} />}
      <div data-testid="cert-list">
        <Table<ClientCertificate>
          rowKey="serial"
          size="small"
          columns={columns}
          dataSource={certificates.data?.items ?? []}
          loading={certificates.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={false}
          locale={{ emptyText: <EmptyState description={t('certs.empty')} /> }}
        />
      </div>

      <Modal
        open={issuing}
        title={t('certs.issueTitle', { name: client?.name ?? '' })}
        okText={t('certs.issue')}
        cancelText={t('common.cancel')}
        okButtonProps={{ ...({ 'data-testid': 'cert-issue-confirm' } as Record<string, string>) }}
        confirmLoading={issue.isPending}
        onOk={() => issueForm.submit()}
        onCancel={() => {
          setIssuing(false);
          issue.reset();
        }}
        forceRender
      >
        {issue.error && <ProblemAlert error={issue.error} />}
        <Form form={issueForm} layout="vertical" onFinish={onIssue} initialValues={{ days: CERTIFICATE_DEFAULT_DAYS }} style={{ marginTop: 12 }}>
          <Form.Item
            name="days"
            label={t('certs.days')}
            extra={t('certs.daysHelp', { max: CERTIFICATE_MAX_DAYS })}
            rules={[{ required: true, type: 'integer', min: 1, max: CERTIFICATE_MAX_DAYS, message: t('certs.daysRange', { max: CERTIFICATE_MAX_DAYS }) }]}
          >
            <InputNumber min={1} max={CERTIFICATE_MAX_DAYS} precision={0} style={{ width: 160 }} data-testid="cert-days" />
          </Form.Item>
        </Form>
      </Modal>

      <IssuedModal
        issued={issued}
        onClose={() => {
          // Drop the answer, key included, from memory too.
          setIssued(null);
          issue.reset();
        }}
      />

      <Modal
        open={revoking !== null}
        title={t('certs.revokeTitle', { serial: revoking ? revoking.serial.slice(0, 16) : '' })}
        okText={t('apiClients.revoke')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'cert-revoke-confirm' } as Record<string, string>) }}
        cancelText={t('common.cancel')}
        confirmLoading={revoke.isPending}
        onOk={() => revokeForm.submit()}
        onCancel={() => {
          setRevoking(null);
          revoke.reset();
        }}
        forceRender
      >
        <Alert type="warning" showIcon title={t('certs.revokeHint')} style={{ marginBottom: 16 }} />
        {revoke.error && <ProblemAlert error={revoke.error} />}
        <Form form={revokeForm} layout="vertical" onFinish={onRevoke}>
          <Form.Item name="reason" label={t('apiClients.revokeReason')} rules={[{ required: true, whitespace: true, max: 500 }]}>
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="cert-revoke-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
