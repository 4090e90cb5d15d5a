import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ReactNode, useState } from 'react';
import { ApiError } from './api/client';
import { I18nProvider, useI18n } from './i18n';

/** Client errors (4xx) are answers, not glitches: do not retry them. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}

/** Government blue, compact-ish spacing, readable Chinese type. */
const THEME = {
  token: {
    colorPrimary: '#1547a8',
    colorInfo: '#1547a8',
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: { headerBg: '#0d2f6e', siderBg: '#ffffff', bodyBg: '#f3f5f9', headerPadding: '0 20px' },
    Menu: { itemBorderRadius: 4, subMenuItemBg: '#ffffff' },
    Table: { headerBg: '#f7f8fa' },
  },
  algorithm: theme.defaultAlgorithm,
};

const DAYJS_LOCALES = { 'zh-CN': 'zh-cn', 'en-US': 'en' } as const;

/** antd configured for the chosen language (component texts, date pickers, calendar). */
function AntdProvider({ children }: { children: ReactNode }) {
  const { lang } = useI18n();
  // dayjs's global locale is switched here, before the pages below render, not in an effect:
  // an effect runs after they have rendered, so dates they format (weekday names) would keep
  // the previous language until something else re-rendered them.
  if (dayjs.locale() !== DAYJS_LOCALES[lang]) dayjs.locale(DAYJS_LOCALES[lang]);
  return (
    // autoInsertSpace off: a button's accessible name stays exactly its dictionary text (保存, not 保 存).
    <ConfigProvider locale={lang === 'zh-CN' ? zhCN : enUS} theme={THEME} button={{ autoInsertSpace: false }}>
      <AntdApp>{children}</AntdApp>
    </ConfigProvider>
  );
}

/** Query cache, language and antd context for the whole console. */
export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AntdProvider>{children}</AntdProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
