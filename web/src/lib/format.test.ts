import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from './format';

describe('formatDateTime', () => {
  it('shows instants in Shanghai time whatever the machine zone', () => {
    expect(formatDateTime('2025-03-01T16:30:00Z')).toBe('2025-03-02 00:30');
  });

  it('passes plain dates through and shows a dash for nothing', () => {
    expect(formatDateTime('2025-10-01')).toBe('2025-10-01');
    expect(formatDateTime(null)).toBe('—');
  });
});

describe('formatDate', () => {
  it('takes the Shanghai calendar day of an instant', () => {
    expect(formatDate('2025-12-31T17:00:00Z')).toBe('2026-01-01');
  });
});
