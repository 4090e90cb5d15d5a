import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useEffect } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { type LoginInput, useLogin, useMe } from '../../api/auth';
import { ApiError } from '../../api/client';
import { LanguageSwitch } from '../../components/language-switch';
import { useI18n } from '../../i18n';
import { useErrorText } from '../../lib/notify';

/** Only same-site paths are followed after login. */
function safeTarget(from: string | null): string {
  return from?.startsWith('/') && !from.startsWith('//') ? from : '/';
}

/** Username and password sign-in; shows the server's problem (wrong password, locked account). */
export default function LoginPage() {
  const { t, tMaybe } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const target = safeTarget(params.get('from'));
  const login = useLogin();
  const session = useMe();

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('app.shortName')}`;
  }, [t]);

  if (session.data) return <Navigate to={target} replace />;

  const onFinish = (values: LoginInput) => {
    login.mutate(values, { onSuccess: () => navigate(target, { replace: true }) });
  };

  const error = login.error;
  const errorTitle =
    error instanceof ApiError ? tMaybe(`error.${error.code}`, error.title || t('login.failed')) : t('login.failed');
  const errorDetail = error instanceof ApiError ? error.detail : error ? errorText(error) : undefined;

  return (
    <main className="ht-login">
      <div className="ht-login-lang">
        <LanguageSwitch />
      </div>
      <Card className="ht-login-card" variant="borderless">
        <div className="ht-login-brand">
          <img src="/favicon.svg" alt="" width={44} height={44} />
          <Typography.Title level={3} style={{ margin: '12px 0 4px' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={errorTitle}
            description={errorDetail && errorDetail !== errorTitle ? errorDetail : undefined}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form<LoginInput> layout="vertical" size="large" onFinish={onFinish} requiredMark={false}>
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input
              prefix={<UserOutlined />}
              autoComplete="username"
              autoFocus
              data-testid="login-username"
              placeholder={t('login.username')}
            />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
              placeholder={t('login.password')}
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={login.isPending} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t('login.notice')}
        </Typography.Paragraph>
      </Card>
    </main>
  );
}
