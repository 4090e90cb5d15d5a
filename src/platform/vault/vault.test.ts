import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config.js';
import {
  encodeKeyringForConfig,
  generateKeyring,
  keyFilePath,
  KeyringError,
  loadKeyring,
  maskIdentifier,
  normaliseIdentifier,
  parseConfiguredKeyring,
  readKeyFile,
  serializeKeyring,
  subjectToken,
  tokenForIdentifier,
} from './index.js';
import { parseKeyring } from './keyring.js';

const NOW = new Date('2026-11-23T02:00:00.000Z');
const today = '2026-11-23';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-vault-unit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('normaliseIdentifier', () => {
  it('upper-cases the check character X of a citizen ID and strips spaces anywhere', () => {
    for (const raw of ['11010519491231002x', ' 11010519491231002X ', '1101 0519 4912 3100 2x', '110105\t19491231002X\n']) {
      expect(normaliseIdentifier('citizen_id', raw, { today })).toEqual({ ok: true, value: '11010519491231002X', warnings: [] });
    }
  });

  it('turns full-width digits and letters from a Chinese input method into ASCII', () => {
    expect(normaliseIdentifier('citizen_id', '１１０１０５１９４９１２３１００２ｘ', { today })).toMatchObject({ ok: true, value: '11010519491231002X' });
    expect(normaliseIdentifier('uscc', '９１１１００００８０２１００４３３ｂ')).toMatchObject({ ok: true, value: '91110000802100433B' });
  });

  it('upper-cases a unified social credit code', () => {
    expect(normaliseIdentifier('uscc', ' 91350100m000100y43 ')).toEqual({ ok: true, value: '91350100M000100Y43', warnings: [] });
  });

  it('accepts a legacy credit code with a warning only under the import policy', () => {
    const legacy = '91110000802100433C';
    expect(normaliseIdentifier('uscc', legacy)).toMatchObject({ ok: false, rule: 'check_char' });
    const imported = normaliseIdentifier('uscc', legacy, { usccLegacy: 'warn' });
    expect(imported).toMatchObject({ ok: true, value: legacy });
    expect(imported.ok && imported.warnings.length).toBe(1);
  });

  it('trims and upper-cases registration numbers and refuses other characters', () => {
    expect(normaliseIdentifier('registration_no', ' 44030110345678x ')).toEqual({ ok: true, value: '44030110345678X', warnings: [] });
    expect(normaliseIdentifier('registration_no', '4403-0110-3456')).toMatchObject({ ok: false, rule: 'charset' });
    expect(normaliseIdentifier('registration_no', '12345')).toMatchObject({ ok: false, rule: 'length' });
  });

  it('refuses invalid identifiers with messages that never contain them', () => {
    const cases: Array<[Parameters<typeof normaliseIdentifier>[0], string]> = [
      ['citizen_id', '110105194912310021'],
      ['citizen_id', '11010519491231002'],
      ['uscc', '91110000802100433C'],
      ['registration_no', '4403011034567890123456789012345678'],
      ['registration_no', '粤民证字第0100号'],
    ];
    for (const [kind, raw] of cases) {
      const r = normaliseIdentifier(kind, raw, { today });
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.message).not.toContain(raw);
      expect(r.message).not.toContain(raw.slice(0, 10));
    }
  });

  it('refuses empty and absurdly long input', () => {
    expect(normaliseIdentifier('citizen_id', '')).toMatchObject({ ok: false, rule: 'empty' });
    expect(normaliseIdentifier('citizen_id', '   ')).toMatchObject({ ok: false, rule: 'empty' });
    expect(normaliseIdentifier('registration_no', '1'.repeat(10_000))).toMatchObject({ ok: false, rule: 'length' });
  });
});

describe('subjectToken', () => {
  const keyring = generateKeyring('sm4-gcm', NOW);

  it('is 64 hex digits of HMAC-SM3 over kind:value', async () => {
    const { createHmac } = await import('node:crypto');
    const token = subjectToken(keyring, 'citizen_id', '11010519491231002X');
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(token).toBe(createHmac('sm3', keyring.hmacKey).update('citizen_id:11010519491231002X').digest('hex'));
  });

  it('differs between kinds for the same characters and between keyrings', () => {
    const a = subjectToken(keyring, 'uscc', '91110000802100433B');
    expect(subjectToken(keyring, 'registration_no', '91110000802100433B')).not.toBe(a);
    expect(subjectToken(generateKeyring('sm4-gcm', NOW), 'uscc', '91110000802100433B')).not.toBe(a);
  });

  it('is the same for every spelling of one identifier via tokenForIdentifier', () => {
    const tokens = ['11010519491231002X', '11010519491231002x', ' 1101 0519 4912 3100 2X'].map((raw) => {
      const r = tokenForIdentifier(keyring, 'citizen_id', raw, { today });
      return r.ok ? r.token : raw;
    });
    expect(new Set(tokens).size).toBe(1);
  });
});

describe('maskIdentifier', () => {
  it('shows the first and last four characters of citizen IDs and credit codes', () => {
    expect(maskIdentifier('citizen_id', '11010519491231002X')).toBe('1101**********002X');
    expect(maskIdentifier('uscc', '91110000802100433B')).toBe('9111**********433B');
  });

  it('masks a 15-digit registration number in the middle and a short one entirely', () => {
    expect(maskIdentifier('registration_no', '440301103456789')).toBe('4403*******6789');
    expect(maskIdentifier('registration_no', 'A1234567')).toBe('********');
  });
});

describe('the keyring', () => {
  it('round-trips through the key file format and HUITONG_VAULT_KEYS', () => {
    const keyring = generateKeyring('aes-256-gcm', NOW);
    const again = parseKeyring(serializeKeyring(keyring), { kind: 'memory' });
    expect(again.hmacKey).toEqual(keyring.hmacKey);
    expect(again.encryption).toEqual(keyring.encryption);
    const configured = parseConfiguredKeyring(encodeKeyringForConfig(keyring));
    expect(configured.encryption).toEqual(keyring.encryption);
    expect(configured.source).toEqual({ kind: 'config' });
    expect(keyring.encryption[0]?.key.length).toBe(32);
  });

  it('refuses key files without exactly one active key, with a wrong key length or duplicate ids', () => {
    const file = JSON.parse(serializeKeyring(generateKeyring('sm4-gcm', NOW)));
    const variants = [
      { ...file, encryption: [{ ...file.encryption[0], active: false }] },
      { ...file, encryption: [file.encryption[0], { ...file.encryption[0], id: 'other' }] },
      { ...file, encryption: [{ ...file.encryption[0], key: Buffer.alloc(32).toString('base64') }] },
      { ...file, encryption: [file.encryption[0], { ...file.encryption[0], active: false }] },
      { ...file, hmacKey: Buffer.alloc(16).toString('base64') },
    ];
    for (const v of variants) expect(() => parseKeyring(JSON.stringify(v), { kind: 'memory' })).toThrow(KeyringError);
  });

  it('never puts key material into its error messages', () => {
    const keyring = generateKeyring('sm4-gcm', NOW);
    const file = JSON.parse(serializeKeyring(keyring));
    file.encryption[0].alg = 'aes-256-gcm';
    try {
      parseKeyring(JSON.stringify(file), { kind: 'memory' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).not.toContain(file.encryption[0].key);
      expect((err as Error).message).not.toContain(file.hmacKey);
    }
  });

  it('creates the key file with mode 0600 on first load and reads the same keys afterwards', () => {
    const dataDir = path.join(tmp, 'first-start');
    const config = { HUITONG_VAULT_ALG: 'sm4-gcm' as const, dataDir };
    const first = loadKeyring(config, NOW);
    const file = keyFilePath(dataDir);
    expect(first.source).toEqual({ kind: 'file', path: file });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['vault-keys.json']);
    const second = loadKeyring({ ...config, HUITONG_VAULT_ALG: 'aes-256-gcm' }, NOW);
    expect(second.hmacKey).toEqual(first.hmacKey);
    expect(second.encryption).toEqual(first.encryption);
    expect(readKeyFile(file).encryption[0]?.alg).toBe('sm4-gcm');
  });

  it('prefers HUITONG_VAULT_KEYS and writes no file then', () => {
    const dataDir = path.join(tmp, 'configured');
    const keyring = generateKeyring('sm4-gcm', NOW);
    const loaded = loadKeyring({ HUITONG_VAULT_KEYS: encodeKeyringForConfig(keyring), HUITONG_VAULT_ALG: 'sm4-gcm', dataDir }, NOW);
    expect(loaded.hmacKey).toEqual(keyring.hmacKey);
    expect(fs.existsSync(keyFilePath(dataDir))).toBe(false);
  });
});

describe('the vault settings', () => {
  it('accepts HUITONG_VAULT_KEYS and HUITONG_VAULT_ALG, defaulting to SM4-GCM', () => {
    const value = encodeKeyringForConfig(generateKeyring('sm4-gcm', NOW));
    expect(parseConfig({ HUITONG_VAULT_KEYS: value }).HUITONG_VAULT_KEYS).toBe(value);
    expect(parseConfig({}).HUITONG_VAULT_ALG).toBe('sm4-gcm');
    expect(parseConfig({ HUITONG_VAULT_ALG: 'aes-256-gcm' }).HUITONG_VAULT_ALG).toBe('aes-256-gcm');
  });

  it('lists a malformed HUITONG_VAULT_KEYS without echoing it', () => {
    const bad = Buffer.from('{"version":1,"hmacKey":"c2VjcmV0"}').toString('base64');
    try {
      parseConfig({ HUITONG_VAULT_KEYS: bad, HUITONG_VAULT_ALG: 'des' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      expect(problems).toContain('HUITONG_VAULT_KEYS');
      expect(problems).toContain('HUITONG_VAULT_ALG');
      expect(problems).not.toContain(bad);
    }
  });
});
