// Light on purpose: `huitong --help` and usage errors load only this and the configuration,
// not the database or the HTTP stack (see open-database.ts and open-platform.ts).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Actor } from '../platform/actor.js';
import type { Config } from '../platform/config.js';
import type { AppContext, Ctx } from '../platform/http/index.js';

/** Where a command writes: stdout for its answer, stderr for everything else. */
export type CliIo = { out(line: string): void; err(line: string): void };

/** What a command receives: the configuration, its own arguments (after its name) and the output. */
export type CommandInput = { config: Config; args: string[]; io: CliIo };

/** A command's body: runs it and returns the exit code. Each `commands/<verb>-<noun>.ts` exports one as `run`. */
export type CommandRun = (input: CommandInput) => Promise<number>;

/** One `huitong` command as `--help` lists it; its module is loaded only when it runs. */
export type Command = {
  /** The words that name it, e.g. `user create`. */
  name: string;
  /** Arguments after the name, e.g. `<YYYY-MM-DD> <N>`. */
  usage: string;
  /** One line in English and Chinese for `--help`. */
  summary: string;
  /** Loads the command's module. */
  load(): Promise<{ run: CommandRun }>;
};

/** Exit codes: 0 done, 1 the operation failed, 2 the command line or configuration is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A wrong command line: runCli prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** An expected failure with a message for the operator (no stack trace); exits with `exitCode`. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

/**
 * Who the CLI acts as. Whoever can run it holds the data directory or the database URL, so it
 * carries the platform administrator's role; its own name keeps its changes apart in the audit trail.
 */
export const CLI_ACTOR: Actor = { kind: 'system', id: null, name: 'cli', departmentId: null, roles: ['platform_admin'] };

/** A service context for a CLI command; the request id names the command in the audit trail. */
export function cliCtx(app: AppContext, command: string): Ctx {
  return { app, actor: CLI_ACTOR, requestId: `cli:${command.replace(/\s+/g, '-')}` };
}

/** parseArgs in strict mode, with its errors turned into UsageError. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: O,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** The value of a required string option, or a UsageError naming it. */
export function required(value: string | undefined, option: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${option} is required / 缺少 --${option}`);
  return value;
}

/** Fails with exit 2 when the platform runs on a server: the command needs the embedded database. */
export function requireEmbedded(config: Config, what: string): void {
  if (config.DATABASE_URL) {
    throw new CliFailure(
      `${what} works on the embedded database only; with DATABASE_URL set, use the server's own tools ` +
        `(pg_dump / pg_restore). / ${what} 仅适用于内嵌数据库；使用 PostgreSQL 服务器时请用 pg_dump / pg_restore。`,
      EXIT.usage,
    );
  }
}
