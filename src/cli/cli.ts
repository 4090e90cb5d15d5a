import { ConfigError, type Config, loadConfig } from '../platform/config.js';
import { DataDirLockedError } from '../platform/db/datadir-lock.js';
import { AppError } from '../platform/errors.js';
import { CliFailure, type CliIo, type Command, EXIT, UsageError } from './command.js';

/** Every command, in the order `--help` lists them; a command's module loads only when it runs. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'migrate',
    usage: '',
    summary: 'apply pending database migrations / 执行数据库迁移',
    load: () => import('./commands/migrate-database.js'),
  },
  {
    name: 'seed-demo',
    usage: '',
    summary: 'load the demo city into an empty database / 向空数据库载入演示数据',
    load: () => import('./commands/seed-demo.js'),
  },
  {
    name: 'user create',
    usage: '--username <u> --name <显示名> --department <name or id> --role <r> [--role <r2>] [--password <p>]',
    summary: 'create a user account; without --password one is generated and shown once / 创建用户账号',
    load: () => import('./commands/create-user.js'),
  },
  {
    name: 'user reset-password',
    usage: '--username <u> [--password <p>]',
    summary: "reset a user's password and unlock the account / 重置用户密码并解锁",
    load: () => import('./commands/reset-password.js'),
  },
  {
    name: 'calendar add',
    usage: '<YYYY-MM-DD> <N>',
    summary: 'the N-th working day after a date, start day not counted / 计算 N 个工作日后的日期',
    load: () => import('./commands/add-working-days.js'),
  },
  {
    name: 'calendar is-working-day',
    usage: '<YYYY-MM-DD>',
    summary: 'whether government offices work on a date / 判断某日是否为工作日',
    load: () => import('./commands/check-working-day.js'),
  },
  {
    name: 'audit verify',
    usage: '',
    summary: 'check the whole audit hash chain / 校验审计日志哈希链',
    load: () => import('./commands/verify-audit.js'),
  },
  {
    name: 'vault rotate-key',
    usage: '[--alg sm4-gcm|aes-256-gcm] [--batch-size <n>] [--keys-out <file>]',
    summary: 'new identity-vault encryption key; re-encrypts every subject online, resumable / 轮换身份库加密密钥并在线重新加密',
    load: () => import('./commands/rotate-vault-key.js'),
  },
  {
    name: 'ca init',
    usage: '',
    summary: 'create the platform CA in <data dir>/ca (else made on first use) and show it / 创建并显示平台 CA',
    load: () => import('./commands/init-ca.js'),
  },
  {
    name: 'ca issue',
    usage: '--department <name or id> --client <client id> [--days <n>] [--out <dir>]',
    summary: 'issue a client certificate (mTLS) to an API client; writes key.pem, cert.pem, ca.pem / 为 API 客户端签发证书',
    load: () => import('./commands/issue-certificate.js'),
  },
  {
    name: 'agent',
    usage: '--config <agent.json> [--once]',
    summary: 'front-end processor: push a department\'s PostgreSQL or CSV data to its datasets on a schedule / 前置机：定时归集部门数据',
    load: () => import('./commands/run-agent.js'),
  },
  {
    name: 'backup',
    usage: '<file.tar.gz> [--force]',
    summary: 'write a backup of the embedded database (stop the server first) / 备份内嵌数据库（需先停止服务）',
    load: () => import('./commands/backup-database.js'),
  },
  {
    name: 'restore',
    usage: '<file.tar.gz> [--force]',
    summary: 'recreate the embedded database from a backup and verify it / 从备份恢复内嵌数据库并校验',
    load: () => import('./commands/restore-database.js'),
  },
];

const consoleIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The usage text: every command with its arguments and a bilingual one-liner. */
export function usage(commands: readonly Command[] = COMMANDS): string {
  const lines = commands.map((c) => `  ${c.name}${c.usage ? ` ${c.usage}` : ''}\n      ${c.summary}`);
  return [
    'usage: huitong <command> [options]   汇通命令行工具',
    '',
    'commands 命令:',
    ...lines,
    '',
    'Configuration comes from the environment (HUITONG_DATA_DIR, DATABASE_URL, …; see README). 配置取自环境变量。',
    'Exit codes: 0 done, 1 failed, 2 wrong command line or configuration. 退出码：0 成功，1 失败，2 用法或配置错误。',
  ].join('\n');
}

/** The command named by the leading words of argv, and the arguments after its name. */
export function findCommand(argv: readonly string[]): { command: Command; args: string[] } | undefined {
  // Longest name first, so `user create` wins over a hypothetical `user`.
  const byLength = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of byLength) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, args: argv.slice(words.length) };
  }
  return undefined;
}

/** Runs one command line and returns the exit code; `loadEnv` is the only source of configuration. */
export async function runCli(argv: readonly string[], io: CliIo = consoleIo, loadEnv: () => Config = loadConfig): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    (argv.length === 0 ? io.err : io.out)(usage());
    return argv.length === 0 ? EXIT.usage : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    // `huitong user` alone: show that group's commands rather than everything.
    const group = COMMANDS.filter((c) => c.name.split(' ')[0] === argv[0]);
    io.err(`unknown command 未知命令: ${argv.join(' ')}\n\n${usage(group.length ? group : COMMANDS)}`);
    return EXIT.usage;
  }
  const { command, args } = found;
  const commandUsage = `usage: huitong ${command.name}${command.usage ? ` ${command.usage}` : ''}\n  ${command.summary}`;
  if (args.includes('--help') || args.includes('-h')) {
    io.out(commandUsage);
    return EXIT.ok;
  }
  let config: Config;
  try {
    config = loadEnv();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    io.err(err.message);
    return EXIT.usage;
  }
  try {
    const { run } = await command.load();
    return await run({ config, args, io });
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n${commandUsage}`);
      return EXIT.usage;
    }
    if (err instanceof CliFailure) {
      io.err(err.message);
      return err.exitCode;
    }
    if (err instanceof DataDirLockedError) {
      io.err(err.message);
      return EXIT.failed;
    }
    if (err instanceof AppError) {
      io.err(`${err.code}: ${err.message}`);
      // Field problems the message does not already spell out.
      for (const e of err.errors) if (!err.message.includes(e.message)) io.err(`  - ${e.field}: ${e.message}`);
      return EXIT.failed;
    }
    throw err;
  }
}
