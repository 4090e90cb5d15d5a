import { record } from '../../platform/audit/audit.js';
import { issueClientCertificate, openCertificateAuthority } from '../../platform/crypto/ca.js';
import { inTransaction } from '../../platform/db/index.js';
import type { Ctx } from '../../platform/http/index.js';
import * as certs from './certificates.repo.js';
import { CERTIFICATE_DEFAULT_DAYS, type TClientCertificate, type TIssuedClientCertificate } from './certificates.schema.js';
import { clientsError } from './clients.errors.js';
import { authorize, canManageClientsOf } from './clients.policy.js';
import * as clients from './clients.repo.js';

const iso = (d: Date | string) => new Date(d).toISOString();

/** A certificate row as administrators see it; `status` is derived from the platform clock. */
export function presentCertificate(r: certs.ClientCertificateRow, now: Date): TClientCertificate {
  const status = r.revoked_at ? 'revoked' : new Date(r.not_after).getTime() <= now.getTime() ? 'expired' : 'valid';
  return {
    serial: r.serial,
    clientId: r.client_id,
    departmentId: r.department_id,
    subject: r.subject,
    fingerprintSha256: r.fingerprint_sha256,
    notBefore: iso(r.not_before),
    notAfter: iso(r.not_after),
    issuedBy: r.issued_by,
    issuedAt: iso(r.issued_at),
    revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
    revokedBy: r.revoked_by,
    revokeReason: r.revoke_reason,
    status,
  };
}

/** The client, if the actor may manage its department's clients; CLIENTS_NOT_FOUND or FORBIDDEN otherwise. */
async function managedClient(ctx: Ctx, clientId: string, what: string): Promise<clients.ApiClientRow> {
  const client = await clients.findClient(ctx.app.database.db, clientId);
  if (!client) throw clientsError('CLIENTS_NOT_FOUND');
  authorize(canManageClientsOf(ctx.actor, client.department_id), what);
  return client;
}

/**
 * Issues a client certificate from the platform CA to an API client that is not revoked (and, when
 * `departmentId` is given, belongs to that department, else CLIENTS_NOT_FOUND). The key pair is made
 * here and its private key returned once, never stored; the certificate is recorded (serial, SHA-256
 * fingerprint, validity) and the issue audited.
 */
export async function issueCertificate(
  ctx: Ctx,
  opts: { clientId: string; days?: number | undefined; departmentId?: string | undefined },
): Promise<TIssuedClientCertificate> {
  const { app, actor } = ctx;
  const client = await managedClient(ctx, opts.clientId, 'issue certificates to another department’s API client 为其他部门的 API 客户端签发证书');
  if (opts.departmentId !== undefined && client.department_id !== opts.departmentId) throw clientsError('CLIENTS_NOT_FOUND');
  if (client.revoked_at) throw clientsError('CLIENTS_ALREADY_REVOKED');
  const now = app.clock.now();
  const days = opts.days ?? CERTIFICATE_DEFAULT_DAYS;
  // Key generation and signing happen before the transaction, which then only writes.
  const ca = await openCertificateAuthority(app.config.dataDir, now);
  const issued = await issueClientCertificate(ca, { departmentId: client.department_id, clientId: client.id, days, now });
  const row = await inTransaction(app.database.db, async (tx) => {
    const locked = await clients.lockClient(tx, client.id);
    if (locked.revoked_at) throw clientsError('CLIENTS_ALREADY_REVOKED');
    const stored = await certs.insertCertificate(tx, {
      serial: issued.serial,
      client_id: client.id,
      department_id: client.department_id,
      fingerprint_sha256: issued.fingerprintSha256,
      subject: issued.subject,
      certificate_pem: issued.certPem,
      not_before: issued.notBefore,
      not_after: issued.notAfter,
      issued_by: actor.id,
      issued_at: now,
    });
    await record(tx, {
      actor,
      action: 'api_client.certificate_issued',
      targetType: 'api_client',
      targetId: client.id,
      requestId: ctx.requestId,
      details: {
        serial: issued.serial,
        fingerprintSha256: issued.fingerprintSha256,
        departmentId: client.department_id,
        notBefore: issued.notBefore.toISOString(),
        notAfter: issued.notAfter.toISOString(),
        caFingerprintSha256: ca.fingerprintSha256,
      },
      at: now,
    });
    return stored;
  });
  return { certificate: presentCertificate(row, now), keyPem: issued.keyPem, certPem: issued.certPem, caPem: issued.caPem };
}

/** An API client's certificates, newest first, for those who manage its department's clients. */
export async function listCertificates(ctx: Ctx, opts: { clientId: string }): Promise<{ items: TClientCertificate[] }> {
  const client = await managedClient(ctx, opts.clientId, 'list another department’s client certificates 查看其他部门的客户端证书');
  const now = ctx.app.clock.now();
  return { items: (await certs.listCertificates(ctx.app.database.db, client.id)).map((r) => presentCertificate(r, now)) };
}

/** Revokes one certificate of an API client with a reason; it is refused from the next request on. Audited. */
export async function revokeCertificate(ctx: Ctx, opts: { clientId: string; serial: string; reason: string }): Promise<TClientCertificate> {
  const { app, actor } = ctx;
  const client = await managedClient(ctx, opts.clientId, 'revoke another department’s client certificate 吊销其他部门的客户端证书');
  const now = app.clock.now();
  return inTransaction(app.database.db, async (tx) => {
    const cert = await certs.lockCertificate(tx, client.id, opts.serial);
    if (cert.revoked_at) throw clientsError('CLIENTS_CERTIFICATE_ALREADY_REVOKED');
    const revoked = await certs.revokeCertificate(tx, cert.serial, { revoked_at: now, revoked_by: actor.id, revoke_reason: opts.reason });
    await record(tx, {
      actor,
      action: 'api_client.certificate_revoked',
      targetType: 'api_client',
      targetId: client.id,
      requestId: ctx.requestId,
      details: { serial: cert.serial, fingerprintSha256: cert.fingerprint_sha256, departmentId: cert.department_id, reason: opts.reason },
      at: now,
    });
    return presentCertificate(revoked, now);
  });
}
