import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CertificateAuthorityError,
  caDirectory,
  certificateFingerprint,
  issueClientCertificate,
  issueServerCertificate,
  openCertificateAuthority,
} from './ca.js';

const NOW = new Date('2026-11-23T02:00:00.000Z');
const CLIENT = '01930000-0000-7000-8000-00000000000a';
const DEPARTMENT = '01930000-0000-7000-8000-00000000000b';
const dirs: string[] = [];

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-ca-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the platform CA', () => {
  it('is created on first use with a private key readable by its owner only, and read back afterwards', async () => {
    const dataDir = tempDataDir();
    const ca = await openCertificateAuthority(dataDir, NOW);
    expect(fs.statSync(path.join(caDirectory(dataDir), 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(caDirectory(dataDir)).mode & 0o777).toBe(0o700);
    const cert = new X509Certificate(ca.certPem);
    expect(cert.ca).toBe(true);
    expect(cert.subject).toMatch(/^CN=Huitong Platform CA [0-9a-f]{8}\nO=Huitong$/);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(new Date(cert.validTo).getTime()).toBeGreaterThan(NOW.getTime() + 9 * 365 * 86_400_000);
    const again = await openCertificateAuthority(dataDir, new Date(NOW.getTime() + 86_400_000));
    expect(again.fingerprintSha256).toBe(ca.fingerprintSha256);
    expect(ca.fingerprintSha256).toBe(cert.fingerprint256.replace(/:/g, '').toLowerCase());
  });

  it('ends with one CA when several openers race to create it', async () => {
    const dataDir = tempDataDir();
    const opened = await Promise.all([1, 2, 3, 4].map(() => openCertificateAuthority(dataDir, NOW)));
    expect(new Set(opened.map((ca) => ca.fingerprintSha256)).size).toBe(1);
    expect(fs.readdirSync(dataDir)).toEqual(['ca']);
  });

  it('refuses a CA folder that lacks its key', async () => {
    const dataDir = tempDataDir();
    await openCertificateAuthority(dataDir, NOW);
    fs.rmSync(path.join(caDirectory(dataDir), 'ca-key.pem'));
    await expect(openCertificateAuthority(dataDir, NOW)).rejects.toThrow(CertificateAuthorityError);
  });
});

describe('client certificates', () => {
  it('names the API client and its department, allows client authentication only, and chains to the CA', async () => {
    const ca = await openCertificateAuthority(tempDataDir(), NOW);
    const issued = await issueClientCertificate(ca, { departmentId: DEPARTMENT, clientId: CLIENT, days: 30, now: NOW });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.subject).toBe(`CN=${CLIENT}\nO=${DEPARTMENT}\nOU=Huitong API client`);
    expect(cert.subjectAltName).toBe(`URI:urn:huitong:client:${CLIENT}`);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
    expect(cert.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(issued.keyPem))).toBe(true);
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serial);
    expect(issued.serial).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(issued.fingerprintSha256).toBe(certificateFingerprint(cert.raw));
    expect(issued.notBefore.getTime()).toBeLessThanOrEqual(NOW.getTime());
    expect(issued.notAfter.toISOString()).toBe(new Date(NOW.getTime() + 30 * 86_400_000).toISOString());
    expect(new Date(cert.validTo).getTime()).toBe(issued.notAfter.getTime());
    expect(issued.caPem).toBe(ca.certPem);
  });

  it('gives every certificate its own serial and key', async () => {
    const ca = await openCertificateAuthority(tempDataDir(), NOW);
    const a = await issueClientCertificate(ca, { departmentId: DEPARTMENT, clientId: CLIENT, days: 1, now: NOW });
    const b = await issueClientCertificate(ca, { departmentId: DEPARTMENT, clientId: CLIENT, days: 1, now: NOW });
    expect(a.serial).not.toBe(b.serial);
    expect(a.keyPem).not.toBe(b.keyPem);
    expect(a.fingerprintSha256).not.toBe(b.fingerprintSha256);
  });

  it('refuses a validity of zero or fewer days', async () => {
    const ca = await openCertificateAuthority(tempDataDir(), NOW);
    await expect(issueClientCertificate(ca, { departmentId: DEPARTMENT, clientId: CLIENT, days: 0, now: NOW })).rejects.toThrow(RangeError);
  });
});

describe('the server certificate', () => {
  it('covers localhost, the loopback addresses and the configured host names, for server authentication', async () => {
    const ca = await openCertificateAuthority(tempDataDir(), NOW);
    const issued = await issueServerCertificate(ca, { hosts: ['huitong.gov.example', '10.0.0.8'], days: 30, now: NOW });
    const cert = new X509Certificate(issued.certPem);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkHost('huitong.gov.example')).toBe('huitong.gov.example');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('10.0.0.8')).toBe('10.0.0.8');
    expect(cert.checkHost('other.example')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.checkIssued(new X509Certificate(ca.certPem))).toBe(true);
  });
});
