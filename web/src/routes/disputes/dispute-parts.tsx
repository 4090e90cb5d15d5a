import { Form, Input, Select, Tag, Typography } from 'antd';
import type { Dispute, DisputeStatus } from '../../api/disputes';
import { ID_TYPES } from '../../api/verifications';
import { EntryPicker } from '../../components/entry-picker';
import { useI18n } from '../../i18n';
import { formatDate } from '../../lib/format';
import './disputes.css';

const STATUS_COLORS: Record<DisputeStatus, string> = {
  submitted: 'processing',
  technical: 'orange',
  marked: 'gold',
  transferred: 'purple',
  resolved: 'success',
};

/** 已受理 / 已转交责任部门 / 已办结 … as a coloured tag, with 已逾期 beside it when the current step is late. */
export function DisputeStatusTag({ dispute }: { dispute: Pick<Dispute, 'status' | 'overdue'> }) {
  const { t } = useI18n();
  return (
    <span className="ht-dispute-tags">
      <Tag color={STATUS_COLORS[dispute.status]} data-testid="dispute-status">
        {t(`dispute.status.${dispute.status}`)}
      </Tag>
      {dispute.overdue && (
        <Tag color="error" data-testid="dispute-overdue">
          {t('dispute.overdue')}
        </Tag>
      )}
    </span>
  );
}

/** The current step's last day, red once past; a dash when resolved. */
export function DueCell({ dispute }: { dispute: Pick<Dispute, 'status' | 'dueOn' | 'overdue'> }) {
  const { t } = useI18n();
  if (!dispute.dueOn || dispute.status === 'resolved') return <span className="ht-muted">—</span>;
  return (
    <div className="ht-dispute-due">
      <Typography.Text type={dispute.overdue ? 'danger' : undefined} strong={dispute.overdue}>
        {formatDate(dispute.dueOn)}
      </Typography.Text>
      {dispute.overdue && <Typography.Text type="danger">{t('dispute.overdue')}</Typography.Text>}
    </div>
  );
}

/**
 * Picks a published catalog entry to dispute; `excludeDepartmentId` leaves out one department's
 * entries (a department does not dispute its own data). The value is the entry id, which the
 * server accepts as `dataset`.
 */
export function DatasetPicker(props: { value?: string; onChange?: (value: string | undefined) => void; excludeDepartmentId?: string | null; id?: string }) {
  const { t } = useI18n();
  return <EntryPicker {...props} placeholder={t('dispute.datasetPlaceholder')} notFound={t('dispute.datasetNone')} testId="dispute-dataset" />;
}

/**
 * The subject's identifier type and number. The number lives only in the form: never in the page
 * address or the browser's storage, and the server answers with a masked form only.
 */
export function SubjectFields({ required }: { required: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <Form.Item
        name="idType"
        label={t('dispute.idType')}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              !v && (required || getFieldValue('id')?.trim()) ? Promise.reject(new Error(t('dispute.idTypeRequired'))) : Promise.resolve(),
          }),
        ]}
      >
        <Select
          allowClear={!required}
          placeholder={required ? undefined : t('dispute.idTypeOptional')}
          options={ID_TYPES.map((k) => ({ value: k, label: t(`verify.idType.${k}`) }))}
          data-testid="dispute-id-type"
        />
      </Form.Item>
      <Form.Item
        name="id"
        label={t('dispute.id')}
        extra={t('dispute.idHelp')}
        dependencies={['idType']}
        rules={[
          ({ getFieldValue }) => ({
            validator: (_, v: string | undefined) =>
              (required || getFieldValue('idType')) && !v?.trim() ? Promise.reject(new Error(t('dispute.idRequired'))) : Promise.resolve(),
          }),
        ]}
      >
        <Input autoComplete="off" spellCheck={false} maxLength={200} data-testid="dispute-id" />
      </Form.Item>
    </>
  );
}

/** The description of what is wrong, required, up to 4,000 characters. */
export function DescriptionField() {
  const { t } = useI18n();
  return (
    <Form.Item
      name="description"
      label={t('dispute.description')}
      rules={[
        { required: true, whitespace: true, message: t('dispute.descriptionRequired') },
        { max: 4000, message: t('dispute.descriptionLength') },
      ]}
    >
      <Input.TextArea rows={5} maxLength={4000} showCount placeholder={t('dispute.descriptionPlaceholder')} data-testid="dispute-description" />
    </Form.Item>
  );
}
