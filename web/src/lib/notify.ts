import { App } from 'antd';
import { useCallback } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

/** Turns any error into one readable line, preferring our own wording for known codes. */
export function useErrorText() {
  const { t, tMaybe } = useI18n();
  return useCallback(
    (err: unknown): string => {
      if (err instanceof ApiError) {
        const label = tMaybe(`error.${err.code}`, err.title || t('error.generic'));
        return err.detail && err.detail !== label ? `${label}：${err.detail}` : label;
      }
      if (err instanceof Error && err.message) return err.message;
      return t('error.generic');
    },
    [t, tMaybe],
  );
}

/** Toast helpers bound to the antd App context. */
export function useNotify() {
  const { message } = App.useApp();
  const errorText = useErrorText();
  return {
    success: useCallback((text: string) => void message.success(text), [message]),
    error: useCallback((err: unknown) => void message.error(errorText(err)), [message, errorText]),
  };
}
