import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (`Huitong-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>`),
 * the scheme receivers know from payment and code-hosting webhooks: the timestamp is signed with
 * the body, so a receiver that rejects old timestamps and delivery ids it has seen rejects replays.
 */

export const SIGNATURE_HEADER = 'huitong-signature';
export const DELIVERY_HEADER = 'huitong-delivery';
/** How old a signed timestamp a receiver should accept, by default. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, t: number, body: string) => createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex');

/** The header value for a body sent at `now`. */
export function signWebhook(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'bad_signature' };

/** What a receiver does with a delivery: check the signature over the raw body and the timestamp's age. */
export function verifyWebhook(opts: { secret: string; header: string | undefined; body: string; now: Date; toleranceSeconds?: number }): SignatureCheck {
  const m = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(opts.header ?? '');
  if (!m) return { ok: false, reason: 'malformed' };
  const t = Number(m[1]);
  const expected = Buffer.from(hmac(opts.secret, t, opts.body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(m[2] as string, 'hex'))) return { ok: false, reason: 'bad_signature' };
  if (Math.abs(opts.now.getTime() / 1000 - t) > (opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp: t };
}
