import { createHash, randomBytes, webcrypto } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import 'reflect-metadata'; // @peculiar/x509 loads tsyringe, which needs the Reflect metadata API: load it first
import * as x509 from '@peculiar/x509';

// ECDSA P-256 with SHA-256, not SM2: the certificates serve Node's TLS listener (mutual TLS of
// department systems), and Node's TLS (OpenSSL 3 as Node builds it) neither presents nor verifies
// SM2 certificates. P-256 is what every TLS stack accepts; SM2 stays for document signatures.
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;
const subtle = webcrypto.subtle;
// Passed to every @peculiar/x509 call instead of setting its global provider.
const provider = webcrypto;
type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const DAY_MS = 86_400_000;
/** How long the platform CA's own certificate is valid. */
const CA_VALIDITY_DAYS = 3650;
/** Certificates start this much before issue, so a peer whose clock runs slightly behind accepts them. */
const BACKDATE_MS = 5 * 60_000;
const CA_KEY_FILE = 'ca-key.pem';
const CA_CERT_FILE = 'ca-cert.pem';

/** The platform CA: its certificate and signing key, loaded from `<data dir>/ca/`. */
export type CertificateAuthority = {
  dir: string;
  certPem: string;
  certificate: x509.X509Certificate;
  privateKey: CryptoKey;
  /** SHA-256 of the CA certificate (DER), lower-case hex. */
  fingerprintSha256: string;
};

/** A freshly issued key pair and certificate; `keyPem` exists only in this answer. */
export type IssuedCertificate = {
  keyPem: string;
  certPem: string;
  caPem: string;
  /** Lower-case hex. */
  serial: string;
  /** SHA-256 of the certificate (DER), lower-case hex. */
  fingerprintSha256: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
};

/** Raised when the CA folder exists but does not hold a usable CA. */
export class CertificateAuthorityError extends Error {
  override readonly name = 'CertificateAuthorityError';
}

/** The folder of the platform CA inside a data directory. */
export function caDirectory(dataDir: string): string {
  return path.join(dataDir, 'ca');
}

/** The URI subject alternative name that names an API client in its certificate. */
export function clientUri(clientId: string): string {
  return `urn:huitong:client:${clientId}`;
}

/** SHA-256 of a DER certificate, lower-case hex. */
export function certificateFingerprint(der: Uint8Array | ArrayBuffer): string {
  return createHash('sha256')
    .update(der instanceof ArrayBuffer ? new Uint8Array(der) : der)
    .digest('hex');
}

/** The platform CA of a data directory, created (key mode 0600) on first use; several processes may race to create it. */
export async function openCertificateAuthority(dataDir: string, now: Date): Promise<CertificateAuthority> {
  const dir = caDirectory(dataDir);
  if (!fs.existsSync(path.join(dir, CA_CERT_FILE))) await createCertificateAuthority(dir, now);
  return readCertificateAuthority(dir);
}

/** Reads an existing CA folder. */
export async function readCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  let keyPem: string;
  let certPem: string;
  try {
    keyPem = fs.readFileSync(path.join(dir, CA_KEY_FILE), 'utf8');
    certPem = fs.readFileSync(path.join(dir, CA_CERT_FILE), 'utf8');
  } catch (err) {
    throw new CertificateAuthorityError(`the CA folder ${dir} lacks ${CA_KEY_FILE} or ${CA_CERT_FILE}: ${(err as Error).message}`);
  }
  const certificate = new x509.X509Certificate(certPem);
  const privateKey = await subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(keyPem), KEY_ALGORITHM, false, ['sign']);
  return { dir, certPem, certificate, privateKey, fingerprintSha256: certificateFingerprint(certificate.rawData) };
}

/**
 * Makes a key and a self-signed CA certificate in a temporary folder and renames it to `dir`:
 * the rename fails when another process got there first, and then its CA is the one kept.
 */
async function createCertificateAuthority(dir: string, now: Date): Promise<void> {
  const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  // A random suffix tells installations' CAs apart in people's certificate stores.
  const name = `CN=Huitong Platform CA ${randomBytes(4).toString('hex')}, O=Huitong`;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: newSerial(),
      name,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
      keys,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
      ],
    },
    provider,
  );
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const temp = `${dir}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(temp, { mode: 0o700 });
  try {
    writeDurably(path.join(temp, CA_KEY_FILE), await privateKeyPem(keys.privateKey), 0o600);
    writeDurably(path.join(temp, CA_CERT_FILE), certificate.toString('pem'), 0o644);
    try {
      fs.renameSync(temp, dir); // replaces an empty folder, fails on a filled one
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

/**
 * Issues a client certificate for an API client: subject CN = client id, O = department id, URI
 * SAN `urn:huitong:client:<id>`, extended key usage clientAuth, valid `days` from `now`.
 */
export async function issueClientCertificate(
  ca: CertificateAuthority,
  opts: { departmentId: string; clientId: string; days: number; now: Date },
): Promise<IssuedCertificate> {
  return issue(ca, {
    subject: `CN=${opts.clientId}, O=${opts.departmentId}, OU=Huitong API client`,
    days: opts.days,
    now: opts.now,
    usage: x509.ExtendedKeyUsage.clientAuth,
    names: [{ type: 'url', value: clientUri(opts.clientId) }],
  });
}

/** Issues the TLS listener's certificate: SAN localhost, 127.0.0.1, ::1 and the given host names or addresses. */
export async function issueServerCertificate(ca: CertificateAuthority, opts: { hosts: readonly string[]; days: number; now: Date }): Promise<IssuedCertificate> {
  const hosts = [...new Set(['localhost', '127.0.0.1', '::1', ...opts.hosts])];
  return issue(ca, {
    subject: `CN=${hosts.find((h) => h !== 'localhost' && net.isIP(h) === 0) ?? 'localhost'}, O=Huitong`,
    days: opts.days,
    now: opts.now,
    usage: x509.ExtendedKeyUsage.serverAuth,
    names: hosts.map((h) => ({ type: net.isIP(h) ? ('ip' as const) : ('dns' as const), value: h })),
  });
}

/** Signs a new end-entity certificate with the CA key. */
async function issue(
  ca: CertificateAuthority,
  opts: { subject: string; days: number; now: Date; usage: x509.ExtendedKeyUsage; names: x509.JsonGeneralName[] },
): Promise<IssuedCertificate> {
  if (!Number.isFinite(opts.days) || opts.days <= 0) throw new RangeError('a certificate must be valid for a positive number of days');
  const keys = (await subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = newSerial();
  const notBefore = new Date(opts.now.getTime() - BACKDATE_MS);
  const notAfter = new Date(opts.now.getTime() + opts.days * DAY_MS);
  const certificate = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial,
      subject: opts.subject,
      issuer: ca.certificate.subjectName,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: ca.privateKey,
      signingAlgorithm: SIGNING_ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([opts.usage], false),
        new x509.SubjectAlternativeNameExtension(opts.names, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, provider),
        await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey, false, provider),
      ],
    },
    provider,
  );
  return {
    keyPem: await privateKeyPem(keys.privateKey),
    certPem: certificate.toString('pem'),
    caPem: ca.certPem,
    serial,
    fingerprintSha256: certificateFingerprint(certificate.rawData),
    subject: certificate.subject,
    // X.509 keeps whole seconds.
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
  };
}

/** A random positive 16-byte serial number, lower-case hex without a leading zero byte (RFC 5280 §4.1.2.2). */
function newSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** PKCS #8 PEM of a private key. */
async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/** Writes a new file with the mode and flushes it to disk. */
function writeDurably(file: string, text: string, mode: number): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
