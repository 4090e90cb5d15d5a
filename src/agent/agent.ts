// The front-end processor (前置机) agent: runs at a department, reads its jobs' sources on their
// schedules and pushes batches to the platform with the department's API client credential.
// Each job runs in its own loop; a stop signal lets every loop finish the batch in hand, save its
// checkpoint and return.
import fs from 'node:fs';
import type { Logger } from 'pino';
import { acquireDataDirLock, DataDirLockedError } from '../platform/db/datadir-lock.js';
import type { AgentConfig, TAgentJob } from './agent.schema.js';
import { type JobOutcome, runJobOnce, type SourceRun } from './job.js';
import { pause } from './push-client.js';
import { runCsvFolderSource } from './sources/csv-folder-source.js';
import { runPostgresSource } from './sources/postgres-source.js';

export { AgentConfigError, parseAgentConfig } from './agent.schema.js';
export { createAgentLogger } from './agent-log.js';

const SOURCES: Record<TAgentJob['source']['kind'], SourceRun> = {
  postgres: runPostgresSource,
  'csv-folder': runCsvFolderSource,
};

/** Another agent already runs on this state directory. */
export class AgentLockedError extends Error {
  override readonly name = 'AgentLockedError';
}

/**
 * Runs the agent. `once`: every job runs once (to the end of its source) and the agent returns:
 * 0 when every run ended `ok`, 1 otherwise (for cron and tests). Otherwise each job runs every
 * `every` (start to start) until `stop` aborts, or until it is stopped for a reason retrying
 * cannot fix; returns 0 after a stop signal when no job was stopped, 1 when any was.
 */
export async function runAgent(opts: { config: AgentConfig; log: Logger; once: boolean; stop: AbortSignal }): Promise<number> {
  const { config, log, once, stop } = opts;
  fs.mkdirSync(config.stateDir, { recursive: true, mode: 0o700 });
  // Two agents on one state directory would send the same rows under the same keys (harmless
  // to the data) but race on the checkpoints; one at a time, as for the embedded database.
  let lock: ReturnType<typeof acquireDataDirLock>;
  try {
    lock = acquireDataDirLock(config.stateDir);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      throw new AgentLockedError(`another agent (process ${err.pid}) uses the state directory ${config.stateDir} 另一个前置机进程正在使用该状态目录`);
    }
    throw err;
  }
  log.info({ event: 'agent_started', server: config.server, clientId: config.clientId, jobs: config.jobs.map((j) => j.name), once }, 'agent started 前置机已启动');
  try {
    const outcomes = await Promise.all(
      config.jobs.map(async (job): Promise<JobOutcome> => {
        let outcome: JobOutcome = 'ok';
        while (!stop.aborted) {
          const started = Date.now();
          outcome = await runJobOnce({ config, job, log, stop, source: SOURCES[job.source.kind] });
          if (once || outcome === 'stopped') break;
          await pause(Math.max(0, job.every - (Date.now() - started)), stop);
        }
        return outcome;
      }),
    );
    const code = once ? (outcomes.every((o) => o === 'ok') ? 0 : 1) : outcomes.some((o) => o === 'stopped') ? 1 : 0;
    log.info({ event: 'agent_stopped', exitCode: code, outcomes: Object.fromEntries(config.jobs.map((j, i) => [j.name, outcomes[i]])) }, 'agent stopped 前置机已退出');
    return code;
  } finally {
    lock.release();
  }
}
