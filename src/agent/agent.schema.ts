// The front-end processor's (前置机) configuration file: a JSON document validated here with zod,
// so a wrong file stops the agent before it touches a source or the platform, with every problem
// listed at once (exit code 2).
import path from 'node:path';
import { z } from 'zod';

/** Most records one batch may carry: the platform's own limit (MAX_BATCH_RECORDS in collection.schema.ts). */
export const MAX_BATCH_RECORDS = 10_000;

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration written `500ms`, `30s`, `5m`, `1h` or `1d`; undefined when unreadable. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

const ZDuration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: 'a duration such as "30s", "5m", "1h" or "1d" 应为时长，如 5m' });
    return z.NEVER;
  }
  return ms;
});

/** A SQL identifier we quote ourselves: letters, digits and underscores, as the query's result names it. */
const ZColumn = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a column name of letters, digits and _ 列名只能含字母、数字和下划线');

/** Renames source columns to the dataset's data item names (English names), e.g. { "姓名": "name" }. */
const ZColumns = z.record(z.string().min(1), z.string().min(1)).default({});

/** Incremental reads from a PostgreSQL query, ordered by a cursor column that only grows. */
const ZPostgresSource = z.strictObject({
  kind: z.literal('postgres'),
  url: z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'),
  /** A SELECT; the agent wraps it as a subquery, so it cannot modify data. */
  query: z
    .string()
    .trim()
    .min(1)
    .transform((q) => q.replace(/;\s*$/, '')),
  /** A column of the query's result whose values only grow (a sequence id, updated_at). */
  cursorColumn: ZColumn,
  /** A column holding the record key, for datasets keyed by a declared key rather than an identifier. */
  keyColumn: ZColumn.optional(),
  columns: ZColumns,
});

/** CSV (UTF-8 or GBK) or xlsx files dropped into a folder; each file is read once. */
const ZCsvFolderSource = z.strictObject({
  kind: z.literal('csv-folder'),
  path: z.string().min(1),
  /** File names to read, `*` and `?` as wildcards, case-insensitive; default `*.csv`. */
  pattern: z.string().min(1).default('*.csv'),
  /** `move`: a finished file goes to `done/` inside the folder; `keep`: it stays (the checkpoint remembers it). */
  afterImport: z.enum(['move', 'keep']).default('keep'),
  /** A file modified more recently than this is still being written and waits for the next run. */
  settle: ZDuration.default(10_000),
  /** The column holding the record key; default: a column named `key` or `主键` when present. */
  keyColumn: z.string().min(1).optional(),
  columns: ZColumns,
});

const ZJob = z.strictObject({
  /** Names the job in logs, in its checkpoint file and in every Idempotency-Key it sends. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (at most 64) 只能含字母、数字、_ . -'),
  /** The dataset's resource code (前段码/后段码). */
  dataset: z.string().trim().min(1).max(100),
  mode: z.enum(['atomic', 'partial']).default('atomic'),
  every: ZDuration.default(300_000),
  batchSize: z.number().int().min(1).max(MAX_BATCH_RECORDS).default(1000),
  source: z.discriminatedUnion('kind', [ZPostgresSource, ZCsvFolderSource]),
});

const ZRetry = z.strictObject({
  /** Attempts per batch before the run gives up (the job tries again at its next interval). */
  maxAttempts: z.number().int().min(1).max(100).default(8),
  initialDelay: ZDuration.default(1000),
  maxDelay: ZDuration.default(300_000),
});

/** The agent's configuration file. */
export const ZAgentConfig = z
  .strictObject({
    /** The platform's address, e.g. https://huitong.example.gov.cn */
    server: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL 应为 http(s) 地址' }),
    clientId: z.uuid(),
    /** Better left out of the file and given in HUITONG_AGENT_SECRET. */
    clientSecret: z.string().regex(/^htc_[A-Za-z0-9_-]{43}$/, 'an API client secret (htc_…) 应为 API 客户端密钥').optional(),
    /** Where checkpoints live; relative to the configuration file. */
    stateDir: z.string().min(1),
    requestTimeout: ZDuration.default(120_000),
    retry: ZRetry.prefault({}),
    jobs: z.array(ZJob).min(1),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.jobs.forEach((j, i) => {
      if (seen.has(j.name)) ctx.addIssue({ code: 'custom', path: ['jobs', i, 'name'], message: `job name "${j.name}" is used twice 任务名重复` });
      seen.add(j.name);
    });
  });

export type TAgentConfig = z.output<typeof ZAgentConfig>;
export type TAgentJob = TAgentConfig['jobs'][number];
export type TPostgresSource = Extract<TAgentJob['source'], { kind: 'postgres' }>;
export type TCsvFolderSource = Extract<TAgentJob['source'], { kind: 'csv-folder' }>;

/** A configuration ready to run: paths absolute, the secret resolved. */
export type AgentConfig = Omit<TAgentConfig, 'clientSecret'> & { clientSecret: string };

/** A configuration file that cannot be used; `problems` lists each one as `path: message`. */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid agent configuration 前置机配置有误 (${file}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates a parsed configuration file. Relative paths (stateDir, CSV folders) are taken from
 * the file's own folder, so cron and systemd, which start in another directory, find the same
 * files. The secret comes from `envSecret` (HUITONG_AGENT_SECRET) when set, which wins over the file.
 */
export function parseAgentConfig(raw: unknown, opts: { file: string; envSecret?: string | undefined }): AgentConfig {
  const result = ZAgentConfig.safeParse(raw);
  if (!result.success) {
    throw new AgentConfigError(
      opts.file,
      result.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`),
    );
  }
  const c = result.data;
  const secret = opts.envSecret ?? c.clientSecret;
  if (!secret) throw new AgentConfigError(opts.file, ['clientSecret: missing; set HUITONG_AGENT_SECRET (preferred) or clientSecret 缺少客户端密钥']);
  if (opts.envSecret !== undefined && !/^htc_[A-Za-z0-9_-]{43}$/.test(opts.envSecret)) {
    throw new AgentConfigError(opts.file, ['HUITONG_AGENT_SECRET: not an API client secret (htc_…) 不是有效的 API 客户端密钥']);
  }
  const base = path.dirname(path.resolve(opts.file));
  return {
    ...c,
    clientSecret: secret,
    stateDir: path.resolve(base, c.stateDir),
    jobs: c.jobs.map((j) => (j.source.kind === 'csv-folder' ? { ...j, source: { ...j.source, path: path.resolve(base, j.source.path) } } : j)),
  };
}
