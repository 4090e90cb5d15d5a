import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { citizenIdCheckChar, maskCitizenId, validateCitizenId } from './citizen-id.js';

// Fixed "today" so the future-date rule does not depend on when the suite runs.
const today = '2025-06-15';

describe('citizenIdCheckChar', () => {
  it('matches an independent hand calculation for the GB 11643 example 440524188001010014', () => {
    // 4*7 + 4*9 + 0*10 + 5*5 + 2*8 + 4*4 + 1*2 + 8*1 + 8*6 + 0*3 + 0*7 + 1*9 + 0*10 + 1*5
    //   + 0*8 + 0*4 + 1*2 = 195; 195 mod 11 = 8 → '10X98765432'[8] = '4'
    const sum = 28 + 36 + 0 + 25 + 16 + 16 + 2 + 8 + 48 + 0 + 0 + 9 + 0 + 5 + 0 + 0 + 2;
    expect(sum).toBe(195);
    expect(sum % 11).toBe(8);
    expect(citizenIdCheckChar('44052418800101001')).toBe('4');
  });

  it('matches an independent hand calculation for the example 11010519491231002X', () => {
    // 1*7 + 1*9 + 0*10 + 1*5 + 0*8 + 5*4 + 1*2 + 9*1 + 4*6 + 9*3 + 1*7 + 2*9 + 3*10 + 1*5
    //   + 0*8 + 0*4 + 2*2 = 167; 167 mod 11 = 2 → 'X'
    const sum = 7 + 9 + 0 + 5 + 0 + 20 + 2 + 9 + 24 + 27 + 7 + 18 + 30 + 5 + 0 + 0 + 4;
    expect(sum).toBe(167);
    expect(sum % 11).toBe(2);
    expect(citizenIdCheckChar('11010519491231002')).toBe('X');
  });

  it('refuses anything but 17 digits', () => {
    expect(() => citizenIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => citizenIdCheckChar('1101051949123100A')).toThrow(RangeError);
  });
});

describe('validateCitizenId', () => {
  it('accepts the standard example born in 1880 with a retired region code', () => {
    expect(validateCitizenId('440524188001010014', { today })).toEqual({
      ok: true,
      normalized: '440524188001010014',
      birthDate: '1880-01-01',
      sex: 'male',
    });
  });

  it('accepts the standard example ending in X and reads the sex from the sequence code', () => {
    expect(validateCitizenId('11010519491231002X', { today })).toEqual({
      ok: true,
      normalized: '11010519491231002X',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('accepts a lower-case x and normalises it to X', () => {
    expect(validateCitizenId(' 11010519491231002x ', { today })).toMatchObject({
      ok: true,
      normalized: '11010519491231002X',
    });
  });

  it('rejects a wrong check digit', () => {
    expect(validateCitizenId('440524188001010015', { today })).toMatchObject({
      ok: false,
      rule: 'check_char',
    });
    expect(validateCitizenId('110105194912310021', { today })).toMatchObject({
      ok: false,
      rule: 'check_char',
    });
  });

  it('gives bilingual messages that do not echo the number', () => {
    const r = validateCitizenId('440524188001010015', { today });
    if (r.ok) throw new Error('expected failure');
    expect(r.message).toMatch(/校验码/);
    expect(r.message).toMatch(/check character/);
    expect(r.message).not.toContain('44052418800101');
  });

  it('rejects 30 February 1999 as an impossible date even with a correct check char', () => {
    const first17 = '11010519990230001';
    expect(validateCitizenId(first17 + citizenIdCheckChar(first17), { today })).toMatchObject({
      ok: false,
      rule: 'birth_date',
    });
  });

  it('knows 1900 was not a leap year but 2000 was', () => {
    const feb29_1900 = '11010519000229001';
    const feb29_2000 = '11010520000229001';
    expect(validateCitizenId(feb29_1900 + citizenIdCheckChar(feb29_1900), { today })).toMatchObject({
      ok: false,
      rule: 'birth_date',
    });
    expect(validateCitizenId(feb29_2000 + citizenIdCheckChar(feb29_2000), { today }).ok).toBe(true);
  });

  it('rejects month 13 and day 00', () => {
    for (const first17 of ['11010519991301001', '11010519990100001']) {
      expect(validateCitizenId(first17 + citizenIdCheckChar(first17), { today })).toMatchObject({
        ok: false,
        rule: 'birth_date',
      });
    }
  });

  it('rejects a birth date after today but accepts one on today', () => {
    const tomorrow = '11010520250616001';
    const onToday = '11010520250615001';
    expect(validateCitizenId(tomorrow + citizenIdCheckChar(tomorrow), { today })).toMatchObject({
      ok: false,
      rule: 'birth_date',
    });
    expect(validateCitizenId(onToday + citizenIdCheckChar(onToday), { today }).ok).toBe(true);
  });

  it('rejects a birth date in the future relative to the real clock by default', () => {
    const farFuture = '11010529991231001';
    expect(validateCitizenId(farFuture + citizenIdCheckChar(farFuture))).toMatchObject({
      ok: false,
      rule: 'birth_date',
    });
  });

  it('rejects a birth year before 1800 but accepts 1800 itself', () => {
    const y1799 = '11010517991231001';
    const y1800 = '11010518000101001';
    expect(validateCitizenId(y1799 + citizenIdCheckChar(y1799), { today })).toMatchObject({
      ok: false,
      rule: 'birth_date',
    });
    expect(validateCitizenId(y1800 + citizenIdCheckChar(y1800), { today }).ok).toBe(true);
  });

  it.each(['1101051949123100AX', '11010519491231002Y', 'X10105194912310021', '110105 949123100 X'])(
    'rejects %j as a charset fault',
    (id) => {
      expect(validateCitizenId(id, { today })).toMatchObject({ ok: false, rule: 'charset' });
    },
  );

  it.each(['', '11010519491231002', '11010519491231002X1', '110105491231002'])(
    'rejects %j as a length fault',
    (id) => {
      expect(validateCitizenId(id, { today })).toMatchObject({ ok: false, rule: 'length' });
    },
  );

  it('treats a malformed today option as a programming error', () => {
    expect(() => validateCitizenId('440524188001010014', { today: '20250615' })).toThrow(RangeError);
  });

  it('detects every single-digit substitution in a valid number', () => {
    const base = '440524188001010014';
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 9 }), (i, shift) => {
        const digit = (Number(base.charAt(i)) + shift) % 10;
        const mutated = base.slice(0, i) + String(digit) + base.slice(i + 1);
        expect(validateCitizenId(mutated, { today }).ok).toBe(false);
      }),
    );
  });
});

describe('maskCitizenId', () => {
  it('keeps the first four and last four characters', () => {
    expect(maskCitizenId('11010519491231002X')).toBe('1101**********002X');
  });

  it('normalises a lower-case x before masking', () => {
    expect(maskCitizenId('11010519491231002x')).toBe('1101**********002X');
  });

  it('masks an old 15-digit number entirely rather than leaking part of it', () => {
    expect(maskCitizenId('110105491231002')).toBe('***************');
  });
});
