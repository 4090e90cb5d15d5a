import { describe, expect, it } from 'vitest';
import { isPlausibleUscc } from './uscc';

describe('isPlausibleUscc', () => {
  it('accepts a code with a correct check character', () => {
    expect(isPlausibleUscc('91350100M000100Y43')).toBe(true);
    expect(isPlausibleUscc('11441300003259886T')).toBe(true);
  });

  it('rejects a wrong check character, wrong length or forbidden letters', () => {
    expect(isPlausibleUscc('91350100M000100Y44')).toBe(false);
    expect(isPlausibleUscc('91350100M000100Y4')).toBe(false);
    expect(isPlausibleUscc('91350100M0001O0Y43')).toBe(false);
  });
});
