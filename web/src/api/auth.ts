import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, request } from './client';

/** Roles as the backend names them. */
export const ROLES = [
  'platform_admin',
  'authority',
  'dept_admin',
  'catalog_editor',
  'catalog_reviewer',
  'sharing_officer',
  'supervisor',
] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in person (`GET /auth/me`). */
export type Me = {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  departmentName: string;
  roles: Role[];
};

export type LoginInput = { username: string; password: string };
export type ChangePasswordInput = { currentPassword: string; newPassword: string };

/** Query keys of the auth domain. */
export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

/** The current session; a 401 is an answer here, not a redirect. */
export function useMe() {
  return useQuery({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => request<Me>('/auth/me', { signal, noAuthRedirect: true }),
    staleTime: 5 * 60_000,
    retry: false,
  });
}

/** Signs in and primes the session cache. */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) =>
      request<Me>('/auth/login', { method: 'POST', body: input, noAuthRedirect: true }),
    onSuccess: (me) => {
      qc.clear();
      qc.setQueryData(authKeys.me(), me);
    },
  });
}

/** Signs out and forgets everything cached for this user. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>('/auth/logout', { method: 'POST', noAuthRedirect: true }),
    onSettled: () => {
      qc.clear();
    },
  });
}

/** Changes the caller's own password. */
export function useChangePassword() {
  return useMutation({
    mutationFn: (input: ChangePasswordInput) => api.post<void>('/auth/password', input),
  });
}
