import { describe, it, expect } from 'vitest';
import { sm3Hex } from './sm3.js';

describe('sm3Hex', () => {
  it('matches the GB/T 32905 example 1 vector for "abc"', () => {
    expect(sm3Hex('abc')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('matches the GB/T 32905 example 2 vector for a 512-bit message', () => {
    expect(sm3Hex('abcd'.repeat(16))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('hashes bytes and their UTF-8 string identically', () => {
    expect(sm3Hex(new TextEncoder().encode('汇通 abc'))).toBe(sm3Hex('汇通 abc'));
  });

  it('hashes Chinese text as UTF-8, not UTF-16 or GBK', () => {
    expect(sm3Hex('汇通')).toBe(sm3Hex(Uint8Array.from([0xe6, 0xb1, 0x87, 0xe9, 0x80, 0x9a])));
  });
});
