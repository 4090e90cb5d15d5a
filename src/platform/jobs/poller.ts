import type { AppContext } from '../http/index.js';

/** A background loop that can be stopped, waiting for a run in progress. */
export type Poller = { stop(): Promise<void> };

/**
 * Runs `run` every `seconds`, one run at a time (a slow run skips ticks rather than overlapping),
 * logging failures under `name`. The timer never keeps the process alive; stop() waits for the
 * current run, so a closing platform does not pull the database from under it.
 */
export function startPoller(app: AppContext, opts: { name: string; seconds: number; run: () => Promise<unknown> }): Poller {
  let running: Promise<void> | undefined;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = opts
      .run()
      .then(() => undefined)
      .catch((err: unknown) => app.log.error({ err }, `${opts.name} failed`))
      .finally(() => {
        running = undefined;
      });
  }, opts.seconds * 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
