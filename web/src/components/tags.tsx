import { Tag } from 'antd';
import type { EntryStatus, OpenType, ShareType } from '../api/catalog';
import { useT } from '../i18n';

const STATUS_COLORS: Record<EntryStatus, string> = {
  draft: 'default',
  submitted: 'processing',
  approved: 'cyan',
  published: 'success',
  returned: 'warning',
  superseded: 'default',
};

/** The version status 草稿/待审核/… as a coloured tag. */
export function StatusTag({ status }: { status: EntryStatus }) {
  const t = useT();
  return (
    <Tag color={STATUS_COLORS[status]} variant="outlined">
      {t(`status.${status}`)}
    </Tag>
  );
}

const ACCESS_COLORS: Record<ShareType, string> = {
  unconditional: 'green',
  conditional: 'gold',
  none: 'red',
};

/** 无条件共享 / 有条件共享 / 不予共享. */
export function ShareTypeTag({ value }: { value: ShareType }) {
  const t = useT();
  return <Tag color={ACCESS_COLORS[value]}>{t(`shareType.${value}`)}</Tag>;
}

/** 无条件开放 / 有条件开放 / 不予开放. */
export function OpenTypeTag({ value }: { value: OpenType }) {
  const t = useT();
  return <Tag color={ACCESS_COLORS[value]}>{t(`openType.${value}`)}</Tag>;
}
