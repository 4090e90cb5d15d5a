import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useT } from '../../i18n';

/** Unknown address inside the console. */
export default function NotFoundPage() {
  const t = useT();
  return (
    <Result
      status="404"
      title={t('error.notFoundTitle')}
      subTitle={t('error.pageNotFound')}
      extra={
        <Link to="/">
          <Button type="primary">{t('nav.home')}</Button>
        </Link>
      }
    />
  );
}
