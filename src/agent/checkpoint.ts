// A job's checkpoint: where its source stands, as far as the platform has acknowledged. One JSON
// file per job in the state directory, replaced atomically (temp file, fsync, rename, fsync of the
// folder), so after a crash or power loss it is either the old or the new one, never half of each.
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** A file as the CSV source recognises it: by name, size and modification time first, by SM3 of its bytes for sure. */
export const ZFileId = z.object({ name: z.string(), size: z.number(), mtimeMs: z.number(), sm3: z.string() });
export type FileId = z.infer<typeof ZFileId>;

/** Most finished files remembered: enough for years of daily drops; older ones drop out first. */
export const MAX_REMEMBERED_FILES = 10_000;

export const ZCheckpoint = z.object({
  version: z.literal(1),
  job: z.string(),
  dataset: z.string(),
  /** The Idempotency-Key of an atomic batch the platform rejected; the job waits there until the source data changes. */
  blockedKey: z.string().nullable().default(null),
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('postgres'),
      /** The last cursor value acknowledged, as PostgreSQL's own text (exact, unlike a JS Date); null before the first batch. */
      cursor: z.string().nullable(),
    }),
    z.object({
      kind: z.literal('csv-folder'),
      done: z.array(ZFileId),
      /** Files that could not be read; tried again only when they change. */
      failed: z.array(ZFileId).default([]),
      /** The file being sent and how many of its data rows the platform has acknowledged. */
      current: ZFileId.extend({ rowsAcked: z.number().int().min(0) }).nullable(),
    }),
  ]),
  updatedAt: z.string(),
});
export type Checkpoint = z.infer<typeof ZCheckpoint>;

/** The checkpoint file of a job. */
export function checkpointPath(stateDir: string, job: string): string {
  return path.join(stateDir, `${job}.checkpoint.json`);
}

/** A checkpoint file that exists but cannot be read: never silently replaced by a fresh start. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

/** Reads a job's checkpoint; undefined when the job has none yet. */
export async function readCheckpoint(stateDir: string, job: string): Promise<Checkpoint | undefined> {
  const file = checkpointPath(stateDir, job);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return ZCheckpoint.parse(JSON.parse(text));
  } catch {
    // Starting over would send everything again; the operator decides (fix or remove the file).
    throw new CheckpointError(`checkpoint ${file} is unreadable; fix or remove it to start over 检查点文件损坏，请修复或删除后重新开始`);
  }
}

/** Writes a job's checkpoint atomically and durably: temp file, fsync, rename over the old one, fsync the folder. */
export async function writeCheckpoint(stateDir: string, checkpoint: Checkpoint): Promise<void> {
  const file = checkpointPath(stateDir, checkpoint.job);
  const temp = `${file}.${process.pid}.tmp`;
  const handle = await fs.open(temp, 'w', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(checkpoint, null, 2)}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(temp, file);
  // The rename itself is durable only once the folder's entry is on disk.
  const dir = await fs.open(stateDir, 'r');
  try {
    await dir.sync();
  } catch {
    // Some file systems refuse fsync on a folder (EINVAL); the rename is still atomic there.
  } finally {
    await dir.close();
  }
}
