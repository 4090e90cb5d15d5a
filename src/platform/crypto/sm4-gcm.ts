import { type Cipher, createCipheriv, timingSafeEqual } from 'node:crypto';

/**
 * Galois/Counter Mode (NIST SP 800-38D) over a 128-bit block cipher, used for SM4-GCM
 * (RFC 8998, GB/T 36624): Node 20's crypto offers `sm4-ecb` and `sm4-ctr` but no `sm4-gcm`.
 *
 * Only the 96-bit IV and the full 128-bit tag are supported: that is what RFC 8998 and the
 * vault use, and shorter tags or other IV lengths only add ways to get it wrong.
 *
 * The block cipher runs through node's ECB mode with padding off (one call for all counter
 * blocks). GHASH multiplies in GF(2^128) on four 32-bit words with masks instead of branches,
 * so its running time does not depend on the hash key or the data.
 */

const BLOCK = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** inc32 wraps after 2^32 blocks; J0 and the first counter use two of them (SP 800-38D §5.2.1.1). */
const MAX_BLOCKS = 2 ** 32 - 2;

/** The output of an encryption: ciphertext (as long as the plaintext) and the 16-byte tag. */
export type GcmSealed = { ciphertext: Buffer; tag: Buffer };

/** The tag did not verify: the ciphertext, tag, IV, key or additional data is not what was sealed. */
export class GcmAuthenticationError extends Error {
  override readonly name = 'GcmAuthenticationError';
  constructor() {
    super('GCM authentication failed: the data was altered or the key, IV or additional data differ');
  }
}

/** A 128-bit value as four big-endian 32-bit words. */
type Words = [number, number, number, number];

/** Z = X • H in GF(2^128) with GCM's bit order (SP 800-38D Algorithm 1), in constant structure. */
function gfMultiply(x: Words, h: Words): Words {
  let z0 = 0;
  let z1 = 0;
  let z2 = 0;
  let z3 = 0;
  let [v0, v1, v2, v3] = h;
  for (let w = 0; w < 4; w++) {
    const word = x[w as 0 | 1 | 2 | 3];
    for (let b = 31; b >= 0; b--) {
      // Bit i of X, most significant first; the mask is all ones when it is set, else zero.
      const mask = -((word >>> b) & 1);
      z0 ^= v0 & mask;
      z1 ^= v1 & mask;
      z2 ^= v2 & mask;
      z3 ^= v3 & mask;
      // V = V >> 1, folding in R = 11100001 || 0^120 when the bit shifted out was 1.
      const carry = -(v3 & 1);
      v3 = (v3 >>> 1) | (v2 << 31);
      v2 = (v2 >>> 1) | (v1 << 31);
      v1 = (v1 >>> 1) | (v0 << 31);
      v0 = (v0 >>> 1) ^ (0xe1000000 & carry);
    }
  }
  return [z0 >>> 0, z1 >>> 0, z2 >>> 0, z3 >>> 0];
}

function readWords(buf: Buffer, offset: number): Words {
  return [buf.readUInt32BE(offset), buf.readUInt32BE(offset + 4), buf.readUInt32BE(offset + 8), buf.readUInt32BE(offset + 12)];
}

/** GHASH_H(A || 0^v || C || 0^u || [len(A)]64 || [len(C)]64), the S of SP 800-38D §7.1. */
function ghash(hashKey: Buffer, aad: Buffer, ciphertext: Buffer): Buffer {
  const h = readWords(hashKey, 0);
  let y: Words = [0, 0, 0, 0];
  const absorb = (data: Buffer) => {
    for (let off = 0; off < data.length; off += BLOCK) {
      let block: Buffer;
      if (off + BLOCK <= data.length) {
        block = data.subarray(off, off + BLOCK);
      } else {
        block = Buffer.alloc(BLOCK);
        data.copy(block, 0, off);
      }
      const x = readWords(block, 0);
      y = gfMultiply([(y[0] ^ x[0]) >>> 0, (y[1] ^ x[1]) >>> 0, (y[2] ^ x[2]) >>> 0, (y[3] ^ x[3]) >>> 0], h);
    }
  };
  absorb(aad);
  absorb(ciphertext);
  const lengths = Buffer.alloc(BLOCK);
  lengths.writeBigUInt64BE(BigInt(aad.length) * 8n, 0);
  lengths.writeBigUInt64BE(BigInt(ciphertext.length) * 8n, 8);
  absorb(lengths);
  const out = Buffer.alloc(BLOCK);
  for (let i = 0; i < 4; i++) out.writeUInt32BE(y[i as 0 | 1 | 2 | 3], i * 4);
  return out;
}

function xorInto(target: Buffer, a: Buffer, b: Buffer, length: number): void {
  for (let i = 0; i < length; i++) target[i] = (a[i] as number) ^ (b[i] as number);
}

/** The pieces every GCM operation needs: H, E(J0) and the keystream for `length` bytes. */
function prepare(ecbAlgorithm: string, key: Uint8Array, iv: Uint8Array, length: number) {
  if (iv.length !== IV_BYTES) throw new RangeError(`GCM needs a ${IV_BYTES}-byte IV, got ${iv.length} bytes`);
  const blocks = Math.ceil(length / BLOCK);
  if (blocks > MAX_BLOCKS) throw new RangeError('GCM input too long for one IV');
  const cipher: Cipher = createCipheriv(ecbAlgorithm, key, null);
  cipher.setAutoPadding(false);
  // One ECB pass over 0^128 (→ H), J0 = IV || 0^31 || 1 (→ tag mask) and inc32(J0), inc32²(J0), …
  const input = Buffer.alloc((blocks + 2) * BLOCK);
  for (let i = 0; i <= blocks; i++) {
    const off = (i + 1) * BLOCK;
    input.set(iv, off);
    input.writeUInt32BE((i + 1) >>> 0, off + IV_BYTES);
  }
  const output = Buffer.concat([cipher.update(input), cipher.final()]);
  return {
    hashKey: output.subarray(0, BLOCK),
    tagMask: output.subarray(BLOCK, 2 * BLOCK),
    keystream: output.subarray(2 * BLOCK),
  };
}

function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * GCM encryption over any 128-bit block cipher node offers in ECB mode (`sm4-ecb`,
 * `aes-128-ecb`, …). Exported so tests can run this very code over AES and compare it with
 * node's native `aes-128-gcm`.
 */
export function gcmEncrypt(ecbAlgorithm: string, key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = new Uint8Array(0)): GcmSealed {
  const { hashKey, tagMask, keystream } = prepare(ecbAlgorithm, key, iv, plaintext.length);
  const ciphertext = Buffer.alloc(plaintext.length);
  xorInto(ciphertext, asBuffer(plaintext), keystream, plaintext.length);
  const tag = Buffer.alloc(TAG_BYTES);
  xorInto(tag, ghash(hashKey, asBuffer(aad), ciphertext), tagMask, TAG_BYTES);
  return { ciphertext, tag };
}

/** GCM decryption (see gcmEncrypt); verifies the tag in constant time before decrypting, throws GcmAuthenticationError if it fails. */
export function gcmDecrypt(
  ecbAlgorithm: string,
  key: Uint8Array,
  iv: Uint8Array,
  ciphertext: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array = new Uint8Array(0),
): Buffer {
  const { hashKey, tagMask, keystream } = prepare(ecbAlgorithm, key, iv, ciphertext.length);
  const ct = asBuffer(ciphertext);
  const expected = Buffer.alloc(TAG_BYTES);
  xorInto(expected, ghash(hashKey, asBuffer(aad), ct), tagMask, TAG_BYTES);
  // Truncated tags are refused outright; timingSafeEqual needs equal lengths anyway.
  if (tag.length !== TAG_BYTES || !timingSafeEqual(expected, tag)) throw new GcmAuthenticationError();
  const plaintext = Buffer.alloc(ct.length);
  xorInto(plaintext, ct, keystream, ct.length);
  return plaintext;
}

function checkSm4Key(key: Uint8Array): void {
  if (key.length !== 16) throw new RangeError(`SM4 needs a 16-byte key, got ${key.length} bytes`);
}

/** SM4-GCM encryption (RFC 8998): 16-byte key, 12-byte IV, optional additional authenticated data; 16-byte tag. */
export function sm4GcmEncrypt(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad?: Uint8Array): GcmSealed {
  checkSm4Key(key);
  return gcmEncrypt('sm4-ecb', key, iv, plaintext, aad);
}

/** SM4-GCM decryption (RFC 8998); throws GcmAuthenticationError when the tag does not verify. */
export function sm4GcmDecrypt(key: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad?: Uint8Array): Buffer {
  checkSm4Key(key);
  return gcmDecrypt('sm4-ecb', key, iv, ciphertext, tag, aad);
}
