import { Alert, Button, Empty, Result, Spin } from 'antd';
import type { ReactNode } from 'react';
import { ApiError } from '../api/client';
import { useT } from '../i18n';
import { useErrorText } from '../lib/notify';

/** Centered spinner for a page or a panel. */
export function Loading({ tip }: { tip?: string }) {
  const t = useT();
  return (
    <div className="ht-loading" role="status" aria-live="polite">
      <Spin description={tip ?? t('common.loading')} />
    </div>
  );
}

/** A failed query: 403/404 get their own result, other errors a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const t = useT();
  const errorText = useErrorText();
  if (error instanceof ApiError && error.status === 403) {
    return <Result status="403" title={t('error.forbiddenTitle')} subTitle={errorText(error)} />;
  }
  if (error instanceof ApiError && error.status === 404) {
    return <Result status="404" title={t('error.notFoundTitle')} subTitle={errorText(error)} />;
  }
  return (
    <Result
      status="error"
      title={t('error.loadFailed')}
      subTitle={errorText(error)}
      extra={
        onRetry && (
          <Button type="primary" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}

/** An inline error banner, with the server's field problems listed under it. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  const errorText = useErrorText();
  if (!error) return null;
  const fieldErrors = error instanceof ApiError ? error.errors : [];
  return (
    <Alert
      type="error"
      showIcon
      title={title ?? errorText(error)}
      description={
        fieldErrors.length > 0 ? (
          <ul className="ht-problem-list">
            {fieldErrors.map((e, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list from one answer; the same field may fail twice
              <li key={`${e.field}-${i}`}>
                <code>{e.field}</code> {e.message}
              </li>
            ))}
          </ul>
        ) : title ? (
          errorText(error)
        ) : undefined
      }
    />
  );
}

/** Empty placeholder with an optional action. */
export function EmptyState({ description, action }: { description: ReactNode; action?: ReactNode }) {
  return (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={description}>
      {action}
    </Empty>
  );
}
