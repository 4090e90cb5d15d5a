import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { maskUscc, usccCheckChar, validateUscc } from './uscc.js';

// Published codes of well-known companies (from their public business registration records),
// kept only because each one verifies under both GB 32100 and the embedded GB 11714 check.
const REAL_CODES = [
  '91350100M000100Y43', // widely cited worked example of the GB 32100 algorithm
  '91110000802100433B', // 北京百度网讯科技有限公司
  '91110108551385082Q', // 小米科技有限责任公司
  '91440300708461136T', // 腾讯科技（深圳）有限公司
  '91110000600037341L', // cited as a real example in the task brief; verifies under both checks
];

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Replaces the character at `i` with the next one in the alphabet: a guaranteed single substitution. */
function substitute(code: string, i: number, shift = 1): string {
  const next = ALPHABET.charAt((ALPHABET.indexOf(code.charAt(i)) + shift) % 31);
  return code.slice(0, i) + next + code.slice(i + 1);
}

describe('usccCheckChar', () => {
  it('matches an independent hand calculation for 91350100M000100Y43', () => {
    // Values in the 31-char alphabet: M = 21, Y = 30.
    // 9*1 + 1*3 + 3*9 + 5*27 + 0*19 + 1*26 + 0*16 + 0*17 + 21*20 + 0*29 + 0*25 + 0*13
    //   + 1*8 + 0*24 + 0*10 + 30*30 + 4*28 = 1640; 1640 mod 31 = 28; 31 - 28 = 3 → '3'
    const sum = 9 + 3 + 27 + 135 + 0 + 26 + 0 + 0 + 420 + 0 + 0 + 0 + 8 + 0 + 0 + 900 + 112;
    expect(sum).toBe(1640);
    expect(31 - (sum % 31)).toBe(3);
    expect(usccCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('matches an independent hand calculation for 91110000802100433B', () => {
    // 9*1 + 1*3 + 1*9 + 1*27 + 0 + 0 + 0 + 0 + 8*20 + 0*29 + 2*25 + 1*13 + 0*8 + 0*24
    //   + 4*10 + 3*30 + 3*28 = 485; 485 mod 31 = 20; 31 - 20 = 11 → 'B' (A = 10, B = 11)
    const sum = 9 + 3 + 9 + 27 + 160 + 50 + 13 + 40 + 90 + 84;
    expect(sum).toBe(485);
    expect(ALPHABET.charAt(31 - (sum % 31))).toBe('B');
    expect(usccCheckChar('91110000802100433')).toBe('B');
  });

  it('reproduces the check char of every real published code', () => {
    for (const code of REAL_CODES) {
      expect(usccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
    }
  });

  it('maps a weighted sum divisible by 31 to 0 rather than to a 32nd character', () => {
    // Sum 0 → (31 - 0) mod 31 = 0 → '0'; sum 1 → 30 → 'Y', the last alphabet character.
    expect(usccCheckChar('00000000000000000')).toBe('0');
    expect(usccCheckChar('10000000000000000')).toBe('Y');
  });

  it('rejects input that is not 17 alphabet characters', () => {
    expect(() => usccCheckChar('9111000080210043')).toThrow(RangeError);
    expect(() => usccCheckChar('91110000802100I33')).toThrow(RangeError);
  });
});

describe('validateUscc', () => {
  it('accepts real published codes with no warnings', () => {
    for (const code of REAL_CODES) {
      expect(validateUscc(code)).toEqual({ ok: true, normalized: code, warnings: [] });
    }
  });

  it('normalises lower case and surrounding spaces', () => {
    expect(validateUscc('  91350100m000100y43 \n')).toEqual({
      ok: true,
      normalized: '91350100M000100Y43',
      warnings: [],
    });
  });

  it('rejects a wrong check character by default', () => {
    const r = validateUscc('91110000802100433C');
    expect(r).toMatchObject({ ok: false, rule: 'check_char' });
  });

  it('gives bilingual messages that do not echo the code', () => {
    const r = validateUscc('91110000802100433C');
    if (r.ok) throw new Error('expected failure');
    expect(r.message).toMatch(/校验码/);
    expect(r.message).toMatch(/check character/);
    expect(r.message).not.toContain('802100433');
  });

  it.each(['I', 'O', 'Z', 'S', 'V'])('rejects the excluded letter %s as a charset fault', (letter) => {
    expect(validateUscc(`91110000802100433${letter}`)).toMatchObject({ ok: false, rule: 'charset' });
  });

  it('rejects punctuation and full-width characters as charset faults', () => {
    expect(validateUscc('91110000-02100433B')).toMatchObject({ ok: false, rule: 'charset' });
    expect(validateUscc('９1110000802100433B')).toMatchObject({ ok: false, rule: 'charset' });
  });

  it.each(['', '9111000080210043', '91110000802100433', '91110000802100433BB'])(
    'rejects %j as a length fault',
    (code) => {
      expect(validateUscc(code)).toMatchObject({ ok: false, rule: 'length' });
    },
  );

  it('rejects an unknown registration authority even with a correct check char', () => {
    const first17 = 'B1110000802100433';
    const code = first17 + usccCheckChar(first17);
    expect(validateUscc(code)).toMatchObject({ ok: false, rule: 'registration_authority' });
  });

  it.each(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y'])(
    'accepts registration authority %s',
    (authority) => {
      const first17 = `${authority}1110000802100433`;
      expect(validateUscc(first17 + usccCheckChar(first17)).ok).toBe(true);
    },
  );

  it('rejects a region code containing letters even with a correct check char', () => {
    const first17 = '9111000A802100433';
    expect(validateUscc(first17 + usccCheckChar(first17))).toMatchObject({
      ok: false,
      rule: 'region_code',
    });
  });

  it('does not require the region code to be currently in use', () => {
    // Only the shape is checked: regions are retired and renumbered, yet issued codes keep theirs.
    const first17 = '91999999802100433';
    expect(validateUscc(first17 + usccCheckChar(first17)).ok).toBe(true);
  });

  it('rejects a broken embedded organisation code even when the MOD 31 check char is right', () => {
    // Organisation code 802100434 (GB 11714 check should be 3), then a freshly computed position 18.
    const first17 = '91110000802100434';
    const code = first17 + usccCheckChar(first17);
    expect(validateUscc(code)).toMatchObject({ ok: false, rule: 'org_code_check' });
  });

  it('scores organisation-code letters A=10…Z=35, not by their place in the MOD 31 alphabet', () => {
    // M000100Y: M = 22, Y = 34 in GB 11714 → 22*3 + 1*5 + 34*2 = 139; 11 - 139 mod 11 = 4.
    expect(22 * 3 + 1 * 5 + 34 * 2).toBe(139);
    expect(11 - (139 % 11)).toBe(4);
    expect(validateUscc('91350100M000100Y43').ok).toBe(true);
  });

  it('detects every single-character substitution in a valid code', () => {
    const base = '91110000802100433B';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (i, shift) => {
        const mutated = substitute(base, i, shift);
        expect(validateUscc(mutated).ok).toBe(false);
      }),
    );
  });
});

describe('validateUscc legacy policy', () => {
  // Synthetic stand-in for a pilot-region code: a real code with only its check char altered.
  const legacyCheckChar = '91110000802100433C';
  // Synthetic: org code check broken, national check char recomputed, so that is the only fault.
  const legacyOrgCheck = `91110000802100434${usccCheckChar('91110000802100434')}`;
  // Synthetic: both check chars wrong.
  const legacyBoth = '911100008021004340';

  it('rejects a check-char-only fault when registering new subjects (the default)', () => {
    expect(validateUscc(legacyCheckChar)).toMatchObject({ ok: false, rule: 'check_char' });
    expect(validateUscc(legacyCheckChar, { legacy: 'reject' })).toMatchObject({
      ok: false,
      rule: 'check_char',
    });
  });

  it('accepts a check-char-only fault with a warning when importing history', () => {
    const r = validateUscc(legacyCheckChar, { legacy: 'warn' });
    if (!r.ok) throw new Error('expected acceptance');
    expect(r.normalized).toBe(legacyCheckChar);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatch(/校验码/);
    expect(r.warnings[0]).toMatch(/legacy/);
  });

  it('applies the same policy to a failing embedded organisation code check', () => {
    expect(validateUscc(legacyOrgCheck)).toMatchObject({ ok: false, rule: 'org_code_check' });
    const r = validateUscc(legacyOrgCheck, { legacy: 'warn' });
    expect(r).toMatchObject({ ok: true, warnings: [expect.stringMatching(/GB 11714/)] });
  });

  it('warns once per fault when both check characters fail', () => {
    expect(validateUscc(legacyBoth)).toMatchObject({ ok: false, rule: 'check_char' });
    const r = validateUscc(legacyBoth, { legacy: 'warn' });
    if (!r.ok) throw new Error('expected acceptance');
    expect(r.warnings).toHaveLength(2);
  });

  it('never waives structural faults, even when importing history', () => {
    expect(validateUscc('91110000802100433', { legacy: 'warn' })).toMatchObject({ ok: false, rule: 'length' });
    expect(validateUscc('91110000802100433I', { legacy: 'warn' })).toMatchObject({
      ok: false,
      rule: 'charset',
    });
    expect(validateUscc('B1110000802100433B', { legacy: 'warn' })).toMatchObject({
      ok: false,
      rule: 'registration_authority',
    });
  });
});

describe('maskUscc', () => {
  it('keeps the first four and last four characters', () => {
    expect(maskUscc('91110000802100433B')).toBe('9111**********433B');
  });

  it('normalises before masking', () => {
    expect(maskUscc(' 91350100m000100y43 ')).toBe('9135**********0Y43');
  });

  it('masks malformed input entirely rather than leaking part of it', () => {
    expect(maskUscc('9111000080210043')).toBe('****************');
  });
});
