// One run of one job: its checkpoint, and the delivery of batches with keys derived from where
// they come from in the source. The sources (sources/*.ts) read; this file sends and remembers.
import type { Logger } from 'pino';
import { sm3Hex } from '../platform/crypto/sm3.js';
import { maskedRowErrors, maskText } from './agent-log.js';
import type { AgentConfig, TAgentJob } from './agent.schema.js';
import { type Checkpoint, CheckpointError, checkpointPath, readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { pushBatch } from './push-client.js';

/** A record as the batch API takes it. */
export type AgentRecord = { key?: string; values: Record<string, string> };

/** How a run of a job ended. */
export type JobOutcome =
  | 'ok' // the source is read to its end, everything acknowledged
  | 'blocked' // an atomic batch was rejected; the job waits at that position until the source data changes
  | 'stopped' // the platform refused for a reason retrying cannot fix (credential, dataset, configuration); not run again
  | 'failed' // the platform or the source was unreachable; tried again at the next interval
  | 'aborted'; // the agent is stopping

/** Counts of one run, logged when it ends. */
export type JobStats = { batches: number; records: number; accepted: number; rejected: number; unchanged: number; replayed: number };

/** What a source gets to do its work: the job, its checkpoint, and deliver(). */
export type JobContext = {
  config: AgentConfig;
  job: TAgentJob;
  log: Logger;
  stop: AbortSignal;
  checkpoint: Checkpoint;
  stats: JobStats;
  /** Writes the checkpoint as it stands now. */
  save(): Promise<void>;
  /**
   * Sends one batch. `position` says where in the source it starts (cursor, file hash and first
   * row): with the records' own digest it makes the Idempotency-Key. On acknowledgement `advance`
   * moves the checkpoint, which is saved before this returns true; false means the run ends with
   * `outcome`. `rowAt(i)` names record i in source terms for the operator (file line, cursor).
   */
  deliver(records: AgentRecord[], position: Record<string, string | number | null>, advance: () => void, rowAt: (index: number) => Record<string, unknown>): Promise<{ ok: true } | { ok: false; outcome: JobOutcome }>;
};

/**
 * The Idempotency-Key of a batch: the job's name and the SM3 digest of the dataset, mode, source
 * position and the records themselves. Deterministic, so a batch sent again after a crash (the
 * platform applied it, the checkpoint did not record it) carries the same key and is replayed,
 * not applied twice. The records' digest is part of it on purpose: when the operator fixes the
 * source after a rejection, or rows changed in between, the batch is a different request and
 * gets a new key, where a key of the position alone would be refused as reused (409) forever.
 */
export function idempotencyKey(job: Pick<TAgentJob, 'name' | 'dataset' | 'mode'>, position: Record<string, unknown>, records: AgentRecord[]): string {
  const content = sm3Hex(JSON.stringify(records));
  return `agent:${job.name}:${sm3Hex(JSON.stringify({ dataset: job.dataset, mode: job.mode, position, content }))}`;
}

/** A fresh checkpoint for a job that has none. */
function initialCheckpoint(job: TAgentJob, now: Date): Checkpoint {
  const source: Checkpoint['source'] = job.source.kind === 'postgres' ? { kind: 'postgres', cursor: null } : { kind: 'csv-folder', done: [], failed: [], current: null };
  return { version: 1, job: job.name, dataset: job.dataset, blockedKey: null, source, updatedAt: now.toISOString() };
}

/** A source problem retrying cannot fix (a bad query, a cursor that cannot advance): the job stops. */
export class SourceConfigError extends Error {
  override readonly name = 'SourceConfigError';
}

/** The run of a job's source: reads from the checkpoint on and delivers batch after batch. */
export type SourceRun = (ctx: JobContext) => Promise<JobOutcome>;

/** Advice for the operator on a refusal, by HTTP status. */
function adviceFor(status: number): string {
  if (status === 401) return 'the API client credential is wrong or revoked: issue a new one and update the agent 凭证无效或已吊销，请重新签发客户端凭证';
  if (status === 403) return 'the API client may not write this dataset (scope collection:write, own department) 客户端无权向该数据集归集';
  if (status === 404) return 'no published catalog entry has this resource code: check the job\'s dataset 资源代码不存在或目录未发布';
  if (status === 409) return 'the platform refused the batch (key reused or entry without data items) 平台拒绝该批次';
  return 'the platform refused the batch; fix the configuration or the source and restart the agent 平台拒绝该批次，请修正后重启';
}

/**
 * Runs one job once: loads (or starts) its checkpoint, runs the source, logs the outcome with
 * counts. Never throws: an unexpected error is logged and the run counts as failed.
 */
export async function runJobOnce(opts: { config: AgentConfig; job: TAgentJob; log: Logger; stop: AbortSignal; source: SourceRun }): Promise<JobOutcome> {
  const { config, job, stop } = opts;
  const log = opts.log.child({ job: job.name, dataset: job.dataset });
  const started = Date.now();
  const stats: JobStats = { batches: 0, records: 0, accepted: 0, rejected: 0, unchanged: 0, replayed: 0 };
  let outcome: JobOutcome;
  try {
    const existing = await readCheckpoint(config.stateDir, job.name);
    if (existing && (existing.dataset !== job.dataset || existing.source.kind !== job.source.kind)) {
      log.error(
        { event: 'job_stopped', reason: 'checkpoint_mismatch', checkpoint: checkpointPath(config.stateDir, job.name) },
        `the checkpoint was written for ${existing.source.kind} → ${existing.dataset}; remove it to start this job afresh 检查点与任务配置不符，如需重新开始请删除检查点文件`,
      );
      return 'stopped';
    }
    const checkpoint = existing ?? initialCheckpoint(job, new Date());
    const ctx: JobContext = {
      config,
      job,
      log,
      stop,
      checkpoint,
      stats,
      save: async () => {
        checkpoint.updatedAt = new Date().toISOString();
        await writeCheckpoint(config.stateDir, checkpoint);
      },
      deliver: async (records, position, advance, rowAt) => {
        const key = idempotencyKey(job, position, records);
        if (checkpoint.blockedKey === key) {
          // Same rows as the rejected batch: the answer would be the same rejection, so do not ask.
          log.warn({ event: 'job_blocked', position, idempotencyKey: key }, 'waiting for the rejected rows to be fixed in the source 被拒批次的源数据尚未修正，任务暂停在此位置');
          return { ok: false, outcome: 'blocked' };
        }
        const result = await pushBatch({ config, dataset: job.dataset, mode: job.mode, idempotencyKey: key, records, log, stop });
        switch (result.kind) {
          case 'applied': {
            const r = result.response;
            advance();
            checkpoint.blockedKey = null;
            await ctx.save();
            stats.batches++;
            stats.records += records.length;
            stats.accepted += r.accepted;
            stats.rejected += r.rejected;
            stats.unchanged += r.unchanged;
            if (result.replayed) stats.replayed++;
            if (r.errors.length) {
              log.warn(
                { event: 'rows_quarantined', batchId: r.batchId, rejected: r.rejected, errors: maskedRowErrors(r.errors).map((e) => ({ ...e, ...rowAt(e.row ?? -1) })) },
                `${r.rejected} rows quarantined by the platform; fix them in the source 部分行未通过校验，已隔离`,
              );
            }
            log.info(
              { event: 'batch_sent', batchId: r.batchId, status: r.status, replayed: result.replayed, records: records.length, accepted: r.accepted, rejected: r.rejected, unchanged: r.unchanged, position },
              result.replayed ? 'batch already applied earlier; replayed by the platform 批次此前已写入（幂等重放）' : 'batch applied 批次已写入',
            );
            return { ok: true };
          }
          case 'rejected': {
            checkpoint.blockedKey = key;
            await ctx.save();
            const errors = result.problem.errors ?? [];
            log.error(
              {
                event: 'batch_rejected',
                status: result.problem.status,
                code: result.problem.code,
                records: records.length,
                errorCount: errors.length,
                errors: maskedRowErrors(errors).map((e) => ({ ...e, ...rowAt(e.row ?? -1) })),
                position,
                idempotencyKey: key,
              },
              'atomic batch rejected, nothing applied; the job waits here until the source rows are fixed 批次校验未通过，未写入任何记录；修正源数据后任务自动继续',
            );
            return { ok: false, outcome: 'blocked' };
          }
          case 'refused':
            log.error(
              { event: 'job_stopped', status: result.problem.status, code: result.problem.code, detail: maskText(result.problem.detail ?? result.problem.title ?? ''), requestId: result.problem.requestId, position },
              `${adviceFor(result.problem.status)}`,
            );
            return { ok: false, outcome: 'stopped' };
          case 'gave-up':
            log.error({ event: 'job_failed', reason: result.reason, attempts: config.retry.maxAttempts, position }, `platform unreachable (${result.reason}); trying again at the next run 平台不可达，下次运行时重试`);
            return { ok: false, outcome: 'failed' };
          case 'aborted':
            return { ok: false, outcome: 'aborted' };
        }
      },
    };
    outcome = await opts.source(ctx);
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof CheckpointError || err instanceof SourceConfigError) {
      log.error({ event: 'job_stopped', reason: err instanceof CheckpointError ? 'checkpoint_unreadable' : 'source_config' }, maskText(e.message));
      outcome = 'stopped';
    } else {
      // A source error (database down, folder missing): logged without a stack of row data.
      log.error({ event: 'job_failed', reason: e.code ?? e.name, detail: maskText(e.message) }, `job run failed: ${maskText(e.message)} 任务运行失败`);
      outcome = 'failed';
    }
  }
  log.info({ event: 'job_run', outcome, durationMs: Date.now() - started, ...stats }, `run ${outcome}`);
  return outcome;
}
