import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Role } from './auth';
import { api, type ItemsOf } from './client';

/** A user account as administrators see it. */
export type User = {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  departmentName: string;
  roles: Role[];
  disabled: boolean;
  lockedUntil: string | null;
};
export type CreateUserInput = {
  username: string;
  displayName: string;
  departmentId: string;
  roles: Role[];
  password: string;
};
export type UpdateUserInput = { displayName?: string; roles?: Role[]; disabled?: boolean };

/** Query keys of the users domain. */
export const userKeys = {
  all: ['users'] as const,
  list: (departmentId?: string) => [...userKeys.all, 'list', departmentId ?? null] as const,
};

/** Users, optionally of one department. */
export function useUsers(departmentId?: string) {
  return useQuery({
    queryKey: userKeys.list(departmentId),
    queryFn: ({ signal }) => api.get<ItemsOf<User>>('/users', { departmentId }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Creates a user. */
export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<User>('/users', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Changes a user's name, roles or disabled flag. */
export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateUserInput & { id: string }) => api.patch<User>(`/users/${id}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** Sets a new password for a user. */
export function useResetPassword() {
  return useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api.post<void>(`/users/${id}/reset-password`, { password }),
  });
}
