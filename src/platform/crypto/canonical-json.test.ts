import { describe, it, expect } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('serialises primitives as ECMAScript JSON does', () => {
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
    expect(canonicalJson(0)).toBe('0');
    expect(canonicalJson(-0)).toBe('0');
  });

  it('reproduces the RFC 8785 §3.2.2 primitive example exactly', () => {
    const input = {
      // biome-ignore lint/correctness/noPrecisionLoss: the RFC's input deliberately has more digits than a double holds
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units as in the RFC 8785 §3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control",' +
        '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('sorts an emoji key (surrogate pair) before a high BMP key, unlike code-point order', () => {
    expect(canonicalJson({ '\ufb33': 1, '\ud83d\ude00': 2 })).toBe('{"\ud83d\ude00":2,"\ufb33":1}');
  });

  it('sorts nested objects at every level and keeps array order', () => {
    const value = { b: [{ z: 1, a: 2 }, 3], a: { d: { y: null, x: 'x' }, c: true } };
    expect(canonicalJson(value)).toBe('{"a":{"c":true,"d":{"x":"x","y":null}},"b":[{"a":2,"z":1},3]}');
  });

  it('gives the same text regardless of key insertion order', () => {
    const one = { 机构: '汇州市数据局', action: 'share.approve', n: 1, nested: { 乙: 2, 甲: 1 } };
    const two = { nested: { 甲: 1, 乙: 2 }, n: 1, action: 'share.approve', 机构: '汇州市数据局' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('keeps Chinese keys and values as literal characters, sorted by code unit', () => {
    // 机 U+673A < 甲 U+7532 < 目 U+76EE
    expect(canonicalJson({ 目录: '人口', 甲: 1, 机构: '数据局', a: 0 })).toBe(
      '{"a":0,"机构":"数据局","甲":1,"目录":"人口"}',
    );
  });

  it('drops undefined members', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('serialises a Date as its ISO 8601 UTC string', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6)) })).toBe(
      '{"at":"2025-01-02T03:04:05.006Z"}',
    );
  });

  it('honours toJSON on non-plain objects', () => {
    class Money {
      constructor(readonly fen: number) {}
      toJSON(): string {
        return `${this.fen / 100}`;
      }
    }
    expect(canonicalJson({ fine: new Money(12345) })).toBe('{"fine":"123.45"}');
  });

  it('throws on non-finite numbers', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ x: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => canonicalJson([Number.NEGATIVE_INFINITY])).toThrow(TypeError);
  });

  it('throws on bigint, functions and symbols', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson([Symbol('s')])).toThrow(TypeError);
  });

  it('throws on undefined array elements instead of turning them into null', () => {
    expect(() => canonicalJson([1, undefined])).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('throws on Maps, Sets and invalid Dates that JSON.stringify would mangle', () => {
    expect(() => canonicalJson(new Map([['a', 1]]))).toThrow(TypeError);
    expect(() => canonicalJson(new Set([1]))).toThrow(TypeError);
    expect(() => canonicalJson(new Date(Number.NaN))).toThrow(TypeError);
  });

  it('throws on cycles but accepts the same object twice without a cycle', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: shared })).toBe('{"x":{"a":1},"y":{"a":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it('throws on lone surrogates, which RFC 8785 requires to fail', () => {
    expect(() => canonicalJson('\ud800')).toThrow(TypeError);
    expect(() => canonicalJson({ '\udc00x': 1 })).toThrow(TypeError);
  });

  it('accepts objects without a prototype', () => {
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 2;
    bare.a = 1;
    expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
  });
});
