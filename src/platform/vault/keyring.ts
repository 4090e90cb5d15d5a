import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { uuidv7 } from '../crypto/ids.js';

/**
 * The identity vault's keys: one HMAC key that makes subject tokens (it never rotates, since
 * every data table refers to subjects by token) and a list of encryption keys, exactly one of
 * them active (used for new ciphertexts); the others decrypt what is still under them.
 *
 * They come from HUITONG_VAULT_KEYS (base64 of the key file's JSON) or else from
 * `<dataDir>/keys/vault-keys.json`, which the first start creates (mode 0600). Key file format:
 *
 *   { "version": 1,
 *     "hmacKey": "<base64, 32 bytes>",
 *     "encryption": [ { "id": "<uuidv7>", "alg": "sm4-gcm" | "aes-256-gcm",
 *                       "key": "<base64, 16 bytes for sm4-gcm, 32 for aes-256-gcm>",
 *                       "createdAt": "<ISO 8601>", "active": true | false,
 *                       "retiredAt": "<ISO 8601>" | null } ] }
 *
 * A key that is neither active nor retired belongs to a rotation still under way; a retired
 * key no longer encrypts any row it knows of and stays only to read backups until an
 * operator removes it.
 */

/** The encryption algorithms of the vault. */
export const VAULT_ALGORITHMS = ['sm4-gcm', 'aes-256-gcm'] as const;
export type VaultAlgorithm = (typeof VAULT_ALGORITHMS)[number];

/** Key length in bytes of each algorithm. */
export const KEY_BYTES: Record<VaultAlgorithm, number> = { 'sm4-gcm': 16, 'aes-256-gcm': 32 };

const HMAC_KEY_BYTES = 32;

/** One encryption key of the keyring. */
export type EncryptionKey = {
  id: string;
  alg: VaultAlgorithm;
  key: Buffer;
  createdAt: string;
  /** Used for every new ciphertext; exactly one key is active. */
  active: boolean;
  /** When a rotation finished moving every row off this key; null while it may still be in use. */
  retiredAt: string | null;
};

/** Where a keyring came from: a key file (which rotation rewrites) or the configuration. */
export type KeySource = { kind: 'file'; path: string } | { kind: 'config' } | { kind: 'memory' };

/** The vault's keys; `source` says where changes must be persisted. */
export type Keyring = { hmacKey: Buffer; encryption: EncryptionKey[]; source: KeySource };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const ZBase64 = z.string().regex(BASE64, 'must be base64');

/** The key file's JSON, as stored on disk and (base64-encoded) in HUITONG_VAULT_KEYS. */
export const ZKeyFile = z
  .object({
    version: z.literal(1),
    hmacKey: ZBase64.refine((s) => Buffer.from(s, 'base64').length === HMAC_KEY_BYTES, `must be ${HMAC_KEY_BYTES} bytes`),
    encryption: z
      .array(
        z
          .object({
            id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores'),
            alg: z.enum(VAULT_ALGORITHMS),
            key: ZBase64,
            createdAt: z.iso.datetime({ offset: true }),
            active: z.boolean(),
            retiredAt: z.iso.datetime({ offset: true }).nullable().default(null),
          })
          .refine((k) => Buffer.from(k.key, 'base64').length === KEY_BYTES[k.alg], { message: 'key length does not fit the algorithm', path: ['key'] }),
      )
      .min(1),
  })
  .refine((f) => f.encryption.filter((k) => k.active).length === 1, { message: 'exactly one encryption key must be active', path: ['encryption'] })
  .refine((f) => new Set(f.encryption.map((k) => k.id)).size === f.encryption.length, { message: 'key ids must be unique', path: ['encryption'] })
  .refine((f) => f.encryption.every((k) => !(k.active && k.retiredAt)), { message: 'the active key cannot be retired', path: ['encryption'] });

export type KeyFile = z.input<typeof ZKeyFile>;

/** A keyring that cannot be used; the message names the problem, never a key. */
export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

/** Parses key file JSON text; throws KeyringError listing the problems. */
export function parseKeyring(text: string, source: KeySource): Keyring {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new KeyringError(`vault keys (${describeSource(source)}) are not valid JSON`);
  }
  const parsed = ZKeyFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new KeyringError(`vault keys (${describeSource(source)}) are invalid: ${problems}`);
  }
  return {
    hmacKey: Buffer.from(parsed.data.hmacKey, 'base64'),
    encryption: parsed.data.encryption.map((k) => ({ ...k, key: Buffer.from(k.key, 'base64') })),
    source,
  };
}

/** Decodes HUITONG_VAULT_KEYS (base64 of the key file JSON). */
export function parseConfiguredKeyring(base64: string): Keyring {
  if (!BASE64.test(base64.trim())) throw new KeyringError('HUITONG_VAULT_KEYS must be base64 of the vault key file JSON');
  return parseKeyring(Buffer.from(base64.trim(), 'base64').toString('utf8'), { kind: 'config' });
}

/** True when `base64` decodes to a usable key file; config.ts uses it to fail fast. */
export function isValidConfiguredKeyring(base64: string): boolean {
  try {
    parseConfiguredKeyring(base64);
    return true;
  } catch {
    return false;
  }
}

/** The key file JSON text of a keyring. */
export function serializeKeyring(keyring: Keyring): string {
  const file: KeyFile = {
    version: 1,
    hmacKey: keyring.hmacKey.toString('base64'),
    encryption: keyring.encryption.map((k) => ({
      id: k.id,
      alg: k.alg,
      key: k.key.toString('base64'),
      createdAt: k.createdAt,
      active: k.active,
      retiredAt: k.retiredAt,
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** The value for HUITONG_VAULT_KEYS that holds this keyring. */
export function encodeKeyringForConfig(keyring: Keyring): string {
  return Buffer.from(serializeKeyring(keyring), 'utf8').toString('base64');
}

/** A fresh encryption key of the algorithm, not yet active. */
export function newEncryptionKey(alg: VaultAlgorithm, now: Date): EncryptionKey {
  return { id: uuidv7(), alg, key: randomBytes(KEY_BYTES[alg]), createdAt: now.toISOString(), active: false, retiredAt: null };
}

/** A new keyring: a random HMAC key and one active encryption key. */
export function generateKeyring(alg: VaultAlgorithm, now: Date, source: KeySource = { kind: 'memory' }): Keyring {
  return { hmacKey: randomBytes(HMAC_KEY_BYTES), encryption: [{ ...newEncryptionKey(alg, now), active: true }], source };
}

/** The key new ciphertexts are made with. */
export function activeKey(keyring: Keyring): EncryptionKey {
  const key = keyring.encryption.find((k) => k.active);
  if (!key) throw new KeyringError('the vault keyring has no active encryption key');
  return key;
}

/** The key with this id, or undefined when the keyring lacks it. */
export function findKey(keyring: Keyring, id: string): EncryptionKey | undefined {
  return keyring.encryption.find((k) => k.id === id);
}

/** Where the key file of a data directory lives. */
export function keyFilePath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'vault-keys.json');
}

/** Writes `text` to a new temporary file beside `file` (mode 0600, flushed to disk); returns its name. */
function writeTemp(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = fs.openSync(temp, 'wx', 0o600);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return temp;
}

/** Replaces `file` with `text` atomically (temp file + rename) and readable by its owner only: readers see the old or the new content, never half. */
export function writeSecretFile(file: string, text: string): void {
  const temp = writeTemp(file, text);
  try {
    fs.renameSync(temp, file);
  } catch (err) {
    fs.rmSync(temp, { force: true });
    throw err;
  }
}

/** Replaces the key file atomically with this keyring. */
export function writeKeyFile(file: string, keyring: Keyring): void {
  writeSecretFile(file, serializeKeyring(keyring));
}

/**
 * Creates the key file only if none exists, atomically: hard-linking the finished temp file
 * fails when another process created one first, and then that one is used. Returns the
 * keyring now in the file.
 */
function createKeyFileIfAbsent(file: string, keyring: Keyring): Keyring {
  const temp = writeTemp(file, serializeKeyring(keyring));
  try {
    fs.linkSync(temp, file);
    return keyring;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readKeyFile(file);
    throw err;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

/** Reads and validates a key file. */
export function readKeyFile(file: string): Keyring {
  return parseKeyring(fs.readFileSync(file, 'utf8'), { kind: 'file', path: file });
}

/** The configuration the keyring loader reads. */
export type KeyringConfig = { HUITONG_VAULT_KEYS?: string | undefined; HUITONG_VAULT_ALG: VaultAlgorithm; dataDir: string };

/** The configured keyring or the existing key file; undefined when neither exists yet. */
export function findKeyring(config: KeyringConfig): Keyring | undefined {
  if (config.HUITONG_VAULT_KEYS) return parseConfiguredKeyring(config.HUITONG_VAULT_KEYS);
  const file = keyFilePath(config.dataDir);
  return fs.existsSync(file) ? readKeyFile(file) : undefined;
}

/** The keyring from HUITONG_VAULT_KEYS, else the key file, which is created with a new HUITONG_VAULT_ALG key when absent. */
export function loadKeyring(config: KeyringConfig, now: Date): Keyring {
  const found = findKeyring(config);
  if (found) return found;
  const file = keyFilePath(config.dataDir);
  return createKeyFileIfAbsent(file, generateKeyring(config.HUITONG_VAULT_ALG, now, { kind: 'file', path: file }));
}

/**
 * Re-reads a file-backed keyring in place when a rotation has added keys since it was loaded,
 * so a running server can read rows re-encrypted under the new key. Returns true when the
 * keyring changed. Refuses a file with another HMAC key: tokens would no longer match.
 */
export function refreshKeyring(keyring: Keyring): boolean {
  if (keyring.source.kind !== 'file') return false;
  let fresh: Keyring;
  try {
    fresh = readKeyFile(keyring.source.path);
  } catch {
    return false;
  }
  if (!timingSafeEqual(fresh.hmacKey, keyring.hmacKey)) return false;
  keyring.encryption.splice(0, keyring.encryption.length, ...fresh.encryption);
  return true;
}

/** A short description of where keys came from, for messages (never the keys). */
export function describeSource(source: KeySource): string {
  switch (source.kind) {
    case 'file':
      return source.path;
    case 'config':
      return 'HUITONG_VAULT_KEYS';
    case 'memory':
      return 'in memory';
  }
}
