const MINUTE_MS = 60_000;

/**
 * Calls per API client per minute across every query route together (per process), in fixed
 * one-minute windows. One counter per client, not per route: a client may not triple its
 * allowance by spreading its calls over GET, :query and :verify.
 */
export function createClientRateLimit(maxPerMinute: number) {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    /** Counts a call of `key` at `nowMs`; the seconds to wait when it is over the limit, else 0. */
    take(key: string, nowMs: number): number {
      let w = windows.get(key);
      if (!w || nowMs - w.start >= MINUTE_MS) {
        // Forget ended windows now and then, so idle clients do not accumulate.
        if (windows.size > 10_000) for (const [k, v] of windows) if (nowMs - v.start >= MINUTE_MS) windows.delete(k);
        w = { start: nowMs, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return w.count > maxPerMinute ? Math.max(1, Math.ceil((w.start + MINUTE_MS - nowMs) / 1000)) : 0;
    },
  };
}
