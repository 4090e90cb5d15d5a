import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../../test/global-setup.js';
import { verifyPassword } from '../domains/orgs/password.js';
import { type Database, openPGlite, openPostgres } from '../platform/db/index.js';

// The real `huitong` program, run as child processes the way an operator runs it. Every start
// pays for Node, tsx and the database opening, so the steps share one database and run in order.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/huitong.mjs');
const SERVER_URL = process.env.TEST_DATABASE_URL;
/** Where the commands that work on either database run: the server under test if there is one. */
const TARGET: 'embedded' | 'postgres' = SERVER_URL ? 'postgres' : 'embedded';

const work = path.join(ROOT, '.tmp', `cli-test-${process.pid}-${Date.now() % 1e6}`);
const mainDir = path.join(work, 'main');
const restoredDir = path.join(work, 'restored');
const backupFile = path.join(work, 'backup.tar.gz');
let serverDbName: string | undefined;
let targetUrl: string | undefined;
const children: ChildProcess[] = [];

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs a node program to completion with the test environment plus `env`. */
function runNode(nodeArgs: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment of a child: quiet test settings, no database settings inherited from ours. */
function childEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', HUITONG_DATA_DIR: mainDir };
  delete base.DATABASE_URL;
  delete base.TEST_DATABASE_URL;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

/** `huitong …` on the embedded database in `dataDir`. */
function huitong(args: string[], dataDir = mainDir, env: Record<string, string | undefined> = {}): Promise<Run> {
  return runNode([BIN, ...args], { HUITONG_DATA_DIR: dataDir, ...env });
}

/** `huitong …` on the database under test: the PostgreSQL server when TEST_DATABASE_URL is set. */
function onTarget(args: string[]): Promise<Run> {
  return huitong(args, mainDir, { DATABASE_URL: targetUrl });
}

/** Opens the database under test directly, as an attacker with file or server access would. */
function openTarget(): Promise<Database> {
  return targetUrl ? openPostgres(targetUrl, 1) : openPGlite({ dataDir: mainDir });
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  if (SERVER_URL) {
    serverDbName = `huitong_cli_${process.pid}_${Date.now() % 1e6}`;
    const admin = await openPostgres(SERVER_URL, 1);
    await admin.exec(`CREATE DATABASE ${serverDbName}`);
    await admin.close();
    targetUrl = withDatabase(SERVER_URL, serverDbName);
  }
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  fs.rmSync(work, { recursive: true, force: true });
  if (SERVER_URL && serverDbName) {
    const admin = await openPostgres(SERVER_URL, 1);
    await admin.exec(`DROP DATABASE IF EXISTS ${serverDbName}`).catch(() => {});
    await admin.close();
  }
});

describe('the huitong command line', () => {
  it('lists every command with --help and refuses an unknown one with exit 2', async () => {
    const [help, unknown] = await Promise.all([huitong(['--help']), huitong(['frobnicate'])]);
    expect(help.code).toBe(0);
    for (const name of ['migrate', 'seed-demo', 'user create', 'user reset-password', 'calendar add', 'calendar is-working-day', 'audit verify', 'backup', 'restore']) {
      expect(help.stdout).toContain(`  ${name}`);
    }
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
    expect(unknown.stderr).toContain('usage: huitong');
  });

  it('lists the problems of a bad configuration and exits 2', async () => {
    const run = await huitong(['migrate'], mainDir, { PORT: 'eighty', HUITONG_POLICY: 'atlantis' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).toContain('HUITONG_POLICY');
  });
});

describe(`huitong on the ${TARGET} database`, () => {
  it('migrate applies every migration to a new database', async () => {
    const first = await onTarget(['migrate']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^applied 0001_platform$/m);
  });

  it('seed-demo loads the demo city into the empty database', async () => {
    const run = await onTarget(['seed-demo']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('demo city loaded');
    expect(run.stdout).toMatch(/^\s+admin\s+platform_admin/m);
  });

  it('seed-demo says so and loads nothing when the database has data', async () => {
    const run = await onTarget(['seed-demo']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('nothing loaded');
  });

  it('calendar add prints only the result date, counting over the National Day holiday', async () => {
    const run = await onTarget(['calendar', 'add', '2026-09-29', '2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('2026-10-08\n');
  });

  it('calendar is-working-day answers yes for a 调休 Saturday and fails for a year not loaded', async () => {
    // One at a time: the embedded database admits one process.
    const saturday = await onTarget(['calendar', 'is-working-day', '2026-10-10']);
    const later = await onTarget(['calendar', 'is-working-day', '2027-03-01']);
    expect(saturday.code, saturday.stderr).toBe(0);
    expect(saturday.stdout).toMatch(/^yes adjusted_working\b/);
    expect(later.code).toBe(1);
    expect(later.stderr).toContain('2027');
  });

  let createdPassword = '';
  let resetPasswordValue = '';
  it('user create adds an account with a generated password shown once', async () => {
    const run = await onTarget(['user', 'create', '--username', 'cli.editor', '--name', '命令行编目员', '--department', '惠州市民政局', '--role', 'catalog_editor', '--role', 'catalog_reviewer']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('created user cli.editor');
    createdPassword = /仅显示一次）: (\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(createdPassword).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('user reset-password sets a new password', async () => {
    const run = await onTarget(['user', 'reset-password', '--username', 'cli.editor', '--password', 'Reset-Pass-2026']);
    expect(run.code, run.stderr).toBe(0);
    resetPasswordValue = 'Reset-Pass-2026';
    const missing = await onTarget(['user', 'reset-password', '--username', 'nobody.here']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nobody.here');
  });

  it('audit verify accepts the intact chain', async () => {
    const run = await onTarget(['audit', 'verify']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ok, \d+ entries/);
  });

  if (TARGET === 'embedded') {
    it('backup writes a gzip dump of the data directory', async () => {
      const run = await huitong(['backup', backupFile]);
      expect(run.code, run.stderr).toBe(0);
      expect(fs.readFileSync(backupFile).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    });
  }

  let tamperedSeq = 0;
  it('recorded the CLI changes in the audit trail, and the new password works', async () => {
    const database = await openTarget();
    try {
      const entries = await database.db
        .selectFrom('audit_log')
        .select(['seq', 'action', 'actor_name'])
        .where('action', 'in', ['user.created', 'user.password_reset'])
        .where('actor_name', '=', 'cli')
        .orderBy('seq')
        .execute();
      expect(entries.map((e) => e.action)).toEqual(['user.created', 'user.password_reset']);
      const user = await database.db.selectFrom('users').select(['password_hash', 'roles']).where('username', '=', 'cli.editor').executeTakeFirstOrThrow();
      expect(user.roles).toEqual(['catalog_editor', 'catalog_reviewer']);
      expect(await verifyPassword(resetPasswordValue, user.password_hash)).toBe(true);
      expect(await verifyPassword(createdPassword, user.password_hash)).toBe(false);
      // Now alter history: change what one entry says happened.
      tamperedSeq = Number(entries[0]?.seq);
      await database.db.updateTable('audit_log').set({ details: JSON.stringify({ username: 'someone.else' }) }).where('seq', '=', tamperedSeq).execute();
    } finally {
      await database.close();
    }
  });

  it('audit verify fails on the tampered chain, naming the altered entry', async () => {
    const run = await onTarget(['audit', 'verify']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`seq ${tamperedSeq}:`);
    expect(run.stderr).toContain('does not match its hash');
  });
});

describe('backup, restore and the lock of the embedded database', () => {
  it('restore recreates the database in another directory and verifies its audit chain', async () => {
    if (!fs.existsSync(backupFile)) {
      // On a PostgreSQL run the embedded steps above did not happen: make a small embedded database to back up.
      expect((await huitong(['migrate'])).code).toBe(0);
      const made = await huitong(['backup', backupFile]);
      expect(made.code, made.stderr).toBe(0);
    }
    const run = await huitong(['restore', backupFile], restoredDir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('restored');
    expect(run.stdout).toMatch(/^ok, \d+ entries/m);
    expect(fs.existsSync(path.join(restoredDir, 'huitong.lock'))).toBe(false);
  });

  it('restore refuses a damaged backup, and a database without --force; with --force it moves the old one aside', async () => {
    const truncated = path.join(work, 'truncated.tar.gz');
    fs.writeFileSync(truncated, fs.readFileSync(backupFile).subarray(0, 100_000));
    const damaged = await huitong(['restore', truncated, '--force'], restoredDir);
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toContain('not a usable Huitong backup');
    const refused = await huitong(['restore', backupFile], restoredDir);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--force');
    expect(fs.readdirSync(restoredDir).filter((f) => f.startsWith('pgdata.'))).toEqual([]);
    const forced = await huitong(['restore', backupFile, '--force'], restoredDir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/^ok, \d+ entries/m);
    expect(fs.readdirSync(restoredDir).filter((f) => f.startsWith('pgdata.before-restore-'))).toHaveLength(1);
  });

  it('backup and restore point to pg_dump and exit 2 when a server is configured', async () => {
    const url = targetUrl ?? 'postgres://nobody@127.0.0.1:1/none';
    const [backup, restore] = await Promise.all([
      huitong(['backup', path.join(work, 'never.tar.gz')], mainDir, { DATABASE_URL: url }),
      huitong(['restore', backupFile], restoredDir, { DATABASE_URL: url }),
    ]);
    for (const run of [backup, restore]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('pg_dump');
    }
  });

  it('keeps a second process out of a data directory in use, and takes over the lock of a dead one', async () => {
    // A process holding the embedded database, as a running server does.
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { openPGlite } from ${JSON.stringify(path.join(ROOT, 'src/platform/db/index.ts'))};
         await openPGlite({ dataDir: ${JSON.stringify(restoredDir)} });
         console.log('ready');
         setInterval(() => {}, 60_000);`,
      ],
      { cwd: ROOT, env: childEnv({}), stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await new Promise<void>((resolve, reject) => {
      holder.stdout?.on('data', (d) => String(d).includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
    const pid = holder.pid as number;
    expect(fs.readFileSync(path.join(restoredDir, 'huitong.lock'), 'utf8').trim()).toBe(String(pid));

    const [cli, server] = await Promise.all([
      huitong(['audit', 'verify'], restoredDir),
      runNode(['--import', 'tsx', path.join(ROOT, 'src/main.ts')], { HUITONG_DATA_DIR: restoredDir, PORT: '0', HUITONG_WEB_DIR: '.tmp/no-web' }),
    ]);
    for (const run of [cli, server]) {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`in use by process ${pid}`);
      expect(run.stderr).toContain(`内嵌数据库正被进程 ${pid} 使用`);
    }

    // A crash leaves the lock file behind; its pid is dead, so the next process takes over.
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    holder.kill('SIGKILL');
    await exited;
    expect(fs.existsSync(path.join(restoredDir, 'huitong.lock'))).toBe(true);
    const after = await huitong(['audit', 'verify'], restoredDir);
    expect(after.code, after.stderr).toBe(0);
    expect(fs.existsSync(path.join(restoredDir, 'huitong.lock'))).toBe(false);
  });
});
