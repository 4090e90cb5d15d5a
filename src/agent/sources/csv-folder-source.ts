// The CSV folder source: files dropped into a folder (CSV in UTF-8 or GBK, or xlsx), each sent
// once, in name order. The checkpoint remembers finished files by name, size, modification time
// and SM3 of their bytes, and for the file in progress how many data rows the platform has
// acknowledged, so a restart resumes mid-file.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FileFormatError, readTable } from '../../platform/files/index.js';
import { maskText } from '../agent-log.js';
import type { TCsvFolderSource } from '../agent.schema.js';
import { type FileId, MAX_REMEMBERED_FILES } from '../checkpoint.js';
import type { AgentRecord, JobContext, JobOutcome } from '../job.js';

/** Subfolder finished files are moved to with `afterImport: "move"`. */
export const DONE_FOLDER = 'done';
/** Columns that hold the record key when the job names none (the same as the platform's upload). */
const KEY_COLUMNS = ['key', '主键'];

/** A file-name pattern (`*`, `?`) as a case-insensitive regular expression. */
export function patternToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

async function sm3OfFile(file: string): Promise<string> {
  const hash = createHash('sm3');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const sameFile = (a: Pick<FileId, 'name' | 'size' | 'mtimeMs'>, b: Pick<FileId, 'name' | 'size' | 'mtimeMs'>) => a.name === b.name && a.size === b.size && a.mtimeMs === b.mtimeMs;

/** Moves a finished file into done/, never over another file of the same name. */
async function moveToDone(folder: string, name: string): Promise<string> {
  const doneDir = path.join(folder, DONE_FOLDER);
  await fs.mkdir(doneDir, { recursive: true });
  let target = path.join(doneDir, name);
  try {
    await fs.access(target);
    target = path.join(doneDir, `${name}.${Date.now()}`);
  } catch {
    // free
  }
  await fs.rename(path.join(folder, name), target);
  return target;
}

/** Reads the folder and sends every new file; stops at the first file still being written, so files go in order. */
export async function runCsvFolderSource(ctx: JobContext): Promise<JobOutcome> {
  const source = ctx.job.source as TCsvFolderSource;
  const state = ctx.checkpoint.source;
  if (state.kind !== 'csv-folder') throw new Error('checkpoint of another source kind');
  const { log, stop } = ctx;
  const match = patternToRegExp(source.pattern);
  const names = (await fs.readdir(source.path, { withFileTypes: true }))
    .filter((d) => d.isFile() && match.test(d.name))
    .map((d) => d.name)
    .sort();
  let outcome: JobOutcome = 'ok';
  const finish = async (id: FileId, reason: 'sent' | 'duplicate') => {
    state.done = [...state.done.filter((d) => d.name !== id.name || d.sm3 !== id.sm3), id].slice(-MAX_REMEMBERED_FILES);
    if (state.current?.name === id.name) state.current = null;
    await ctx.save();
    if (source.afterImport === 'move') {
      const to = await moveToDone(source.path, id.name);
      log.info({ event: 'file_moved', file: id.name, to }, 'file moved to done/ 文件已移至 done/');
    }
    if (reason === 'duplicate') log.info({ event: 'file_skipped', file: id.name, reason }, 'same content as a file sent before; not sent again 内容与已导入文件相同，跳过');
  };

  for (const name of names) {
    if (stop.aborted) return 'aborted';
    const full = path.join(source.path, name);
    const st = await fs.stat(full);
    const quick = { name, size: st.size, mtimeMs: st.mtimeMs };
    // settle 0 skips the check: a just-written file's mtime may lie a fraction of a millisecond ahead of Date.now().
    if (source.settle > 0 && Date.now() - st.mtimeMs < source.settle) {
      log.info({ event: 'file_waiting', file: name }, 'file changed moments ago (still being copied?); next run 文件仍在写入，下次处理');
      break;
    }
    const doneBefore = state.done.find((d) => sameFile(d, quick));
    if (doneBefore) {
      // Finished, but the move did not happen (crash between checkpoint and rename, or afterImport changed).
      if (source.afterImport === 'move') await finish(doneBefore, 'sent');
      continue;
    }
    if (state.failed.some((d) => sameFile(d, quick))) continue; // unreadable, unchanged since
    const id: FileId = { ...quick, sm3: await sm3OfFile(full) };
    if (state.done.some((d) => d.sm3 === id.sm3)) {
      await finish(id, 'duplicate');
      continue;
    }
    let rowsAcked = 0;
    if (state.current && state.current.sm3 === id.sm3) rowsAcked = state.current.rowsAcked;
    else if (state.current?.name === name) log.warn({ event: 'file_changed', file: name, rowsAckedBefore: state.current.rowsAcked }, 'file changed while half sent; sending it from the start 文件在导入中途被修改，从头重新导入');
    const current = { ...id, rowsAcked };
    state.current = current;
    if (rowsAcked > 0) log.info({ event: 'file_resumed', file: name, rowsAcked }, `resuming after row ${rowsAcked} 从断点继续`);
    else log.info({ event: 'file_started', file: name, size: id.size }, 'reading file 开始读取文件');

    try {
      const result = await sendFile(ctx, full, id, current);
      if (result !== 'ok') return result;
    } catch (err) {
      if (!(err instanceof FileFormatError)) throw err;
      state.failed = [...state.failed.filter((d) => d.name !== name), id].slice(-MAX_REMEMBERED_FILES);
      state.current = null;
      await ctx.save();
      log.error(
        { event: 'file_failed', file: name, rule: err.rule, rowNo: err.rowNo, rowsAcked: current.rowsAcked, detail: maskText(err.message) },
        'file cannot be read; fix and drop it again (it is retried when it changes) 文件无法读取，修正后重新放入',
      );
      outcome = 'failed';
      continue;
    }
    log.info({ event: 'file_done', file: name, rows: current.rowsAcked }, 'file sent 文件导入完成');
    await finish(id, 'sent');
  }
  return outcome;
}

/** Sends one file from row `current.rowsAcked` on, batch by batch. */
async function sendFile(ctx: JobContext, full: string, id: FileId, current: FileId & { rowsAcked: number }): Promise<JobOutcome> {
  const source = ctx.job.source as TCsvFolderSource;
  const format = full.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
  const table = await readTable(createReadStream(full), { format });
  const keyColumn = source.keyColumn ?? table.header.find((h) => KEY_COLUMNS.includes(h));
  let records: AgentRecord[] = [];
  let lines: number[] = [];
  let first = current.rowsAcked;
  let index = 0;
  const send = async () => {
    const start = first;
    const n = records.length;
    const lineNos = lines;
    const d = await ctx.deliver(
      records,
      { fileSm3: id.sm3, firstRow: start },
      () => {
        current.rowsAcked = start + n;
      },
      (i) => ({ file: id.name, line: lineNos[i] }),
    );
    records = [];
    lines = [];
    first = start + n;
    return d;
  };
  for await (const row of table.rows) {
    if (index++ < current.rowsAcked) continue;
    const values: Record<string, string> = {};
    for (const [col, cell] of Object.entries(row.values)) {
      if (col === keyColumn || cell.trim() === '') continue;
      values[source.columns[col] ?? col] = cell;
    }
    const key = keyColumn ? row.values[keyColumn]?.trim() : undefined;
    records.push(key ? { key, values } : { values });
    lines.push(row.rowNo);
    if (records.length >= ctx.job.batchSize) {
      const d = await send();
      if (!d.ok) return d.outcome;
      if (ctx.stop.aborted) return 'aborted';
    }
  }
  if (records.length) {
    const d = await send();
    if (!d.ok) return d.outcome;
  }
  return 'ok';
}
