import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, publishEntry, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../test/harness.js';
import { runCli } from '../../cli/cli.js';
import { issueCertificateFiles } from '../../cli/commands/issue-certificate.js';
import { caDirectory, issueClientCertificate, openCertificateAuthority } from '../../platform/crypto/ca.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

// A real HTTPS listener (HUITONG_TLS=on, port 0) called with node:https. TLS checks certificate
// dates with the machine's clock, so the platform clock is set to it before issuing.

const DAY_MS = 86_400_000;
let t: TestPlatform;
let port = 0;
let serverCaPem = '';
let code = '';
let civil = '';
let psb = '';
const as = { admin: '', deptadmin: '', editor: '', reviewer: '', authority: '' };
const tempDirs: string[] = [];
let keyCounter = 0;

type Credential = { keyPem: string; certPem: string };
type TlsAnswer = { status: number; contentType: string; json: Record<string, unknown> };

/** One request over its own TLS connection, optionally presenting a client certificate. */
function overTls(opts: { method: string; url: string; body?: unknown; headers?: Record<string, string>; credential?: Credential }): Promise<TlsAnswer> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method,
        path: `/api/v1${opts.url}`,
        agent: false,
        ca: serverCaPem,
        ...(opts.credential ? { key: opts.credential.keyPem, cert: opts.credential.certPem } : {}),
        headers: { ...(payload ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), json: text ? JSON.parse(text) : {} }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function citizenId(seq: number): string {
  const first17 = `44130219900201${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

/** Sends a one-record batch to the test dataset over TLS. */
function push(credential?: Credential, headers: Record<string, string> = {}) {
  const seq = keyCounter++;
  return overTls({
    method: 'POST',
    url: `/datasets/${encodeURIComponent(code)}/batches`,
    body: { records: [{ values: { citizenId: citizenId(seq), name: `李${seq}` } }] },
    headers: { 'idempotency-key': `mtls-${seq}`, ...headers },
    credential,
  });
}

const call = (method: string, url: string, opts: { cookie?: string; body?: unknown } = {}) => t.call({ method, url: `/api/v1${url}`, ...opts });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

type Client = { id: string; name: string; authorization: string };
async function createClient(cookie = as.deptadmin, body: Record<string, unknown> = {}): Promise<Client> {
  return ok(await call('POST', '/api-clients', { cookie, body: { name: `证书前置机${keyCounter++}`, scopes: ['collection:write'], ...body } }), 201);
}

type Issued = { certificate: { serial: string; status: string; notAfter: string; fingerprintSha256: string }; keyPem: string; certPem: string; caPem: string };
/**
 * Issues a certificate over the API at a moment of the machine's clock (now unless given), signed
 * in afresh then (sessions follow the platform clock), and puts the platform clock back.
 */
async function issue(clientId: string, opts: { at?: Date; days?: number; user?: string } = {}): Promise<Issued> {
  t.clock.set(opts.at ?? new Date());
  try {
    const cookie = await t.login(opts.user ?? 'deptadmin');
    const body = opts.days === undefined ? undefined : { days: opts.days };
    return await ok(await call('POST', `/api-clients/${clientId}/certificates`, { cookie, body }), 201);
  } finally {
    t.clock.set(TEST_NOW);
  }
}

/** The audit entries a refused request left, found by the request id of its problem answer. */
function auditOf(answer: TlsAnswer) {
  return t.app.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', String(answer.json.requestId)).execute();
}

async function expectRefused(answer: TlsAnswer, reason: RegExp, targetId: string | null) {
  expect(answer.status, JSON.stringify(answer.json)).toBe(401);
  expect(answer.contentType).toContain('application/problem+json');
  expect(answer.json.code).toBe('AUTH_INVALID_CLIENT');
  const entries = await auditOf(answer);
  expect(entries.map((e) => e.action)).toEqual(['api_client.auth_failed']);
  expect(entries[0]?.outcome).toBe('denied');
  expect(entries[0]?.target_id).toBe(targetId);
  expect(String(entries[0]?.details.reason)).toMatch(reason);
  expect(entries[0]?.details.credential).toBe('certificate');
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-mtls-'));
  tempDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  t = await startTestPlatform({ config: { HUITONG_TLS: 'on' } });
  await t.server.listen({ port: 0, host: '127.0.0.1' });
  port = (t.server.server.address() as AddressInfo).port;
  serverCaPem = fs.readFileSync(path.join(caDirectory(t.app.config.dataDir), 'ca-cert.pem'), 'utf8');
  for (const k of Object.keys(as) as (keyof typeof as)[]) as[k] = await t.login(k);
  civil = await t.departmentId(DEMO.civil);
  psb = await t.departmentId(DEMO.psb);
  const items = [
    { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
    { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  ];
  code = (await publishEntry(t, as, { items })).code;
});

afterAll(async () => {
  await t.close();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('mutual TLS with client certificates', () => {
  it('serves a request with a valid certificate as its API client, with the client’s department and scopes', async () => {
    const c = await createClient();
    const cert = await issue(c.id);
    expect(cert.certificate.status).toBe('valid');
    const res = await push(cert);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const batch = await t.app.database.db.selectFrom('collection_batches').select(['created_by']).where('id', '=', String(res.json.batchId)).executeTakeFirstOrThrow();
    expect(batch.created_by).toBe(c.id);
    const entry = await t.app.database.db
      .selectFrom('audit_log')
      .select(['actor_name', 'department_id'])
      .where('action', '=', 'collection.batch_applied')
      .where('actor_id', '=', c.id)
      .executeTakeFirstOrThrow();
    expect(entry.actor_name).toBe(`client:${c.name}`);
    expect(entry.department_id).toBe(civil);
    const client = await t.app.database.db.selectFrom('api_clients').select('last_used_at').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(client.last_used_at).not.toBeNull();
  });

  it('gives a certificate only its client’s rights: another department’s dataset is 403, management routes too', async () => {
    const other = await createClient(as.admin, { departmentId: psb });
    const cert = await issue(other.id, { user: 'admin' });
    expect((await push(cert)).status).toBe(403);
    expect((await overTls({ method: 'GET', url: '/api-clients', credential: cert })).status).toBe(403);
  });

  it('still lets people without a certificate reach the platform over HTTPS, and keeps the bearer credential working', async () => {
    expect((await overTls({ method: 'GET', url: '/catalog/entries' })).status).toBe(401);
    const login = await overTls({ method: 'POST', url: '/auth/login', body: { username: 'deptadmin', password: 'Huitong@2026' } });
    expect(login.status).toBe(200);
    const c = await createClient();
    expect((await push(undefined, { authorization: c.authorization })).status).toBe(200);
  });

  it('refuses an expired certificate with 401, audited with the reason', async () => {
    const c = await createClient();
    const cert = await issue(c.id, { at: new Date(Date.now() - 10 * DAY_MS), days: 1 });
    await expectRefused(await push(cert), /not verified: CERT_HAS_EXPIRED/, c.id);
  });

  it('refuses a certificate from a foreign CA naming a real client with 401, audited', async () => {
    const c = await createClient();
    const foreign = await openCertificateAuthority(tempDir(), new Date());
    const cert = await issueClientCertificate(foreign, { departmentId: civil, clientId: c.id, days: 30, now: new Date() });
    await expectRefused(await push(cert), /not verified/, null);
  });

  it('refuses a revoked certificate and every certificate of a revoked client with 401, audited', async () => {
    const c = await createClient();
    const first = await issue(c.id);
    const second = await issue(c.id);
    expect((await push(first)).status).toBe(200);
    const revoked = await ok(await call('POST', `/api-clients/${c.id}/certificates/${first.certificate.serial}/revoke`, { cookie: as.deptadmin, body: { reason: '私钥泄露' } }));
    expect(revoked.status).toBe('revoked');
    expect(revoked.revokeReason).toBe('私钥泄露');
    await expectRefused(await push(first), /^certificate revoked$/, c.id);
    expect((await push(second)).status).toBe(200);
    await ok(await call('POST', `/api-clients/${c.id}/revoke`, { cookie: as.deptadmin, body: { reason: '系统下线' } }));
    await expectRefused(await push(second), /^client revoked$/, c.id);
  });

  it('lets a bearer credential win over a refused certificate on the same request', async () => {
    const c = await createClient();
    const foreign = await openCertificateAuthority(tempDir(), new Date());
    const cert = await issueClientCertificate(foreign, { departmentId: civil, clientId: c.id, days: 30, now: new Date() });
    expect((await push(cert, { authorization: c.authorization })).status).toBe(200);
  });
});

describe('client certificates over the API', () => {
  it('shows the private key once, stores only the certificate, and audits issue and revocation', async () => {
    const c = await createClient();
    const res = await call('POST', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin, body: { days: 30 } });
    const issued = await ok(res, 201);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(issued.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(issued.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(issued.caPem).toBe(serverCaPem);
    expect(issued.certificate).toMatchObject({ clientId: c.id, departmentId: civil, status: 'valid', revokedAt: null });
    expect(new Date(issued.certificate.notAfter).getTime() - t.clock.now().getTime()).toBe(30 * DAY_MS);
    const list = await call('GET', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin });
    expect((await ok(list)).items).toEqual([issued.certificate]);
    expect(list.body).not.toContain('PRIVATE KEY');
    const row = await t.app.database.db.selectFrom('client_certificates').selectAll().where('serial', '=', issued.certificate.serial).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');
    expect(row.certificate_pem).toBe(issued.certPem);
    await ok(await call('POST', `/api-clients/${c.id}/certificates/${issued.certificate.serial.toUpperCase()}/revoke`, { cookie: as.deptadmin, body: { reason: '更换' } }));
    const entries = await t.app.database.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', c.id).orderBy('seq').execute();
    expect(entries.map((e) => e.action)).toEqual(['api_client.created', 'api_client.certificate_issued', 'api_client.certificate_revoked']);
    expect(entries[1]?.details).toMatchObject({ serial: issued.certificate.serial, fingerprintSha256: issued.certificate.fingerprintSha256 });
    expect(JSON.stringify(entries)).not.toContain('PRIVATE KEY');
  });

  it('lists a certificate past its notAfter as expired, by the platform clock', async () => {
    const c = await createClient();
    t.clock.set(new Date(new Date(TEST_NOW).getTime() - 10 * DAY_MS));
    await ok(await call('POST', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin, body: { days: 1 } }), 201);
    t.clock.set(TEST_NOW);
    const listed = await ok(await call('GET', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin }));
    expect(listed.items.map((i: { status: string }) => i.status)).toEqual(['expired']);
  });

  it('issues for a year when no validity is given', async () => {
    const c = await createClient();
    const issued = await ok(await call('POST', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin }), 201);
    expect(new Date(issued.certificate.notAfter).getTime() - t.clock.now().getTime()).toBe(365 * DAY_MS);
  });

  it('refuses a second revocation, an unknown serial, a revoked client and a validity out of range', async () => {
    const c = await createClient();
    const issued = await issue(c.id);
    const revoke = (serial: string) => call('POST', `/api-clients/${c.id}/certificates/${serial}/revoke`, { cookie: as.deptadmin, body: { reason: 'x' } });
    await ok(await revoke(issued.certificate.serial));
    expect((await revoke(issued.certificate.serial)).json().code).toBe('CLIENTS_CERTIFICATE_ALREADY_REVOKED');
    expect((await revoke('0abc')).json().code).toBe('CLIENTS_CERTIFICATE_NOT_FOUND');
    expect((await revoke('not-hex')).statusCode).toBe(422);
    for (const days of [0, 731, 1.5]) {
      expect((await call('POST', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin, body: { days } })).statusCode, String(days)).toBe(422);
    }
    await ok(await call('POST', `/api-clients/${c.id}/revoke`, { cookie: as.deptadmin, body: { reason: 'x' } }));
    const res = await call('POST', `/api-clients/${c.id}/certificates`, { cookie: as.deptadmin });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CLIENTS_ALREADY_REVOKED');
    expect((await call('GET', '/api-clients/00000000-0000-7000-8000-000000000000/certificates', { cookie: as.deptadmin })).statusCode).toBe(404);
  });

  it('does not let a department administrator issue, list or revoke certificates of another department’s client, nor an editor', async () => {
    const other = await createClient(as.admin, { departmentId: psb });
    const issued = await issue(other.id, { user: 'admin' });
    for (const [method, url, body] of [
      ['POST', `/api-clients/${other.id}/certificates`, {}],
      ['GET', `/api-clients/${other.id}/certificates`, undefined],
      ['POST', `/api-clients/${other.id}/certificates/${issued.certificate.serial}/revoke`, { reason: 'x' }],
    ] as const) {
      expect((await call(method, url, { cookie: as.deptadmin, body })).statusCode, `${method} ${url}`).toBe(403);
      expect((await call(method, url, { cookie: as.editor, body })).statusCode, `${method} ${url}`).toBe(403);
    }
    expect(await t.app.database.db.selectFrom('client_certificates').select('serial').where('client_id', '=', other.id).execute()).toHaveLength(1);
  });

  it('documents the certificate routes in the OpenAPI document and answers malformed JSON with 400', async () => {
    const doc = await ok(await t.call({ method: 'GET', url: '/api/openapi.json' }));
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/api-clients/{id}/certificates', '/api/v1/api-clients/{id}/certificates/{serial}/revoke']),
    );
    const c = await createClient();
    const res = await t.call({
      method: 'POST',
      url: `/api/v1/api-clients/${c.id}/certificates`,
      cookie: as.deptadmin,
      body: '{"days":',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('huitong ca', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
  };

  it('issues a certificate into a folder: key readable by its owner only, recorded like one from the API', async () => {
    const c = await createClient();
    const dir = path.join(tempDir(), 'certs');
    const o = io();
    t.clock.set(new Date()); // the certificate is used over TLS below
    try {
      expect(await issueCertificateFiles(t.app, o.io, { department: DEMO.civil, clientId: c.id, days: 10, out: dir })).toBe(0);
    } finally {
      t.clock.set(TEST_NOW);
    }
    expect(fs.statSync(path.join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, 'ca.pem'), 'utf8')).toBe(serverCaPem);
    const rows = await t.app.database.db.selectFrom('client_certificates').selectAll().where('client_id', '=', c.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.issued_by).toBeNull();
    expect(o.out.join('\n')).toContain(rows[0]?.serial);
    const res = await push({ keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    // Never over an existing key.
    await expect(issueCertificateFiles(t.app, io().io, { department: DEMO.civil, clientId: c.id, days: 10, out: dir })).rejects.toThrow(/exists/);
  });

  it('refuses a client of another department than the one named', async () => {
    const c = await createClient();
    await expect(issueCertificateFiles(t.app, io().io, { department: DEMO.psb, clientId: c.id, days: undefined, out: tempDir() })).rejects.toMatchObject({
      code: 'CLIENTS_NOT_FOUND',
    });
  });

  it('checks its command line before opening anything, and `ca init` shows the CA', async () => {
    const dataDir = tempDir();
    const config = () => ({ ...t.app.config, dataDir });
    const bad = io();
    expect(await runCli(['ca', 'issue', '--department', 'x', '--client', 'nope'], bad.io, config)).toBe(2);
    expect(await runCli(['ca', 'issue', '--department', 'x', '--client', '00000000-0000-7000-8000-000000000000', '--days', '0'], bad.io, config)).toBe(2);
    const init = io();
    expect(await runCli(['ca', 'init'], init.io, config)).toBe(0);
    expect(init.out[0]).toContain('created');
    expect(fs.statSync(path.join(caDirectory(dataDir), 'ca-key.pem')).mode & 0o777).toBe(0o600);
    const again = io();
    expect(await runCli(['ca', 'init'], again.io, config)).toBe(0);
    expect(again.out[0]).toContain('exists');
    expect(again.out.at(-1)).toBe(init.out.at(-1));
  });
});
