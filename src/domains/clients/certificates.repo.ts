import type { Executor, NewRow, Row } from '../../platform/db/index.js';
import { clientsError } from './clients.errors.js';

export type ClientCertificateRow = Row<'client_certificates'>;

/** Stores an issued certificate; returns the stored row. */
export function insertCertificate(db: Executor, row: NewRow<'client_certificates'>): Promise<ClientCertificateRow> {
  return db.insertInto('client_certificates').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A certificate by the SHA-256 of its DER form, or undefined. */
export function findCertificateByFingerprint(db: Executor, fingerprint: string): Promise<ClientCertificateRow | undefined> {
  return db.selectFrom('client_certificates').selectAll().where('fingerprint_sha256', '=', fingerprint).executeTakeFirst();
}

/** A client's certificate by serial, locked for update; throws CLIENTS_CERTIFICATE_NOT_FOUND. */
export async function lockCertificate(db: Executor, clientId: string, serial: string): Promise<ClientCertificateRow> {
  const row = await db
    .selectFrom('client_certificates')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('serial', '=', serial)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw clientsError('CLIENTS_CERTIFICATE_NOT_FOUND');
  return row;
}

/** A client's certificates, newest first. */
export function listCertificates(db: Executor, clientId: string): Promise<ClientCertificateRow[]> {
  return db.selectFrom('client_certificates').selectAll().where('client_id', '=', clientId).orderBy('issued_at', 'desc').orderBy('serial').execute();
}

/** Marks a certificate revoked; returns the updated row. */
export function revokeCertificate(
  db: Executor,
  serial: string,
  set: { revoked_at: Date; revoked_by: string | null; revoke_reason: string },
): Promise<ClientCertificateRow> {
  return db.updateTable('client_certificates').set(set).where('serial', '=', serial).returningAll().executeTakeFirstOrThrow();
}
