import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../test/global-setup.js';
import { type Database, inTransaction, openPGlite, openPostgres } from '../platform/db/index.js';
import {
  encodeKeyringForConfig,
  type Keyring,
  keyFilePath,
  loadKeyring,
  parseConfiguredKeyring,
  readKeyFile,
  revealSubject,
  storeSubject,
} from '../platform/vault/index.js';

// `huitong vault rotate-key` run as a child process, the way an operator runs it, on the
// embedded database or (with TEST_DATABASE_URL) a PostgreSQL server. The steps share one
// database and run in order.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/huitong.mjs');
const SERVER_URL = process.env.TEST_DATABASE_URL;
const work = path.join(ROOT, '.tmp', `cli-vault-test-${process.pid}-${Date.now() % 1e6}`);
const dataDir = path.join(work, 'data');
const keysOut = path.join(work, 'new-vault-keys.b64');
let serverDbName: string | undefined;
let targetUrl: string | undefined;

type Run = { code: number | null; stdout: string; stderr: string };

/** `huitong …` against the database under test, with extra environment. */
function huitong(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', HUITONG_DATA_DIR: dataDir, ...env };
  delete base.DATABASE_URL;
  delete base.TEST_DATABASE_URL;
  delete base.HUITONG_VAULT_KEYS;
  if (targetUrl) base.DATABASE_URL = targetUrl;
  Object.assign(base, env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: base, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function openTarget(): Promise<Database> {
  return targetUrl ? openPostgres(targetUrl, 1) : openPGlite({ dataDir });
}

const IDENTIFIERS = ['11010519491231002X', '440524188001010014', '91110000802100433B', '91350100M000100Y43', '440301103456789'] as const;
const KINDS = ['citizen_id', 'citizen_id', 'uscc', 'uscc', 'registration_no'] as const;
let tokens: string[] = [];

/** Every subject's key id, and every subject revealed with the keyring. */
async function inspect(keyring: Keyring): Promise<{ keyIds: string[]; values: string[] }> {
  const database = await openTarget();
  try {
    const rows = await database.db.selectFrom('subjects').select(['token', 'key_id']).execute();
    const values: string[] = [];
    for (const token of tokens) values.push((await revealSubject(database.db, keyring, token)).value);
    return { keyIds: rows.map((r) => r.key_id), values };
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  if (SERVER_URL) {
    serverDbName = `huitong_cli_vault_${process.pid}_${Date.now() % 1e6}`;
    const admin = await openPostgres(SERVER_URL, 1);
    await admin.exec(`CREATE DATABASE ${serverDbName}`);
    await admin.close();
    targetUrl = withDatabase(SERVER_URL, serverDbName);
  }
  const migrated = await huitong(['migrate']);
  expect(migrated.code, migrated.stderr).toBe(0);
  // Subjects stored as a server would: keys from the key file it creates on first start.
  const keyring = loadKeyring({ HUITONG_VAULT_ALG: 'sm4-gcm', dataDir }, new Date());
  const database = await openTarget();
  try {
    tokens = await inTransaction(database.db, async (tx) => {
      const out: string[] = [];
      for (const [i, raw] of IDENTIFIERS.entries()) out.push(await storeSubject(tx, keyring, KINDS[i] as (typeof KINDS)[number], raw, new Date()));
      return out;
    });
  } finally {
    await database.close();
  }
});

afterAll(async () => {
  fs.rmSync(work, { recursive: true, force: true });
  if (SERVER_URL && serverDbName) {
    const admin = await openPostgres(SERVER_URL, 1);
    await admin.exec(`DROP DATABASE IF EXISTS ${serverDbName}`).catch(() => {});
    await admin.close();
  }
});

describe(`huitong vault rotate-key on the ${SERVER_URL ? 'postgres' : 'embedded'} database`, () => {
  it('is listed in --help and refuses an unknown algorithm with exit 2', async () => {
    const help = await huitong(['--help']);
    expect(help.stdout).toContain('  vault rotate-key');
    const bad = await huitong(['vault', 'rotate-key', '--alg', 'des']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--alg');
  });

  it('re-encrypts every subject under a new key in batches, retires the old key and prints the counts', async () => {
    const before = readKeyFile(keyFilePath(dataDir));
    const oldId = before.encryption[0]?.id as string;
    const run = await huitong(['vault', 'rotate-key', '--batch-size', '2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('re-encrypted 5 subjects in 3 batches');
    expect(run.stdout).toContain(`retired keys: ${oldId}`);
    expect(run.stdout).toContain('subjects: 5 in total');
    expect(run.stderr).toMatch(/^batch 3: 5 re-encrypted so far/m);
    const after = readKeyFile(keyFilePath(dataDir));
    expect(after.hmacKey).toEqual(before.hmacKey);
    const active = after.encryption.find((k) => k.active);
    expect(after.encryption.find((k) => k.id === oldId)?.retiredAt).not.toBeNull();
    expect(fs.statSync(keyFilePath(dataDir)).mode & 0o777).toBe(0o600);
    const { keyIds, values } = await inspect(after);
    expect(new Set(keyIds)).toEqual(new Set([active?.id]));
    expect(values).toEqual([...IDENTIFIERS]);
    const database = await openTarget();
    try {
      const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'vault.key_rotated').execute();
      expect(audit).toEqual([expect.objectContaining({ actor_name: 'cli', target_id: active?.id })]);
    } finally {
      await database.close();
    }
    // Neither identifiers nor key material reach the output.
    for (const text of [run.stdout, run.stderr]) {
      for (const id of IDENTIFIERS) expect(text).not.toContain(id);
      for (const k of after.encryption) expect(text).not.toContain(k.key.toString('base64'));
    }
  });

  it('rotates again to AES-256-GCM when asked', async () => {
    const run = await huitong(['vault', 'rotate-key', '--alg', 'aes-256-gcm']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('re-encrypted 5 subjects in 1 batches');
    const ring = readKeyFile(keyFilePath(dataDir));
    expect(ring.encryption).toHaveLength(3);
    expect(ring.encryption.find((k) => k.active)?.alg).toBe('aes-256-gcm');
    expect((await inspect(ring)).values).toEqual([...IDENTIFIERS]);
  });

  it('with keys in HUITONG_VAULT_KEYS, writes the new keys to --keys-out first and re-encrypts on the run after they are deployed', async () => {
    const configured = encodeKeyringForConfig(readKeyFile(keyFilePath(dataDir)));
    const missing = await huitong(['vault', 'rotate-key'], { HUITONG_VAULT_KEYS: configured });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--keys-out');

    const first = await huitong(['vault', 'rotate-key', '--keys-out', keysOut], { HUITONG_VAULT_KEYS: configured });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('re-encrypted 0 subjects');
    expect(first.stdout).toContain('set HUITONG_VAULT_KEYS');
    expect(fs.statSync(keysOut).mode & 0o777).toBe(0o600);
    const deployed = fs.readFileSync(keysOut, 'utf8').trim();
    expect(first.stdout).not.toContain(deployed);
    const staged = parseConfiguredKeyring(deployed);
    const newId = staged.encryption.find((k) => k.active)?.id as string;
    expect(new Set((await inspect(staged)).keyIds)).not.toContain(newId);

    const second = await huitong(['vault', 'rotate-key', '--keys-out', keysOut], { HUITONG_VAULT_KEYS: deployed });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('resumed an unfinished rotation');
    expect(second.stdout).toContain('re-encrypted 5 subjects');
    const final = parseConfiguredKeyring(fs.readFileSync(keysOut, 'utf8').trim());
    expect(final.encryption.filter((k) => !k.active).every((k) => k.retiredAt !== null)).toBe(true);
    const { keyIds, values } = await inspect(final);
    expect(new Set(keyIds)).toEqual(new Set([newId]));
    expect(values).toEqual([...IDENTIFIERS]);
  });
});
