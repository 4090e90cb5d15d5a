import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { inTransaction } from '../db/index.js';
import { AppError } from '../errors.js';
import { citizenIdCheckChar, usccCheckChar } from '../validators/index.js';
import {
  encodeKeyringForConfig,
  generateKeyring,
  type Keyring,
  KeyringError,
  keyFilePath,
  openVault,
  readKeyFile,
  revealSubject,
  rotateVaultKey,
  storeSubject,
  storeSubjects,
  type SubjectKind,
  writeKeyFile,
} from './index.js';
import { parseKeyring } from './keyring.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const dataDir = path.join(ROOT, '.tmp', `vault-test-${process.pid}-${Date.now() % 1e6}`);

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ template: 'empty', config: { HUITONG_DATA_DIR: dataDir } });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const db = () => t.app.database.db;
const keys = () => t.app.vault;
const now = () => t.clock.now();
const keyFile = () => keyFilePath(dataDir);

/** Stores one identifier in its own transaction, as a service would with its own rows. */
function store(kind: SubjectKind, raw: string, keyring: Keyring = keys()): Promise<string> {
  return inTransaction(db(), (tx) => storeSubject(tx, keyring, kind, raw, now()));
}

/** A valid citizen ID born on a given date, by sequence number. */
function citizenId(birth: string, seq: number): string {
  const first17 = `441302${birth}${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

/** A valid credit code with the given 8 digits of organisation code body. */
function uscc(orgBody: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...orgBody].reduce((s, ch, i) => s + Number(ch) * (weights[i] as number), 0);
  const c = (11 - (sum % 11)) % 11;
  const first17 = `91441300${orgBody}${c === 10 ? 'X' : String(c)}`;
  return first17 + usccCheckChar(first17);
}

/** Every subject row's key id. */
async function keyIds(): Promise<Map<string, string>> {
  const rows = await db().selectFrom('subjects').select(['token', 'key_id']).execute();
  return new Map(rows.map((r) => [r.token, r.key_id]));
}

const SAMPLES: Array<{ kind: SubjectKind; raw: string; value: string }> = [
  { kind: 'citizen_id', raw: '11010519491231002x', value: '11010519491231002X' },
  { kind: 'citizen_id', raw: '440524188001010014', value: '440524188001010014' },
  { kind: 'uscc', raw: '91110000802100433b', value: '91110000802100433B' },
  { kind: 'registration_no', raw: ' 440301103456789 ', value: '440301103456789' },
];

describe(`the identity vault on ${process.env.TEST_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`, () => {
  it('creates the key file under the data directory on first start, readable by its owner only', () => {
    expect(keys().source).toEqual({ kind: 'file', path: keyFile() });
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    const onDisk = readKeyFile(keyFile());
    expect(onDisk.hmacKey).toEqual(keys().hmacKey);
    expect(onDisk.encryption).toHaveLength(1);
    expect(onDisk.encryption[0]).toMatchObject({ alg: 'sm4-gcm', active: true, retiredAt: null });
  });

  it('stores and reveals each kind of identifier, normalised', async () => {
    for (const s of SAMPLES) {
      const token = await store(s.kind, s.raw);
      expect(token).toMatch(/^[0-9a-f]{64}$/);
      expect(await revealSubject(db(), keys(), token)).toEqual({ kind: s.kind, value: s.value });
    }
    const row = await db().selectFrom('subjects').selectAll().limit(1).executeTakeFirstOrThrow();
    // bytea comes back as bytes on both drivers (Buffer on pg, Uint8Array on PGlite).
    expect(row.iv).toBeInstanceOf(Uint8Array);
    expect(row.iv.length).toBe(12);
    expect(row.tag.length).toBe(16);
    expect(row.key_id).toBe(keys().encryption[0]?.id);
  });

  it('gives one token and one row for every spelling of an identifier', async () => {
    const spellings = ['11010519491231002X', '11010519491231002x', ' 1101 0519 4912 3100 2X ', '１１０１０５１９４９１２３１００２Ｘ'];
    const tokens = await Promise.all(spellings.map((raw) => store('citizen_id', raw)));
    expect(new Set(tokens).size).toBe(1);
    const count = await db().selectFrom('subjects').select(sql<number>`count(*)::int`.as('n')).where('token', '=', tokens[0] as string).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('stores many at once: one row per subject, existing ones kept, the same tokens as one by one', async () => {
    const existing = await store('citizen_id', citizenId('19800101', 901));
    const raws = [citizenId('19800101', 901), citizenId('19800101', 902), ` ${citizenId('19800101', 902).toLowerCase()} `, citizenId('19800101', 903)];
    const before = await db().selectFrom('subjects').select(['token', 'ciphertext']).where('token', '=', existing).executeTakeFirstOrThrow();
    const tokens = await inTransaction(db(), (tx) => storeSubjects(tx, keys(), raws.map((raw) => ({ kind: 'citizen_id' as const, raw })), now()));
    expect(tokens[0]).toBe(existing);
    expect(tokens[1]).toBe(tokens[2]);
    expect(new Set(tokens).size).toBe(3);
    for (const [i, raw] of raws.entries()) expect(tokens[i]).toBe(await store('citizen_id', raw));
    const rows = await db().selectFrom('subjects').select(['token', 'ciphertext']).where('token', 'in', tokens).execute();
    expect(rows).toHaveLength(3);
    // The subject stored before was left as it was, not re-encrypted.
    expect(rows.find((r) => r.token === existing)?.ciphertext).toEqual(before.ciphertext);
    expect((await revealSubject(db(), keys(), tokens[3] as string)).value).toBe(citizenId('19800101', 903));
  });

  it('stores nothing of a set with one invalid identifier, and names none of them', async () => {
    const good = citizenId('19800101', 911);
    const bad = `${good.slice(0, 17)}${good.endsWith('1') ? '2' : '1'}`;
    const err = await inTransaction(db(), (tx) => storeSubjects(tx, keys(), [{ kind: 'citizen_id', raw: good }, { kind: 'citizen_id', raw: bad }], now())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(JSON.stringify(err)).not.toContain(good.slice(6, 14));
    expect((err as Error).message).not.toContain(good.slice(6, 14));
    const count = await db().selectFrom('subjects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const again = await inTransaction(db(), (tx) => storeSubjects(tx, keys(), [{ kind: 'citizen_id', raw: good }], now()));
    const after = await db().selectFrom('subjects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(count.n) + 1);
    expect(again).toHaveLength(1);
  });

  it('refuses an invalid citizen ID without storing it or naming it in the error', async () => {
    const invalid = '110105194912310021';
    const before = (await keyIds()).size;
    const err = await store('citizen_id', invalid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('VALIDATION_FAILED');
    expect((err as AppError).errors).toEqual([expect.objectContaining({ field: 'identifier', rule: 'check_char' })]);
    const everything = JSON.stringify({ message: (err as AppError).message, errors: (err as AppError).errors, stack: (err as Error).stack });
    expect(everything).not.toContain(invalid);
    expect(everything).not.toContain(invalid.slice(0, 14));
    expect((await keyIds()).size).toBe(before);
  });

  it('does not reveal a ciphertext moved to another row, nor a row whose kind was changed', async () => {
    const a = await store('registration_no', 'MOVEDFROM0001');
    const b = await store('registration_no', 'MOVEDTO00002');
    const rowA = await db().selectFrom('subjects').select(['key_id', 'iv', 'ciphertext', 'tag']).where('token', '=', a).executeTakeFirstOrThrow();
    await db().updateTable('subjects').set(rowA).where('token', '=', b).execute();
    const moved = await revealSubject(db(), keys(), b).catch((e: unknown) => e);
    expect(moved).toMatchObject({ code: 'VAULT_INTEGRITY' });
    expect((moved as Error).message).not.toContain('MOVEDFROM0001');
    expect(await revealSubject(db(), keys(), a)).toEqual({ kind: 'registration_no', value: 'MOVEDFROM0001' });

    await db().updateTable('subjects').set({ kind: 'uscc' }).where('token', '=', a).execute();
    await expect(revealSubject(db(), keys(), a)).rejects.toMatchObject({ code: 'VAULT_INTEGRITY' });
    await db().deleteFrom('subjects').where('token', 'in', [a, b]).execute();
  });

  it('answers an unknown token with VAULT_SUBJECT_NOT_FOUND', async () => {
    await expect(revealSubject(db(), keys(), 'f'.repeat(64))).rejects.toMatchObject({ code: 'VAULT_SUBJECT_NOT_FOUND', status: 404 });
  });

  /** `table.column` of every text, bytea, json and array column in which one of the needles occurs. */
  async function scanDatabase(needles: string[]): Promise<string[]> {
    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT c.table_name, c.column_name, c.data_type
      FROM information_schema.columns c
      JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
        AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'jsonb', 'json', 'ARRAY')
      ORDER BY c.table_name, c.column_name`.execute(db());
    expect(columns.rows.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(
      expect.arrayContaining(['subjects.ciphertext', 'subjects.token', 'audit_log.details', 'departments.uscc']),
    );
    const hits = new Set<string>();
    for (const { table_name, column_name, data_type } of columns.rows) {
      const col = sql.id(column_name);
      for (const needle of needles) {
        // bytea is searched as raw UTF-8 bytes; everything else through its text form, ignoring case.
        const where = data_type === 'bytea' ? sql`position(convert_to(${needle}, 'UTF8') in ${col}) > 0` : sql`${col}::text ILIKE ${`%${needle}%`}`;
        const found = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(table_name)} WHERE ${where}`.execute(db());
        if (Number(found.rows[0]?.n)) hits.add(`${table_name}.${column_name}`);
      }
    }
    return [...hits].sort();
  }

  it('leaves the raw identifiers in no column of any table', async () => {
    const stored = [citizenId('19800101', 123), citizenId('20010228', 456), uscc('12345678'), 'ZX4403011034567'];
    await store('citizen_id', stored[0] as string);
    await store('citizen_id', (stored[1] as string).toLowerCase());
    await store('uscc', stored[2] as string);
    await store('registration_no', stored[3] as string);
    // The identifiers, and their middle part (birth date and sequence, organisation code) on its own.
    const values = [...stored, ...SAMPLES.map((s) => s.value)];
    const needles = [...values, ...values.map((v) => v.slice(6, 16))];
    expect(await scanDatabase(needles)).toEqual([]);
  });

  it('has a scan that does find an identifier in a text or bytea column (control)', async () => {
    const planted = citizenId('19991231', 789);
    await db().schema.createTable('vault_scan_control').addColumn('note', 'text').addColumn('blob', 'bytea').execute();
    try {
      await sql`INSERT INTO vault_scan_control (note, blob) VALUES (${`see ${planted.toLowerCase()}`}, convert_to(${`x${planted}x`}, 'UTF8'))`.execute(db());
      expect(await scanDatabase([planted])).toEqual(['vault_scan_control.blob', 'vault_scan_control.note']);
    } finally {
      await db().schema.dropTable('vault_scan_control').execute();
    }
  });
});

describe('rotating the vault key', () => {
  const persist = (k: Keyring) => writeKeyFile(keyFile(), k);
  let tokens: string[] = [];

  beforeAll(async () => {
    tokens = [];
    for (let i = 0; i < 7; i++) tokens.push(await store('registration_no', `ROT${String(i).padStart(6, '0')}`));
  });

  async function expectAllReveal(keyring: Keyring = keys()) {
    for (const [i, token] of tokens.entries()) {
      expect(await revealSubject(db(), keyring, token)).toEqual({ kind: 'registration_no', value: `ROT${String(i).padStart(6, '0')}` });
    }
  }

  it('re-encrypts every subject under a new key in batches and retires the old key', async () => {
    const oldId = keys().encryption[0]?.id as string;
    const total = (await keyIds()).size;
    const batches: number[] = [];
    const report = await rotateVaultKey({ db: db(), keyring: keys(), alg: 'aes-256-gcm', now, persist, batchSize: 3, onBatch: (p) => void batches.push(p.reencrypted) });
    expect(report).toMatchObject({ status: 'completed', resumed: false, reencrypted: total, retired: [oldId] });
    expect(report.batches).toBe(Math.ceil(total / 3));
    expect(batches.at(-1)).toBe(total);
    expect(report.countsByKey).toEqual({ [report.activeKeyId]: total });
    expect(new Set((await keyIds()).values())).toEqual(new Set([report.activeKeyId]));
    const onDisk = readKeyFile(keyFile());
    expect(onDisk.hmacKey).toEqual(keys().hmacKey);
    expect(onDisk.encryption.map((k) => [k.id, k.alg, k.active, k.retiredAt !== null])).toEqual([
      [oldId, 'sm4-gcm', false, true],
      [report.activeKeyId, 'aes-256-gcm', true, false],
    ]);
    expect(fs.statSync(keyFile()).mode & 0o777).toBe(0o600);
    await expectAllReveal();
    for (const s of SAMPLES) {
      const token = await store(s.kind, s.raw);
      expect(await revealSubject(db(), keys(), token)).toEqual({ kind: s.kind, value: s.value });
    }
    const fresh = await store('registration_no', 'AFTERROTATION1');
    expect((await keyIds()).get(fresh)).toBe(report.activeKeyId);
  });

  it('rotates a second time, keeping tokens and both retired keys', async () => {
    const before = await keyIds();
    const report = await rotateVaultKey({ db: db(), keyring: keys(), alg: 'sm4-gcm', now, persist });
    expect(report.status).toBe('completed');
    expect(report.reencrypted).toBe(before.size);
    const after = await keyIds();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(new Set(after.values())).toEqual(new Set([report.activeKeyId]));
    const onDisk = readKeyFile(keyFile());
    expect(onDisk.encryption).toHaveLength(3);
    expect(onDisk.encryption.filter((k) => k.retiredAt !== null)).toHaveLength(2);
    await expectAllReveal();
  });

  it('lets a process still holding the old keyring read rows under the new key by re-reading the key file', async () => {
    const stale = readKeyFile(keyFile());
    await rotateVaultKey({ db: db(), keyring: keys(), alg: 'sm4-gcm', now, persist });
    await expectAllReveal(stale);
    expect(stale.encryption.find((k) => k.active)?.id).toBe(keys().encryption.find((k) => k.active)?.id);
    // Keys from configuration cannot be re-read: the row's key is reported missing, not as tampering.
    const configured = parseKeyring(fs.readFileSync(keyFile(), 'utf8'), { kind: 'config' });
    configured.encryption.splice(configured.encryption.length - 1, 1);
    (configured.encryption[configured.encryption.length - 1] as { active: boolean }).active = true;
    await expect(revealSubject(db(), configured, tokens[0] as string)).rejects.toMatchObject({ code: 'VAULT_KEY_MISSING' });
  });

  it('resumes an interrupted rotation without adding another key', async () => {
    const total = (await keyIds()).size;
    const keysBefore = keys().encryption.length;
    const interrupted = rotateVaultKey({
      db: db(),
      keyring: keys(),
      alg: 'sm4-gcm',
      now,
      persist,
      batchSize: 4,
      onBatch: () => {
        throw new Error('simulated crash after the first batch');
      },
    });
    await expect(interrupted).rejects.toThrow('simulated crash');
    // The new key was persisted first; the old one is no longer active but not retired either.
    const midway = readKeyFile(keyFile());
    expect(midway.encryption).toHaveLength(keysBefore + 1);
    const newId = midway.encryption.find((k) => k.active)?.id as string;
    const pendingId = midway.encryption.find((k) => !k.active && k.retiredAt === null)?.id as string;
    expect(pendingId).toBeDefined();
    const split = [...(await keyIds()).values()];
    expect(split.filter((id) => id === newId)).toHaveLength(4);
    expect(split.filter((id) => id === pendingId)).toHaveLength(total - 4);
    // Everything stays readable mid-way, by this process and by one that loads the file afresh.
    await expectAllReveal();
    await expectAllReveal(readKeyFile(keyFile()));

    const resumed = await rotateVaultKey({ db: db(), keyring: readKeyFile(keyFile()), alg: 'aes-256-gcm', now, persist, batchSize: 4 });
    expect(resumed).toMatchObject({ status: 'completed', resumed: true, activeKeyId: newId, reencrypted: total - 4, retired: [pendingId] });
    const done = readKeyFile(keyFile());
    expect(done.encryption).toHaveLength(keysBefore + 1);
    expect(done.encryption.filter((k) => !k.active).every((k) => k.retiredAt !== null)).toBe(true);
    expect(new Set((await keyIds()).values())).toEqual(new Set([newId]));
    await expectAllReveal(done);
  });

  it('only adds a key and moves no row when the keys must first be deployed from configuration', async () => {
    const configured = parseKeyring(fs.readFileSync(keyFile(), 'utf8'), { kind: 'config' });
    const saved: Keyring[] = [];
    const before = await keyIds();
    const report = await rotateVaultKey({ db: db(), keyring: configured, alg: 'sm4-gcm', now, persist: (k) => void saved.push(k), deferReencryption: true });
    expect(report).toMatchObject({ status: 'awaiting_deploy', reencrypted: 0 });
    expect(await keyIds()).toEqual(before);
    expect(saved.map((k) => k.encryption.find((e) => e.active)?.id)).toEqual([report.activeKeyId]);
  });
});

describe('opening the vault', () => {
  const config = (over: { HUITONG_VAULT_KEYS?: string; dataDir?: string } = {}) => ({ HUITONG_VAULT_ALG: 'sm4-gcm' as const, dataDir, ...over });

  it('opens with the key file, or the same keys from HUITONG_VAULT_KEYS', async () => {
    const fromFile = await openVault(config(), db(), now());
    expect(fromFile.source.kind).toBe('file');
    const fromConfig = await openVault(config({ HUITONG_VAULT_KEYS: encodeKeyringForConfig(readKeyFile(keyFile())) }), db(), now());
    expect(fromConfig.source.kind).toBe('config');
  });

  it('refuses other keys than those of the database', async () => {
    const foreign = encodeKeyringForConfig(generateKeyring('sm4-gcm', now()));
    await expect(openVault(config({ HUITONG_VAULT_KEYS: foreign }), db(), now())).rejects.toThrow(KeyringError);
  });

  it('refuses to create a new key file for a database that already holds subjects', async () => {
    const emptyDir = path.join(dataDir, 'elsewhere');
    await expect(openVault(config({ dataDir: emptyDir }), db(), now())).rejects.toThrow(/no vault keys were found/);
    expect(fs.existsSync(keyFilePath(emptyDir))).toBe(false);
  });
});
