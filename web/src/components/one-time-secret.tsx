import { CopyOutlined } from '@ant-design/icons';
import { Button, Input, Modal, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useI18n } from '../i18n';
import { useNotify } from '../lib/notify';

/** Copies a text to the clipboard and says so; a refused clipboard is silent. */
export function useCopy(): (value: string) => Promise<void> | undefined {
  const { t } = useI18n();
  const notify = useNotify();
  return (value) =>
    navigator.clipboard?.writeText(value).then(
      () => notify.success(t('apiClients.copied')),
      () => undefined,
    );
}

/** One labelled secret value with a copy button. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useI18n();
  const copy = useCopy();
  return (
    <div style={{ marginBottom: 12 }}>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Space.Compact style={{ width: '100%' }}>
        <Input readOnly value={value} className="ht-mono" data-testid={testId} aria-label={label} onFocus={(e) => e.target.select()} />
        <Button icon={<CopyOutlined />} onClick={() => copy(value)} aria-label={`${t('apiClients.copy')} ${label}`}>
          {t('apiClients.copy')}
        </Button>
      </Space.Compact>
    </div>
  );
}

/**
 * A secret shown once (an API client's secret, a private key, a signing secret). It closes only when
 * the user says they saved it, and is destroyed on close: antd keeps a closed modal's last content
 * in the page otherwise, and the secret must go.
 */
export function OneTimeSecretModal({
  open,
  icon,
  title,
  width,
  doneTestId,
  onDone,
  children,
}: {
  open: boolean;
  icon: ReactNode;
  title: string;
  width?: number;
  doneTestId: string;
  onDone: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Modal
      open={open}
      width={width}
      title={
        <Space>
          {icon}
          {title}
        </Space>
      }
      closable={false}
      maskClosable={false}
      keyboard={false}
      destroyOnHidden
      footer={
        <Button type="primary" onClick={onDone} data-testid={doneTestId}>
          {t('apiClients.saved')}
        </Button>
      }
    >
      {children}
    </Modal>
  );
}
