import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from './datadir-lock.js';

let dir: string;
let lockFile: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'huitong-lock-'));
  lockFile = path.join(dir, LOCK_FILE);
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid as number;
}

describe('the data directory lock', () => {
  it('writes our pid and removes the file on release', () => {
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
    lock.release();
    lock.release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it('refuses while a live process holds it, naming that process in both languages', () => {
    fs.writeFileSync(lockFile, `${process.ppid}\n`);
    const attempt = () => acquireDataDirLock(dir);
    expect(attempt).toThrow(DataDirLockedError);
    expect(attempt).toThrow(`in use by process ${process.ppid}`);
    expect(attempt).toThrow(`内嵌数据库正被进程 ${process.ppid} 使用`);
  });

  it('refuses a second holder inside the same process', () => {
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    lock.release();
  });

  it('takes over a lock left by a dead process, by an earlier process with our pid, or half-written', () => {
    for (const content of [`${deadPid()}\n`, `${process.pid}\n`, '']) {
      fs.writeFileSync(lockFile, content);
      const lock = acquireDataDirLock(dir);
      expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.pid));
      lock.release();
    }
  });

  it('never removes a lock file that another process has taken meanwhile', () => {
    const lock = acquireDataDirLock(dir);
    fs.writeFileSync(lockFile, `${process.ppid}\n`);
    lock.release();
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(process.ppid));
  });
});
