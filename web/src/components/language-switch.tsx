import { GlobalOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useI18n } from '../i18n';

/** Toggles between Chinese and English; shows the language it switches to. */
export function LanguageSwitch({ className }: { className?: string }) {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'zh-CN' ? 'en-US' : 'zh-CN';
  return (
    <Button
      type="text"
      className={className}
      icon={<GlobalOutlined />}
      data-testid="lang-switch"
      lang={next}
      title={t('header.switchLanguage')}
      onClick={() => setLang(next)}
    >
      {t('header.otherLanguage')}
    </Button>
  );
}
