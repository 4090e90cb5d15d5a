import { Result } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../i18n';
import { useCurrentUser } from '../lib/current-user';
import { type ACCESS, can } from '../lib/permissions';

/** Shows the page only to users with one of the area's roles (the server checks again). */
export function RequireRole({ area, children }: { area: keyof typeof ACCESS; children: ReactNode }) {
  const me = useCurrentUser();
  const t = useT();
  if (!can(me, area)) {
    return <Result status="403" title={t('error.forbiddenTitle')} subTitle={t('error.forbiddenPage')} />;
  }
  return <>{children}</>;
}
