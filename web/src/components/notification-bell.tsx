import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { type AppNotification, useMarkAllNotificationsRead, useMarkNotificationRead, useNotifications } from '../api/notifications';
import { useT } from '../i18n';
import { formatDateTime } from '../lib/format';

/** The header bell: unread count, and the newest notifications; opening one marks it read. */
export function NotificationBell({ className }: { className?: string }) {
  const t = useT();
  const navigate = useNavigate();
  const list = useNotifications();
  const markRead = useMarkNotificationRead();
  const markAll = useMarkAllNotificationsRead();
  const [open, setOpen] = useState(false);
  const unread = list.data?.unread ?? 0;

  const openOne = (n: AppNotification) => {
    if (!n.read) markRead.mutate(n.id);
    setOpen(false);
    if (n.link) void navigate(n.link);
  };

  const content = (
    <div style={{ width: 360, maxHeight: 420, overflowY: 'auto' }} data-testid="notification-list">
      {(list.data?.items.length ?? 0) === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.none')} />
      ) : (
        <List<AppNotification>
          size="small"
          dataSource={list.data?.items ?? []}
          renderItem={(n) => (
            <List.Item
              key={n.id}
              style={{ cursor: 'pointer' }}
              onClick={() => openOne(n)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') openOne(n);
              }}
              tabIndex={0}
            >
              <List.Item.Meta
                avatar={<Badge status={n.read ? 'default' : 'processing'} />}
                title={<Typography.Text strong={!n.read}>{n.title}</Typography.Text>}
                description={formatDateTime(n.createdAt)}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>{t('notifications.title')}</span>
          <Button size="small" type="link" disabled={unread === 0} loading={markAll.isPending} onClick={() => markAll.mutate()}>
            {t('notifications.readAll')}
          </Button>
        </div>
      }
      content={content}
    >
      <Tooltip title={t('notifications.title')}>
        <Button type="text" className={className} aria-label={t('notifications.unreadLabel', { count: unread })} data-testid="notification-bell">
          <Badge count={unread} size="small" offset={[4, -2]}>
            <BellOutlined />
          </Badge>
        </Button>
      </Tooltip>
    </Popover>
  );
}
