import { describe, expect, it } from 'vitest';
import { freshnessOf, nextDueAt } from './freshness.js';

const at = (iso: string) => new Date(iso);

describe('freshness against the declared update frequency', () => {
  it('dues static (irregular) data on the 10th of the first month of the next quarter, Shanghai time (002 §16)', () => {
    expect(nextDueAt('irregular', at('2026-11-23T02:00:00Z'))?.toISOString()).toBe('2027-01-10T15:59:59.999Z');
    expect(nextDueAt('irregular', at('2026-03-31T15:59:00Z'))?.toISOString()).toBe('2026-04-10T15:59:59.999Z');
    // 2026-03-31 16:30 UTC is already 1 April in Shanghai: the second quarter, due 10 July.
    expect(nextDueAt('irregular', at('2026-03-31T16:30:00Z'))?.toISOString()).toBe('2026-07-10T15:59:59.999Z');
  });

  it('dues monthly data one calendar month later, clamped to a shorter month', () => {
    expect(nextDueAt('monthly', at('2026-11-23T02:00:00Z'))?.toISOString()).toBe('2026-12-23T15:59:59.999Z');
    expect(nextDueAt('monthly', at('2027-01-31T02:00:00Z'))?.toISOString()).toBe('2027-02-28T15:59:59.999Z');
    expect(nextDueAt('yearly', at('2028-02-29T02:00:00Z'))?.toISOString()).toBe('2029-02-28T15:59:59.999Z');
    expect(nextDueAt('daily', at('2026-12-31T20:00:00Z'))?.toISOString()).toBe('2027-01-02T15:59:59.999Z');
  });

  it('is ok, then due soon within 3 days, then overdue', () => {
    const last = at('2026-11-23T02:00:00Z');
    expect(freshnessOf('monthly', last, at('2026-12-20T00:00:00Z')).status).toBe('ok');
    expect(freshnessOf('monthly', last, at('2026-12-21T00:00:00Z'))).toEqual({ status: 'due_soon', dueAt: '2026-12-23T15:59:59.999Z' });
    expect(freshnessOf('monthly', last, at('2026-12-23T15:59:59.999Z')).status).toBe('due_soon');
    expect(freshnessOf('monthly', last, at('2026-12-23T16:00:00Z')).status).toBe('overdue');
  });

  it('says never without an accepted batch and not_applicable for a frequency it does not know', () => {
    expect(freshnessOf('monthly', null, at('2026-12-20T00:00:00Z'))).toEqual({ status: 'never', dueAt: null });
    expect(freshnessOf('fortnightly', at('2026-11-23T02:00:00Z'), at('2026-12-20T00:00:00Z'))).toEqual({ status: 'not_applicable', dueAt: null });
  });

  it('gives daily data no due-soon window', () => {
    const last = at('2026-11-23T02:00:00Z');
    expect(freshnessOf('daily', last, at('2026-11-24T15:00:00Z')).status).toBe('ok');
    expect(freshnessOf('daily', last, at('2026-11-24T16:00:00Z')).status).toBe('overdue');
  });
});
