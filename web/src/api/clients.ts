import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ItemsOf } from './client';

export const CLIENT_SCOPES = ['collection:write', 'share:query'] as const;
/** What an API client may do: send batches to its department's datasets (归集), query the data its department holds grants for (共享查询). */
export type ClientScope = (typeof CLIENT_SCOPES)[number];

/** The dictionary key of each scope's label. */
export const SCOPE_LABELS = {
  'collection:write': 'apiClients.scope.collectionWrite',
  'share:query': 'apiClients.scope.shareQuery',
} as const satisfies Record<ClientScope, string>;

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
  certificates: (clientId: string) => [...clientKeys.all, 'certificates', clientId] as const,
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

export const CERTIFICATE_STATUSES = ['valid', 'expired', 'revoked'] as const;
/** valid 有效 · expired 已过期 · revoked 已吊销. */
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** Validity of a new client certificate when none is given, and the longest allowed (days). */
export const CERTIFICATE_DEFAULT_DAYS = 365;
export const CERTIFICATE_MAX_DAYS = 730;

/** A client certificate (mTLS) from the platform CA; the certificate is public, its key never kept. */
export type ClientCertificate = {
  serial: string;
  clientId: string;
  departmentId: string;
  subject: string;
  fingerprintSha256: string;
  notBefore: string;
  notAfter: string;
  issuedBy: string | null;
  issuedAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  status: CertificateStatus;
};

/** The answer to issuing: the only time the private key is shown, with the certificate and the CA certificate (PEM). */
export type IssuedCertificate = { certificate: ClientCertificate; keyPem: string; certPem: string; caPem: string };

/** An API client's certificates, newest first. */
export function useClientCertificates(clientId: string | undefined) {
  return useQuery({
    queryKey: clientKeys.certificates(clientId ?? ''),
    queryFn: ({ signal }) => api.get<ItemsOf<ClientCertificate>>(`/api-clients/${clientId}/certificates`, undefined, signal),
    enabled: Boolean(clientId),
  });
}

/** Issues a certificate to a client; the answer carries the private key, once. */
export function useIssueCertificate(clientId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: { days?: number }) => api.post<IssuedCertificate>(`/api-clients/${clientId}/certificates`, input),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clientKeys.certificates(clientId) }),
  });
}

/** Revokes one certificate of a client with a reason. */
export function useRevokeCertificate(clientId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ serial, reason }: { serial: string; reason: string }) =>
      api.post<ClientCertificate>(`/api-clients/${clientId}/certificates/${serial}/revoke`, { reason }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: clientKeys.certificates(clientId) }),
  });
}
