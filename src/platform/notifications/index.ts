// In-app notifications: other parts of the platform call notify() inside their transaction.
export { listNotifications, markAllNotificationsRead, markNotificationRead, type NewNotification, type NotificationView, notify } from './notifications.js';
export { notificationsRoutes } from './notifications.routes.js';
