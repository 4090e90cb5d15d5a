import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config.js';
import { isEmailAddress } from './email.js';
import { absoluteLink, EMAIL_MAX_ATTEMPTS, EMAIL_RETRY_DELAYS_MS, retryDelayMs } from './email-delivery.js';

describe('email settings', () => {
  it('defaults the sender and the delivery interval, and leaves SMTP off', () => {
    const c = parseConfig({});
    expect(c.HUITONG_SMTP_URL).toBeUndefined();
    expect(c.HUITONG_MAIL_FROM).toBe('汇通 Huitong <noreply@huitong.local>');
    expect(c.HUITONG_MAIL_POLL_SECONDS).toBe(10);
  });

  it('accepts smtp:// and smtps:// URLs and an address with or without a name', () => {
    const c = parseConfig({ HUITONG_SMTP_URL: 'smtps://user:p%40ss@mail.hz.gov.cn:465', HUITONG_MAIL_FROM: 'notice@hz.gov.cn', HUITONG_MAIL_POLL_SECONDS: '0' });
    expect(c.HUITONG_SMTP_URL).toBe('smtps://user:p%40ss@mail.hz.gov.cn:465');
    expect(c.HUITONG_MAIL_FROM).toBe('notice@hz.gov.cn');
    expect(c.HUITONG_MAIL_POLL_SECONDS).toBe(0);
  });

  it('refuses another scheme, a malformed sender and a busy-loop interval, naming each', () => {
    try {
      parseConfig({ HUITONG_SMTP_URL: 'http://mail.hz.gov.cn', HUITONG_MAIL_FROM: '汇通 <no address>', HUITONG_MAIL_POLL_SECONDS: '0.01' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems.join('\n');
      for (const name of ['HUITONG_SMTP_URL', 'HUITONG_MAIL_FROM', 'HUITONG_MAIL_POLL_SECONDS']) expect(problems).toContain(name);
    }
  });
});

describe('email rules', () => {
  it('waits 1 min, 5 min, 30 min, 2 h, 6 h, 12 h between tries and gives up after the 7th', () => {
    expect(EMAIL_RETRY_DELAYS_MS.map((ms) => ms / 60_000)).toEqual([1, 5, 30, 120, 360, 720]);
    expect(EMAIL_MAX_ATTEMPTS).toBe(7);
    expect([1, 2, 3, 6].map(retryDelayMs)).toEqual([60_000, 300_000, 1_800_000, 43_200_000]);
  });

  it('puts a web path under the public address, keeping a path prefix and absolute links', () => {
    expect(absoluteLink('/sharing/requests/1', 'https://hz.gov.cn/huitong/')).toBe('https://hz.gov.cn/huitong/sharing/requests/1');
    expect(absoluteLink('tasks', 'https://hz.gov.cn')).toBe('https://hz.gov.cn/tasks');
    expect(absoluteLink('https://other.gov.cn/x', 'https://hz.gov.cn')).toBe('https://other.gov.cn/x');
    expect(absoluteLink('/tasks', undefined)).toBe('/tasks');
  });

  it('accepts a plain address only, so nothing can be added to the headers', () => {
    expect(isEmailAddress('luojie@psb.hz.gov.cn')).toBe(true);
    for (const bad of ['', 'luojie', 'a@b, c@d', 'Name <a@b.cn>', 'a@b.cn\r\nBcc: x@y.cn', `${'a'.repeat(250)}@b.cn`]) expect(isEmailAddress(bad), bad).toBe(false);
  });
});
