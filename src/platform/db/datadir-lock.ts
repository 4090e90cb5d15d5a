import fs from 'node:fs';
import path from 'node:path';

/**
 * One process at a time on the embedded database: PGlite has no multi-process locking of its
 * own, and two processes writing one data directory corrupt it. The lock is a file
 * `<dataDir>/huitong.lock` holding the owner's pid; a lock whose pid is no longer alive was
 * left by a crash and is taken over.
 */

/** The lock file's name inside the data directory. */
export const LOCK_FILE = 'huitong.lock';

/** A held lock; release() is idempotent and also runs when the process exits. */
export type DataDirLock = { readonly path: string; readonly pid: number; release(): void };

/** Thrown when another live process holds the data directory. */
export class DataDirLockedError extends Error {
  readonly pid: number;
  readonly lockPath: string;
  constructor(pid: number, lockPath: string) {
    super(
      `the embedded database is in use by process ${pid}; stop the server first ` +
        `/ 内嵌数据库正被进程 ${pid} 使用，请先停止服务 (lock file: ${lockPath})`,
    );
    this.name = 'DataDirLockedError';
    this.pid = pid;
    this.lockPath = lockPath;
  }
}

// Lock files this process holds. A lock file naming our own pid that is not in this set was
// left by an earlier process that had the same pid (common in containers, where the server is
// often pid 1 on every start), so it is stale rather than ours.
const held = new Set<string>();

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid written in a lock file; undefined when the file is gone, NaN when it is unreadable. */
function readPid(file: string): number | undefined {
  try {
    return Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Takes the lock of `dataDir` (created if missing); throws DataDirLockedError when a live process holds it. */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(path.resolve(dataDir), LOCK_FILE);
  if (held.has(file)) throw new DataDirLockedError(process.pid, file);
  // A few rounds: a competing process may create or remove the file between our steps.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o644);
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return track(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readPid(file);
    if (owner === undefined) continue; // released meanwhile: try again
    // An empty or garbled file is a crash during the write above; treat it as stale.
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new DataDirLockedError(owner, file);
    }
    // Stale: remove it and race for a fresh one with O_EXCL, so only one taker wins.
    try {
      fs.unlinkSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  const owner = readPid(file);
  throw new DataDirLockedError(owner !== undefined && Number.isInteger(owner) ? owner : 0, file);
}

/** Registers a freshly created lock file as ours and arranges its release at exit. */
function track(file: string): DataDirLock {
  held.add(file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(file);
    process.removeListener('exit', release);
    // Only remove the file while it still names us: never delete another process's lock.
    try {
      if (readPid(file) === process.pid) fs.unlinkSync(file);
    } catch {
      // Already gone or unreadable: nothing of ours left to remove.
    }
  };
  process.on('exit', release);
  return { path: file, pid: process.pid, release };
}
