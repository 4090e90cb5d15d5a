import { Tag } from 'antd';
import type { Verification } from '../../api/verifications';
import { useT } from '../../i18n';

/** The report's state: open (red once overdue) or answered with its outcome. */
export function VerificationStatusTag({ report }: { report: Pick<Verification, 'status' | 'overdue' | 'outcome'> }) {
  const t = useT();
  if (report.status === 'answered') {
    return <Tag color="green">{t(`verify.outcome.${report.outcome ?? 'confirmed'}`)}</Tag>;
  }
  return report.overdue ? <Tag color="red">{t('verify.overdue')}</Tag> : <Tag color="blue">{t('verify.status.open')}</Tag>;
}
