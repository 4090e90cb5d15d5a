import { createCipheriv, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GcmAuthenticationError, gcmDecrypt, gcmEncrypt, sm4GcmDecrypt, sm4GcmEncrypt } from './sm4-gcm.js';

// RFC 8998 appendix A.1, "SM4-GCM Test Vectors" (the same vector RFC 8998 cites from GB/T 36624).
const RFC8998 = {
  key: Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex'),
  iv: Buffer.from('00001234567800000000ABCD', 'hex'),
  aad: Buffer.from('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2', 'hex'),
  plaintext: Buffer.from(
    'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB' +
      'CCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD' +
      'EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFF' +
      'EEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA',
    'hex',
  ),
  ciphertext: Buffer.from(
    '17F399F08C67D5EE19D0DC9969C4BB7D' +
      '5FD46FD3756489069157B282BB200735' +
      'D82710CA5C22F0CCFA7CBF93D496AC15' +
      'A56834CBCF98C397B4024A2691233B8D',
    'hex',
  ),
  tag: Buffer.from('83DE3541E4C2B58177E065A9BF7B62EC', 'hex'),
};

/** A copy of `buf` with one bit flipped at byte `i`. */
function flip(buf: Buffer, i: number, bit = 0): Buffer {
  const out = Buffer.from(buf);
  out[i] = (out[i] as number) ^ (1 << bit);
  return out;
}

/** node's own AES-128-GCM, the independent reference for our GCM code. */
function nodeAesGcm(key: Buffer, iv: Buffer, plaintext: Buffer, aad: Buffer) {
  const c = createCipheriv('aes-128-gcm', key, iv);
  c.setAAD(aad);
  const ciphertext = Buffer.concat([c.update(plaintext), c.final()]);
  return { ciphertext, tag: c.getAuthTag() };
}

describe('sm4GcmEncrypt', () => {
  it('reproduces the RFC 8998 A.1 ciphertext and tag', () => {
    const { ciphertext, tag } = sm4GcmEncrypt(RFC8998.key, RFC8998.iv, RFC8998.plaintext, RFC8998.aad);
    expect(ciphertext.toString('hex').toUpperCase()).toBe(RFC8998.ciphertext.toString('hex').toUpperCase());
    expect(tag.toString('hex').toUpperCase()).toBe('83DE3541E4C2B58177E065A9BF7B62EC');
  });

  it('agrees with node sm4-ctr on the keystream (counter starts at inc32(J0))', () => {
    // CTR with initial counter block IV || 00000002 is exactly GCM's GCTR for a 96-bit IV.
    const ctr = createCipheriv('sm4-ctr', RFC8998.key, Buffer.concat([RFC8998.iv, Buffer.from('00000002', 'hex')]));
    expect(Buffer.concat([ctr.update(RFC8998.plaintext), ctr.final()])).toEqual(RFC8998.ciphertext);
  });

  it('encrypts an empty plaintext to an empty ciphertext with a tag over the additional data', () => {
    const key = randomBytes(16);
    const iv = randomBytes(12);
    const a = sm4GcmEncrypt(key, iv, Buffer.alloc(0), Buffer.from('aad-1'));
    const b = sm4GcmEncrypt(key, iv, Buffer.alloc(0), Buffer.from('aad-2'));
    expect(a.ciphertext.length).toBe(0);
    expect(a.tag.length).toBe(16);
    expect(a.tag).not.toEqual(b.tag);
    expect(sm4GcmDecrypt(key, iv, a.ciphertext, a.tag, Buffer.from('aad-1')).length).toBe(0);
  });

  it('refuses a key that is not 16 bytes and an IV that is not 12 bytes', () => {
    expect(() => sm4GcmEncrypt(randomBytes(32), randomBytes(12), Buffer.from('x'))).toThrow(RangeError);
    expect(() => sm4GcmEncrypt(randomBytes(16), randomBytes(16), Buffer.from('x'))).toThrow(RangeError);
  });
});

describe('sm4GcmDecrypt', () => {
  it('decrypts the RFC 8998 A.1 vector', () => {
    const plaintext = sm4GcmDecrypt(RFC8998.key, RFC8998.iv, RFC8998.ciphertext, RFC8998.tag, RFC8998.aad);
    expect(plaintext).toEqual(RFC8998.plaintext);
  });

  it('round-trips random inputs of every length around the block size', () => {
    for (let len = 0; len <= 50; len++) {
      const key = randomBytes(16);
      const iv = randomBytes(12);
      const plaintext = randomBytes(len);
      const aad = randomBytes(len % 23);
      const { ciphertext, tag } = sm4GcmEncrypt(key, iv, plaintext, aad);
      expect(ciphertext.length).toBe(len);
      expect(sm4GcmDecrypt(key, iv, ciphertext, tag, aad)).toEqual(plaintext);
    }
  });

  it('fails on any flipped bit of the tag', () => {
    for (let i = 0; i < 16; i++) {
      expect(() => sm4GcmDecrypt(RFC8998.key, RFC8998.iv, RFC8998.ciphertext, flip(RFC8998.tag, i, i % 8), RFC8998.aad)).toThrow(
        GcmAuthenticationError,
      );
    }
  });

  it('fails on a truncated tag instead of accepting a shorter one', () => {
    expect(() => sm4GcmDecrypt(RFC8998.key, RFC8998.iv, RFC8998.ciphertext, RFC8998.tag.subarray(0, 12), RFC8998.aad)).toThrow(
      GcmAuthenticationError,
    );
  });

  it('fails on a flipped bit anywhere in the ciphertext', () => {
    for (let i = 0; i < RFC8998.ciphertext.length; i += 7) {
      expect(() => sm4GcmDecrypt(RFC8998.key, RFC8998.iv, flip(RFC8998.ciphertext, i, 7), RFC8998.tag, RFC8998.aad)).toThrow(
        GcmAuthenticationError,
      );
    }
  });

  it('fails on a truncated or extended ciphertext', () => {
    const { key, iv, ciphertext, tag, aad } = RFC8998;
    expect(() => sm4GcmDecrypt(key, iv, ciphertext.subarray(0, 63), tag, aad)).toThrow(GcmAuthenticationError);
    expect(() => sm4GcmDecrypt(key, iv, Buffer.concat([ciphertext, Buffer.alloc(1)]), tag, aad)).toThrow(GcmAuthenticationError);
  });

  it('fails on altered, missing or extra additional data', () => {
    const { key, iv, ciphertext, tag, aad } = RFC8998;
    expect(() => sm4GcmDecrypt(key, iv, ciphertext, tag, flip(aad, 19))).toThrow(GcmAuthenticationError);
    expect(() => sm4GcmDecrypt(key, iv, ciphertext, tag)).toThrow(GcmAuthenticationError);
    expect(() => sm4GcmDecrypt(key, iv, ciphertext, tag, Buffer.concat([aad, Buffer.alloc(1)]))).toThrow(GcmAuthenticationError);
  });

  it('fails under another key or IV', () => {
    const { key, iv, ciphertext, tag, aad } = RFC8998;
    expect(() => sm4GcmDecrypt(flip(key, 0), iv, ciphertext, tag, aad)).toThrow(GcmAuthenticationError);
    expect(() => sm4GcmDecrypt(key, flip(iv, 11), ciphertext, tag, aad)).toThrow(GcmAuthenticationError);
  });
});

describe('the GCM code over AES', () => {
  it('reproduces node aes-128-gcm for random keys, IVs, plaintexts and additional data', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ maxLength: 100 }),
        (key, iv, plaintext, aad) => {
          const ours = gcmEncrypt('aes-128-ecb', key, iv, plaintext, aad);
          const theirs = nodeAesGcm(Buffer.from(key), Buffer.from(iv), Buffer.from(plaintext), Buffer.from(aad));
          expect(ours.ciphertext.toString('hex')).toBe(theirs.ciphertext.toString('hex'));
          expect(ours.tag.toString('hex')).toBe(theirs.tag.toString('hex'));
          expect(gcmDecrypt('aes-128-ecb', key, iv, theirs.ciphertext, theirs.tag, aad)).toEqual(Buffer.from(plaintext));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reproduces node aes-128-gcm on long inputs spanning many GHASH blocks', () => {
    const key = randomBytes(16);
    const iv = randomBytes(12);
    const plaintext = randomBytes(4099);
    const aad = randomBytes(517);
    const ours = gcmEncrypt('aes-128-ecb', key, iv, plaintext, aad);
    const theirs = nodeAesGcm(key, iv, plaintext, aad);
    expect(ours.ciphertext).toEqual(theirs.ciphertext);
    expect(ours.tag).toEqual(theirs.tag);
  });
});
