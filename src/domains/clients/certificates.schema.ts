import { z } from 'zod';

/** How long a client certificate is valid when the issuer does not say. */
export const CERTIFICATE_DEFAULT_DAYS = 365;
/** The longest validity a client certificate may be issued with. */
export const CERTIFICATE_MAX_DAYS = 730;

/** Issuing a certificate: its validity in days (365 unless given). */
export const ZIssueCertificateInput = z.strictObject({ days: z.number().int().min(1).max(CERTIFICATE_MAX_DAYS).optional() });
export type TIssueCertificateInput = z.infer<typeof ZIssueCertificateInput>;

/** A certificate of an API client in a path: the client's id and the serial (hex). */
export const ZCertificateParams = z.object({
  id: z.uuid(),
  serial: z
    .string()
    .regex(/^[0-9a-fA-F]{2,64}$/, 'must be the hexadecimal serial number')
    .transform((s) => s.toLowerCase()),
});

/** Where a certificate stands: usable, past its notAfter, or revoked. */
export const CERTIFICATE_STATUSES = ['valid', 'expired', 'revoked'] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** A client certificate as shown to administrators (the certificate is public; its key is never kept). */
export type TClientCertificate = {
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

/** The answer to issuing: the only time the private key is shown; with the certificate and the CA certificate, PEM. */
export type TIssuedClientCertificate = { certificate: TClientCertificate; keyPem: string; certPem: string; caPem: string };
