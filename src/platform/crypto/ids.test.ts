import { afterEach, describe, it, expect, vi } from 'vitest';
import { uuidv7 } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit Unix millisecond timestamp in the first 12 hex digits. */
function timestampOf(id: string): number {
  return Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16);
}

// uuidv7 keeps per-process state (last timestamp) so it never goes backwards; the fake clocks
// below therefore move forward from test to test (2030, 2031, …) so each sees its own time.
afterEach(() => {
  vi.useRealTimers();
});

describe('uuidv7', () => {
  it('is well-formed with version 7 and variant 10', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(id).toMatch(UUID_V7);
      const variantNibble = Number.parseInt(id.charAt(19), 16);
      expect(variantNibble >> 2).toBe(0b10);
    }
  });

  it('encodes the current Unix time in milliseconds', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00.000Z'));
    expect(timestampOf(uuidv7())).toBe(Date.UTC(2030, 0, 1));
  });

  it('sorts by time across calls in different milliseconds', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2031, 5, 1);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(start + i * 7);
      ids.push(uuidv7());
    }
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(timestampOf)).toEqual(ids.map((_, i) => start + i * 7));
  });

  it('stays strictly increasing within one millisecond', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2032, 0, 1));
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    // Sorted order equal to call order plus no duplicates means strictly increasing.
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('stays increasing when the clock steps backwards', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2033, 0, 1, 0, 0, 1));
    const before = uuidv7();
    vi.setSystemTime(Date.UTC(2033, 0, 1, 0, 0, 0));
    const after = uuidv7();
    expect(after > before).toBe(true);
  });

  it('differs between calls in the same millisecond', () => {
    expect(uuidv7()).not.toBe(uuidv7());
  });
});
