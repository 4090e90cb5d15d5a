import { sql } from 'kysely';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { GcmAuthenticationError, sm4GcmDecrypt, sm4GcmEncrypt } from '../crypto/sm4-gcm.js';
import type { Executor } from '../db/index.js';
import { platformError } from '../errors.js';
import { maskCitizenId, maskUscc, type UsccLegacyPolicy, validateCitizenId, validateUscc } from '../validators/index.js';
import { describeSource, type EncryptionKey, findKey, findKeyring, type Keyring, type KeyringConfig, KeyringError, loadKeyring, refreshKeyring, activeKey } from './keyring.js';
import { vaultError } from './vault.errors.js';

/**
 * The identity vault: each identifier is stored once, encrypted, in `subjects`; everything
 * else refers to it by its token = hex HMAC-SM3(hmacKey, kind ':' normalised identifier).
 * No function here puts an identifier into an error message, so nothing can leak one into a
 * log or an API answer by rethrowing.
 */

/** The kinds of identifier the vault holds. */
export const SUBJECT_KINDS = [
  'citizen_id', // 公民身份号码 (GB 11643)
  'uscc', // 统一社会信用代码 (GB 32100)
  'registration_no', // other registration numbers: 15-digit business registration (注册号), social organisation numbers
] as const;

export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** A normalised identifier, or why the input is not one (the message never contains the input). */
export type NormaliseResult = { ok: true; value: string; warnings: string[] } | { ok: false; rule: string; message: string };

/** Options of normalisation: the date that judges future birth dates, and the policy for legacy credit codes. */
export type NormaliseOptions = { today?: string; usccLegacy?: UsccLegacyPolicy };

/** Longer input is refused before any processing: no identifier comes close. */
const MAX_RAW_LENGTH = 200;

const REGISTRATION_NO = /^[0-9A-Z]+$/;
const REGISTRATION_NO_MIN = 6;
const REGISTRATION_NO_MAX = 32;

const MESSAGES = {
  empty: '标识号码不能为空 / The identifier is empty',
  too_long: `标识号码过长 / The identifier is longer than ${MAX_RAW_LENGTH} characters`,
  kind: '未知的标识类型 / Unknown identifier kind',
  registration_length: `注册号应为${REGISTRATION_NO_MIN}至${REGISTRATION_NO_MAX}位 / A registration number must be ${REGISTRATION_NO_MIN}–${REGISTRATION_NO_MAX} characters long`,
  registration_charset: '注册号只能包含数字和大写字母 / A registration number may contain only digits and letters',
} as const;

/**
 * Validates and normalises an identifier so that every way of typing it gives one token:
 * Unicode NFKC (full-width digits and letters from Chinese input methods become ASCII), all
 * whitespace removed, upper case (citizen ID check char X, credit code letters). Citizen IDs
 * and credit codes must pass their standard's checks; registration numbers must be 6–32
 * letters and digits.
 */
export function normaliseIdentifier(kind: SubjectKind, raw: string, opts: NormaliseOptions = {}): NormaliseResult {
  if (typeof raw !== 'string' || raw.length === 0) return { ok: false, rule: 'empty', message: MESSAGES.empty };
  if (raw.length > MAX_RAW_LENGTH) return { ok: false, rule: 'length', message: MESSAGES.too_long };
  const s = raw.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
  if (s.length === 0) return { ok: false, rule: 'empty', message: MESSAGES.empty };
  switch (kind) {
    case 'citizen_id': {
      const r = validateCitizenId(s, opts.today ? { today: opts.today } : undefined);
      return r.ok ? { ok: true, value: r.normalized, warnings: [] } : { ok: false, rule: r.rule, message: r.message };
    }
    case 'uscc': {
      const r = validateUscc(s, { legacy: opts.usccLegacy ?? 'reject' });
      return r.ok ? { ok: true, value: r.normalized, warnings: r.warnings } : { ok: false, rule: r.rule, message: r.message };
    }
    case 'registration_no':
      if (s.length < REGISTRATION_NO_MIN || s.length > REGISTRATION_NO_MAX) {
        return { ok: false, rule: 'length', message: MESSAGES.registration_length };
      }
      if (!REGISTRATION_NO.test(s)) return { ok: false, rule: 'charset', message: MESSAGES.registration_charset };
      return { ok: true, value: s, warnings: [] };
    default:
      return { ok: false, rule: 'kind', message: MESSAGES.kind };
  }
}

/** What a stored subject token looks like (64 hex digits), to tell one from other stored text. */
export function isSubjectToken(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
}

/** The subject token: hex HMAC-SM3 over `kind:value` of a normalised identifier. */
export function subjectToken(keyring: Keyring, kind: SubjectKind, normalised: string): string {
  return createHmac('sm3', keyring.hmacKey).update(`${kind}:${normalised}`, 'utf8').digest('hex');
}

/** The token of an identifier as a caller typed it (normalised first), or why it is not valid. */
export function tokenForIdentifier(
  keyring: Keyring,
  kind: SubjectKind,
  raw: string,
  opts?: NormaliseOptions,
): { ok: true; token: string; warnings: string[] } | { ok: false; rule: string; message: string } {
  const n = normaliseIdentifier(kind, raw, opts);
  return n.ok ? { ok: true, token: subjectToken(keyring, kind, n.value), warnings: n.warnings } : n;
}

/** Masks an identifier for display (`1101**********002X`): the default everywhere a full value is not needed. */
export function maskIdentifier(kind: SubjectKind, value: string): string {
  switch (kind) {
    case 'citizen_id':
      return maskCitizenId(value);
    case 'uscc':
      return maskUscc(value);
    case 'registration_no': {
      const s = value.trim().toUpperCase();
      // Short numbers are masked entirely: four characters at each end would reveal most of them.
      return s.length >= 12 ? `${s.slice(0, 4)}${'*'.repeat(s.length - 8)}${s.slice(-4)}` : '*'.repeat(s.length);
    }
  }
}

/** One stored ciphertext: key, IV, ciphertext and tag, as the subjects row holds them. */
export type SealedSubject = { key_id: string; iv: Buffer; ciphertext: Buffer; tag: Buffer };

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** Encrypts a normalised identifier under `key`, bound to its token as additional data (so it cannot be moved to another row). */
export function sealSubject(key: EncryptionKey, token: string, value: string): SealedSubject {
  const iv = randomBytes(12);
  const plaintext = Buffer.from(value, 'utf8');
  const aad = Buffer.from(token, 'utf8');
  if (key.alg === 'sm4-gcm') {
    const { ciphertext, tag } = sm4GcmEncrypt(key.key, iv, plaintext, aad);
    return { key_id: key.id, iv, ciphertext, tag };
  }
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: 16 });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { key_id: key.id, iv, ciphertext, tag: cipher.getAuthTag() };
}

/** Decrypts a stored row with `key`; throws GcmAuthenticationError when it does not authenticate under this token. */
function openSealed(key: EncryptionKey, token: string, row: { iv: Uint8Array; ciphertext: Uint8Array; tag: Uint8Array }): string {
  const aad = Buffer.from(token, 'utf8');
  if (key.alg === 'sm4-gcm') {
    return sm4GcmDecrypt(key.key, row.iv, row.ciphertext, row.tag, aad).toString('utf8');
  }
  // authTagLength pins the tag to 16 bytes: node would otherwise accept a truncated tag.
  const decipher = createDecipheriv('aes-256-gcm', key.key, toBuffer(row.iv), { authTagLength: 16 });
  decipher.setAAD(aad);
  try {
    decipher.setAuthTag(toBuffer(row.tag));
    return Buffer.concat([decipher.update(toBuffer(row.ciphertext)), decipher.final()]).toString('utf8');
  } catch {
    throw new GcmAuthenticationError();
  }
}

/** A subjects row as the vault reads it. */
export type StoredSubject = { token: string; kind: SubjectKind; key_id: string; iv: Uint8Array; ciphertext: Uint8Array; tag: Uint8Array };

/**
 * Decrypts a stored subject and checks that it belongs to its token: the GCM tag binds it to
 * the token, and recomputing the token from the plaintext catches an altered kind or a
 * keyring with another HMAC key. A file-backed keyring that lacks the row's key is re-read
 * once, so a running server follows a rotation without restarting.
 */
export function openSubject(keyring: Keyring, row: StoredSubject): string {
  let key = findKey(keyring, row.key_id);
  if (!key && refreshKeyring(keyring)) key = findKey(keyring, row.key_id);
  if (!key) {
    throw vaultError('VAULT_KEY_MISSING', `subject ${row.token} is encrypted under key ${row.key_id}, which the keyring of this process lacks`);
  }
  let value: string;
  try {
    value = openSealed(key, row.token, row);
  } catch (err) {
    if (err instanceof GcmAuthenticationError) {
      throw vaultError('VAULT_INTEGRITY', `subject ${row.token} failed authentication: altered, or moved from another row`);
    }
    throw err;
  }
  // Tokens are not secret (every data table holds them), so a plain comparison is fine here.
  if (subjectToken(keyring, row.kind, value) !== row.token) {
    throw vaultError('VAULT_INTEGRITY', `subject ${row.token} does not match its token (altered kind, or another HMAC key)`);
  }
  return value;
}

/**
 * Stores an identifier once and returns its token: validates and normalises it (invalid input
 * is refused with VALIDATION_FAILED naming `field`, never the value), encrypts it under the
 * active key and inserts it unless the token exists already. Run it inside the transaction of
 * the data that refers to the token.
 */
export async function storeSubject(
  tx: Executor,
  keyring: Keyring,
  kind: SubjectKind,
  raw: string,
  now: Date,
  opts: NormaliseOptions & { field?: string } = {},
): Promise<string> {
  const n = normaliseIdentifier(kind, raw, opts);
  if (!n.ok) {
    throw platformError('VALIDATION_FAILED', n.message, { errors: [{ field: opts.field ?? 'identifier', rule: n.rule, message: n.message }] });
  }
  const token = subjectToken(keyring, kind, n.value);
  const sealed = sealSubject(activeKey(keyring), token, n.value);
  await tx
    .insertInto('subjects')
    .values({ token, kind, ...sealed, created_at: now, reencrypted_at: null })
    .onConflict((oc) => oc.column('token').doNothing())
    .execute();
  return token;
}

/**
 * Stores many identifiers at once (a batch of records): normalises each, looks up which tokens
 * the vault holds already with one query, and encrypts and inserts only the new ones with one
 * statement. Per identifier this costs no query at all, which is what keeps
 * ingest near COPY speed; storeSubject is the one-off form. Returns the tokens in input order.
 */
export async function storeSubjects(
  tx: Executor,
  keyring: Keyring,
  subjects: readonly { kind: SubjectKind; raw: string }[],
  now: Date,
  opts: NormaliseOptions = {},
): Promise<string[]> {
  const tokens: string[] = [];
  const pending = new Map<string, { kind: SubjectKind; value: string }>();
  for (const { kind, raw } of subjects) {
    const n = normaliseIdentifier(kind, raw, opts);
    if (!n.ok) throw platformError('VALIDATION_FAILED', n.message, { errors: [{ field: 'identifier', rule: n.rule, message: n.message }] });
    const token = subjectToken(keyring, kind, n.value);
    tokens.push(token);
    pending.set(token, { kind, value: n.value });
  }
  if (pending.size) {
    const known = await tx
      .selectFrom('subjects')
      .select('token')
      .where('token', '=', sql<string>`any(${[...pending.keys()]}::text[])`)
      .execute();
    for (const k of known) pending.delete(k.token);
  }
  if (!pending.size) return tokens;
  const key = activeKey(keyring);
  const fresh = [...pending].map(([token, s]) => ({ token, kind: s.kind, ...sealSubject(key, token, s.value) }));
  // One statement with a column per array (bytes as hex), as the record writes do; a concurrent
  // batch may have stored the same subject meanwhile: that row is as good as ours.
  const hex = (pick: (f: (typeof fresh)[number]) => Uint8Array) => fresh.map((f) => Buffer.from(pick(f)).toString('hex'));
  await sql`
    INSERT INTO subjects (token, kind, key_id, iv, ciphertext, tag, created_at)
    SELECT t.token, t.kind, t.key_id, decode(t.iv, 'hex'), decode(t.ciphertext, 'hex'), decode(t.tag, 'hex'), ${now}::timestamptz
    FROM unnest(${fresh.map((f) => f.token)}::text[], ${fresh.map((f) => f.kind)}::text[], ${fresh.map((f) => f.key_id)}::text[],
                ${hex((f) => f.iv)}::text[], ${hex((f) => f.ciphertext)}::text[], ${hex((f) => f.tag)}::text[]) AS t(token, kind, key_id, iv, ciphertext, tag)
    ON CONFLICT (token) DO NOTHING`.execute(tx);
  return tokens;
}

/** The subject of a token, decrypted: only for callers entitled to the full value; everyone else gets maskIdentifier of it. */
export async function revealSubject(db: Executor, keyring: Keyring, token: string): Promise<{ kind: SubjectKind; value: string }> {
  const row = await db
    .selectFrom('subjects')
    .select(['token', 'kind', 'key_id', 'iv', 'ciphertext', 'tag'])
    .where('token', '=', token)
    .executeTakeFirst();
  if (!row) throw vaultError('VAULT_SUBJECT_NOT_FOUND', `no subject has token ${token}`);
  return { kind: row.kind, value: openSubject(keyring, row) };
}

/**
 * The subjects of many tokens, decrypted after one query (a page's worth: one placeholder per
 * token), for a page of records shown masked: the caller masks at once and never returns the
 * values. Tokens without a subject are left out of the map.
 */
export async function revealSubjects(db: Executor, keyring: Keyring, tokens: readonly string[]): Promise<Map<string, { kind: SubjectKind; value: string }>> {
  const out = new Map<string, { kind: SubjectKind; value: string }>();
  if (!tokens.length) return out;
  const rows = await db
    .selectFrom('subjects')
    .select(['token', 'kind', 'key_id', 'iv', 'ciphertext', 'tag'])
    .where('token', 'in', [...new Set(tokens)])
    .execute();
  for (const row of rows) out.set(row.token, { kind: row.kind, value: openSubject(keyring, row) });
  return out;
}

/** True when a subject with this token is stored. */
export async function hasSubject(db: Executor, token: string): Promise<boolean> {
  const row = await db.selectFrom('subjects').select('token').where('token', '=', token).executeTakeFirst();
  return row !== undefined;
}

/**
 * The keyring of a starting platform (HUITONG_VAULT_KEYS, else the key file, else a new key
 * file), checked against the database: a new key file is never created for a database that
 * already holds subjects, and one sample subject must decrypt and match its token, so a
 * process with the wrong keys stops at once instead of minting tokens nobody else can match.
 */
export async function openVault(config: KeyringConfig, db: Executor, now: Date): Promise<Keyring> {
  const sample = await db.selectFrom('subjects').select(['token', 'kind', 'key_id', 'iv', 'ciphertext', 'tag']).limit(1).executeTakeFirst();
  const found = findKeyring(config);
  if (!found && sample) {
    throw new KeyringError(
      'the database holds encrypted subjects but no vault keys were found: restore keys/vault-keys.json into the data directory ' +
        'or set HUITONG_VAULT_KEYS / 数据库中已有加密主体数据，但未找到密钥文件',
    );
  }
  const keyring = found ?? loadKeyring(config, now);
  if (sample) {
    try {
      openSubject(keyring, sample);
    } catch (err) {
      throw new KeyringError(
        `the vault keys (${describeSource(keyring.source)}) do not fit this database: ${(err as Error).message} / 密钥与数据库不匹配`,
      );
    }
  }
  return keyring;
}
