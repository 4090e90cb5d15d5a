import { TLSSocket } from 'node:tls';
import { ANONYMOUS_ACTOR, type Actor } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { certificateFingerprint } from '../../platform/crypto/ca.js';
import { inTransaction } from '../../platform/db/index.js';
import type { AppContext } from '../../platform/http/index.js';
import * as certs from './certificates.repo.js';
import { clientsError } from './clients.errors.js';
import * as clients from './clients.repo.js';
import { clientActor, noteClientUse } from './clients.service.js';

/** The client certificate a TLS peer presented, with the TLS layer's verdict on it. */
export type PresentedCertificate = {
  /** It chains to the platform CA and is within its validity (checked by TLS with the machine's clock). */
  authorized: boolean;
  /** Why it did not verify (OpenSSL's code, e.g. CERT_HAS_EXPIRED); null when it did. */
  authorizationError: string | null;
  /** SHA-256 of its DER form, lower-case hex. */
  fingerprintSha256: string;
  /** Lower-case hex. */
  serial: string;
};

/** The certificate presented on this connection, or undefined: not TLS, or no certificate sent. */
export function presentedCertificate(socket: unknown): PresentedCertificate | undefined {
  if (!(socket instanceof TLSSocket)) return undefined;
  const peer = socket.getPeerCertificate();
  if (!peer?.raw) return undefined; // an empty object when the peer sent none
  return {
    authorized: socket.authorized,
    authorizationError: socket.authorized ? null : String(socket.authorizationError ?? 'unknown'),
    fingerprintSha256: certificateFingerprint(peer.raw),
    serial: String(peer.serialNumber ?? '').toLowerCase(),
  };
}

/**
 * The actor behind a client certificate presented over TLS (HUITONG_TLS=on): the API client it was
 * issued to, as `authenticateClient` would return it; undefined when none was presented. A
 * certificate that did not verify (foreign CA, expired), was not issued by this platform, was
 * revoked, or belongs to a revoked client is audited and refused with 401 AUTH_INVALID_CLIENT.
 */
export async function authenticateCertificate(app: AppContext, opts: { socket: unknown; requestId: string | null }): Promise<Actor | undefined> {
  const presented = presentedCertificate(opts.socket);
  if (!presented) return undefined;
  const now = app.clock.now();
  const db = app.database.db;
  const cert = await certs.findCertificateByFingerprint(db, presented.fingerprintSha256);
  const client = cert ? await clients.findClient(db, cert.client_id) : undefined;
  const fail = async (reason: string): Promise<never> => {
    await inTransaction(db, (tx) =>
      record(tx, {
        actor: client ? { ...ANONYMOUS_ACTOR, id: client.id, name: `client:${client.name}`, departmentId: client.department_id } : ANONYMOUS_ACTOR,
        action: 'api_client.auth_failed',
        targetType: 'api_client',
        targetId: client?.id ?? null,
        outcome: 'denied',
        requestId: opts.requestId,
        details: { reason, credential: 'certificate', serial: cert?.serial ?? presented.serial, fingerprintSha256: presented.fingerprintSha256 },
        at: now,
      }),
    );
    throw clientsError(
      'AUTH_INVALID_CLIENT',
      'The client certificate is not verified, not issued by this platform, expired or revoked. 客户端证书未通过验证、非本平台签发、已过期或已吊销。',
      { auditDenied: false },
    );
  };
  if (!presented.authorized) return fail(`certificate not verified: ${presented.authorizationError}`);
  if (!cert || !client) return fail('unknown certificate');
  if (cert.revoked_at) return fail('certificate revoked');
  if (client.revoked_at) return fail('client revoked');
  await noteClientUse(app, client, now);
  return clientActor(client);
}
