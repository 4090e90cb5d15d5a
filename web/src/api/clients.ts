import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ItemsOf } from './client';

export const CLIENT_SCOPES = ['collection:write'] as const;
/** What an API client may do: today only sending batches to its department's datasets. */
export type ClientScope = (typeof CLIENT_SCOPES)[number];

/** A department system's machine credential, never with its secret. */
export type ApiClient = {
  id: string;
  name: string;
  departmentId: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
};

/** The answer to creating a client: the only time the secret is shown. */
export type CreatedApiClient = ApiClient & { secret: string; authorization: string };

export type ApiClientInput = { name: string; departmentId?: string; scopes: ClientScope[] };

/** Query keys of the API-client domain. */
export const clientKeys = {
  all: ['api-clients'] as const,
  list: (departmentId?: string) => [...clientKeys.all, 'list', departmentId ?? null] as const,
};

/** API clients of the own department (every department's for a platform admin). */
export function useApiClients(departmentId?: string) {
  return useQuery({
    queryKey: clientKeys.list(departmentId),
    queryFn: ({ signal }) => api.get<ItemsOf<ApiClient>>('/api-clients', { departmentId }, signal),
  });
}

/** Issues a client; the answer carries the secret, once. */
export function useCreateApiClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: ApiClientInput) => api.post<CreatedApiClient>('/api-clients', input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clientKeys.all }),
  });
}

/** Revokes a client with a reason. */
export function useRevokeApiClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<ApiClient>(`/api-clients/${id}/revoke`, { reason }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clientKeys.all }),
  });
}
