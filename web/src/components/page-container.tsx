import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Flex, Typography } from 'antd';
import { type ReactNode, useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useT } from '../i18n';

type Props = {
  title: string;
  /** Tags or badges shown right after the title. */
  titleExtra?: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  /** Where the back arrow leads; no arrow without it. */
  back?: string;
  children: ReactNode;
};

/** Page frame: title row with actions, then the content. Also sets the document title. */
export function PageContainer({ title, titleExtra, subtitle, extra, back, children }: Props) {
  const t = useT();
  const navigate = useNavigate();

  useEffect(() => {
    document.title = `${title} · ${t('app.shortName')}`;
  }, [title, t]);

  return (
    <div className="ht-page">
      <Flex className="ht-page-header" align="center" justify="space-between" gap={16} wrap>
        <Flex align="center" gap={8} style={{ minWidth: 0 }}>
          {back && (
            <Button
              type="text"
              icon={<ArrowLeftOutlined />}
              aria-label={t('common.back')}
              onClick={() => navigate(back)}
            />
          )}
          <div style={{ minWidth: 0 }}>
            <Flex align="center" gap={8} wrap>
              <Typography.Title level={4} style={{ margin: 0 }}>
                {title}
              </Typography.Title>
              {titleExtra}
            </Flex>
            {subtitle && (
              <Typography.Text type="secondary" className="ht-page-subtitle">
                {subtitle}
              </Typography.Text>
            )}
          </div>
        </Flex>
        {extra && (
          <Flex gap={8} wrap>
            {extra}
          </Flex>
        )}
      </Flex>
      {children}
    </div>
  );
}
