// Sends batches to the platform over HTTP (`POST /api/v1/datasets/{code}/batches`) with the
// department's API client credential, retrying what may succeed later and nothing else.
import type { Logger } from 'pino';
import type { BatchResponse, RowError } from '../domains/collection/index.js';
import type { AgentConfig } from './agent.schema.js';

/** A problem+json answer, as much of it as the agent reads. */
export type Problem = { status: number; code?: string; title?: string; detail?: string; requestId?: string; errors?: (RowError | { field: string; rule: string; message: string })[] };

/** What became of one batch. */
export type PushResult =
  /** Applied (200) or partially applied (207); `replayed` when the platform had it already under this key. */
  | { kind: 'applied'; response: BatchResponse; replayed: boolean }
  /** An atomic batch with bad rows (422 COLLECTION_BATCH_INVALID): nothing was applied. */
  | { kind: 'rejected'; problem: Problem }
  /** Any other 4xx but 429: trying again cannot help (revoked credential, unknown dataset, …). */
  | { kind: 'refused'; problem: Problem }
  /** Network errors, 5xx or 429 on every attempt. */
  | { kind: 'gave-up'; reason: string }
  /** The agent is stopping; the batch was not acknowledged (it is sent again, under the same key, next time). */
  | { kind: 'aborted' };

/** Waits `ms`, or less when `signal` aborts; never rejects. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Delay before attempt `attempt + 1`: exponential from initialDelay, capped, with jitter so many agents do not retry in step. */
export function backoffDelay(attempt: number, retry: AgentConfig['retry'], random: () => number = Math.random): number {
  const exp = Math.min(retry.maxDelay, retry.initialDelay * 2 ** (attempt - 1));
  return Math.round(exp * (0.5 + random() / 2));
}

/** Seconds of a Retry-After header as milliseconds (the HTTP-date form is ignored). */
function retryAfterMs(header: string | null): number | undefined {
  if (!header || !/^\d+$/.test(header.trim())) return undefined;
  return Number(header.trim()) * 1000;
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    const body = (await res.json()) as Partial<Problem>;
    return { ...body, status: res.status };
  } catch {
    return { status: res.status };
  }
}

/**
 * Sends one batch. Network errors, 5xx and 429 are retried with exponential backoff (or the
 * server's Retry-After), up to retry.maxAttempts; other answers are final. `stop` cuts a wait
 * short but never an answer already on its way: a request in flight is awaited, so its outcome
 * (and the checkpoint after it) is not lost.
 */
export async function pushBatch(opts: {
  config: AgentConfig;
  dataset: string;
  mode: 'atomic' | 'partial';
  idempotencyKey: string;
  records: unknown[];
  log: Logger;
  stop: AbortSignal;
}): Promise<PushResult> {
  const { config, log } = opts;
  const url = new URL(`api/v1/datasets/${encodeURIComponent(opts.dataset)}/batches?mode=${opts.mode}`, config.server.endsWith('/') ? config.server : `${config.server}/`);
  const body = JSON.stringify({ records: opts.records });
  let reason = '';
  for (let attempt = 1; attempt <= config.retry.maxAttempts; attempt++) {
    if (attempt > 1 && opts.stop.aborted) return { kind: 'aborted' };
    let wait: number | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${config.clientId}.${config.clientSecret}`,
          'content-type': 'application/json',
          'idempotency-key': opts.idempotencyKey,
        },
        body,
        signal: AbortSignal.timeout(config.requestTimeout),
      });
      if (res.status === 200 || res.status === 207) {
        const response = (await res.json()) as BatchResponse;
        return { kind: 'applied', response, replayed: res.headers.get('idempotent-replayed') === 'true' };
      }
      if (res.status === 429 || res.status >= 500) {
        const problem = await problemOf(res);
        reason = `HTTP ${res.status}${problem.code ? ` ${problem.code}` : ''}`;
        wait = retryAfterMs(res.headers.get('retry-after'));
      } else {
        const problem = await problemOf(res);
        if (res.status === 422 && problem.code === 'COLLECTION_BATCH_INVALID') return { kind: 'rejected', problem };
        return { kind: 'refused', problem };
      }
    } catch (err) {
      // fetch wraps the cause (ECONNREFUSED, ECONNRESET, timeout) in a TypeError.
      const e = err as Error & { cause?: { code?: string; message?: string } };
      reason = e.cause?.code ?? e.cause?.message ?? e.name ?? 'network error';
    }
    if (attempt === config.retry.maxAttempts) break;
    const delayMs = Math.min(config.retry.maxDelay, wait ?? backoffDelay(attempt, config.retry));
    log.warn({ event: 'batch_retry', attempt, reason, delayMs }, `batch not delivered (${reason}); retrying in ${delayMs} ms 批次未送达，稍后重试`);
    await pause(delayMs, opts.stop);
  }
  return { kind: 'gave-up', reason };
}
