import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';

/** One in-app notification (`GET /notifications`); `title` is bilingual, Chinese first. */
export type AppNotification = {
  id: string;
  kind: string;
  title: string;
  link: string | null;
  role: string | null;
  createdAt: string;
  read: boolean;
  readAt: string | null;
};

export type NotificationList = { items: AppNotification[]; unread: number };

/** Query keys of notifications. */
export const notificationKeys = {
  all: ['notifications'] as const,
  list: () => [...notificationKeys.all, 'list'] as const,
};

/** The caller's newest notifications and unread count, refreshed every minute. */
export function useNotifications() {
  return useQuery({
    queryKey: notificationKeys.list(),
    queryFn: ({ signal }) => api.get<NotificationList>('/notifications', { limit: 30 }, signal),
    refetchInterval: 60_000,
  });
}

/** Marks one notification read. */
export function useMarkNotificationRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<unknown>(`/notifications/${id}/read`),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

/** Marks every notification read. */
export function useMarkAllNotificationsRead() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ marked: number }>('/notifications/read-all'),
    onSuccess: () => qc.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}
