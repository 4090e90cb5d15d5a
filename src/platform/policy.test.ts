import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPolicy } from './policy.js';

const presets = fs
  .readdirSync(path.resolve('policies'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('policy presets', () => {
  it.each(presets)('%s parses and sets every number, including the verification answer days', (id) => {
    const p = loadPolicy(id);
    expect(p.id).toBe(id);
    expect(p.verificationAnswerDays).toBeGreaterThanOrEqual(1);
  });
});
