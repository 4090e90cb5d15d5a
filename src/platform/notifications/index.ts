// In-app notifications and email: other parts of the platform call notify() and queueEmail() /
// emailDepartmentContact() inside their transaction.
export { listNotifications, markAllNotificationsRead, markNotificationRead, type NewNotification, type NotificationView, notify, notifyRoleHolders } from './notifications.js';
export { notificationsRoutes } from './notifications.routes.js';
export {
  CONTACT_ROLES,
  type ContactRole,
  type DepartmentContactEmail,
  EMAIL_STATUSES,
  type EmailDetail,
  type EmailView,
  emailDepartmentContact,
  getEmail,
  isEmailAddress,
  listEmails,
  type NewEmail,
  queueEmail,
} from './email.js';
export { type DeliveryResult, deliverQueuedEmails, EMAIL_MAX_ATTEMPTS, EMAIL_RETRY_DELAYS_MS, type EmailDelivery, startEmailDelivery } from './email-delivery.js';
export { emailsRoutes } from './email.routes.js';
