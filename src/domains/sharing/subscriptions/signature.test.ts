import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './signature.js';

describe('webhook signatures', () => {
  const secret = 'whs_test';
  const body = JSON.stringify({ changes: [{ op: 'upsert', values: { 姓名: '张*' } }] });
  const now = new Date('2026-11-23T02:00:00Z');

  it('verifies what it signed, over the exact body', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhook({ secret, header, body, now })).toEqual({ ok: true, timestamp: now.getTime() / 1000 });
    expect(verifyWebhook({ secret, header, body: `${body} `, now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ secret: 'whs_other', header, body, now })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a replay once its timestamp is older than the tolerance', () => {
    const header = signWebhook(secret, body, now);
    const later = new Date(now.getTime() + 301_000);
    expect(verifyWebhook({ secret, header, body, now: later })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhook({ secret, header, body, now: later, toleranceSeconds: 600 }).ok).toBe(true);
  });

  it('refuses malformed headers', () => {
    for (const header of [undefined, '', 't=1', 'v1=ab', `t=x,v1=${'0'.repeat(64)}`, `t=1,v1=${'0'.repeat(63)}`]) {
      expect(verifyWebhook({ secret, header, body, now })).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});
