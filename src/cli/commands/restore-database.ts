import fs from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { acquireDataDirLock } from '../../platform/db/datadir-lock.js';
import { openPGlite } from '../../platform/db/index.js';
import { reportAuditChain } from '../audit-check.js';
import { type CommandRun, CliFailure, EXIT, parseCommandArgs, requireEmbedded, UsageError } from '../command.js';

/**
 * The tar archive inside a backup file (gzip'd or plain) when it is a whole PostgreSQL data
 * directory, else why not. Checked here, before anything on disk changes, because PGlite
 * reports a damaged archive poorly (and a truncated copy is the usual damage).
 */
function readBackup(bytes: Buffer): { tar: Buffer } | { problem: string } {
  let tar = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      tar = gunzipSync(bytes);
    } catch (err) {
      return { problem: `damaged gzip data (${(err as Error).message})` };
    }
  }
  const problem = tarProblem(tar);
  return problem ? { problem } : { tar };
}

/** Walks every header of a ustar archive: checksums, sizes within the file, and a PG_VERSION entry. */
function tarProblem(tar: Buffer): string | undefined {
  const octal = (start: number, length: number) => Number.parseInt(tar.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
  let hasVersion = false;
  for (let at = 0; ; ) {
    if (at + 512 > tar.length) return 'the archive is truncated';
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive block
    if (header.subarray(257, 262).toString('latin1') !== 'ustar') return 'not a tar archive';
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : (header[i] as number);
    if (sum !== octal(at + 148, 8)) return `damaged archive header at byte ${at}`;
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (name.replace(/^\.?\//, '') === 'PG_VERSION') hasVersion = true;
    const size = octal(at + 124, 12);
    at += 512 + Math.ceil(size / 512) * 512;
    if (at > tar.length) return 'the archive is truncated';
  }
  return hasVersion ? undefined : 'no PostgreSQL data directory in the archive';
}

/**
 * `huitong restore`: recreates the embedded database from a backup, then verifies its audit chain.
 * A non-empty database is only replaced with --force, and is then moved aside, not deleted.
 */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean' } }, true);
  const [source, ...rest] = positionals;
  if (source === undefined || rest.length) throw new UsageError('expected one backup file name');
  requireEmbedded(config, 'restore');
  const file = path.resolve(source);
  if (!fs.existsSync(file)) throw new CliFailure(`${file} does not exist / 备份文件不存在`);
  const backup = readBackup(fs.readFileSync(file));
  if ('problem' in backup) throw new CliFailure(`${file} is not a usable Huitong backup: ${backup.problem} / 不是有效的备份文件`);

  // Hold the lock from the emptiness check until the restored database is open: no server
  // may start on the directory in between.
  const lock = acquireDataDirLock(config.dataDir);
  const pgdata = path.join(config.dataDir, 'pgdata');
  let setAside: string | undefined;
  try {
    if (fs.existsSync(pgdata) && fs.readdirSync(pgdata).length > 0) {
      if (!values.force) {
        throw new CliFailure(`${pgdata} already holds a database; pass --force to replace it / 数据目录非空，如需覆盖请加 --force`);
      }
      setAside = `${pgdata}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      fs.renameSync(pgdata, setAside);
    }
  } catch (err) {
    lock.release();
    throw err;
  }

  let database: Awaited<ReturnType<typeof openPGlite>>;
  try {
    // openPGlite adopts the lock: it releases it on close, or at once if opening fails.
    database = await openPGlite({ dataDir: config.dataDir, loadDataDir: new Blob([backup.tar], { type: 'application/x-tar' }), lock });
  } catch (err) {
    let undone = '';
    try {
      undoRestore(config.dataDir, pgdata, setAside);
    } catch (undoErr) {
      undone = setAside ? ` The previous database is still in ${setAside}: ${(undoErr as Error).message}` : '';
    }
    throw new CliFailure(`could not restore ${file}: ${(err as Error).message} / 恢复失败.${undone}`);
  }
  try {
    io.out(`restored ${file} into ${pgdata} / 已恢复`);
    if (setAside) io.out(`the previous database was moved to ${setAside} / 原数据库已移至该目录`);
    const code = await reportAuditChain(database, io);
    if (code !== EXIT.ok) io.err('the restored database is in place, but its audit trail does not verify / 已恢复，但审计链校验未通过');
    return code;
  } finally {
    await database.close();
  }
};

/** Puts the data directory back as it was after a failed restore. */
function undoRestore(dataDir: string, pgdata: string, setAside: string | undefined): void {
  const lock = acquireDataDirLock(dataDir);
  try {
    fs.rmSync(pgdata, { recursive: true, force: true });
    if (setAside) fs.renameSync(setAside, pgdata);
  } finally {
    lock.release();
  }
}
