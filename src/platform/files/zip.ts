import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { crc32, createInflateRaw } from 'node:zlib';
import { FileFormatError } from './files.errors.js';

/** What the entries of an uploaded workbook may unpack to in total; guards the disk and CPU against zip bombs. */
export const MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024;

type Entry = { name: string; method: number; crc: number; compressed: number; size: number; localOffset: number };

const truncated = () =>
  new FileFormatError('truncated', 'xlsx 文件不完整（压缩包在中途结束），请重新上传完整的文件。 The .xlsx file is incomplete (the zip ends early); upload the whole file again.');
const damaged = () =>
  new FileFormatError('not_xlsx', 'xlsx 文件内容已损坏，请在 Excel 中重新另存为 .xlsx 后上传。 The .xlsx file is damaged; save it again as .xlsx in Excel.');

/**
 * Checks a zip on disk before exceljs reads it: the central directory is there (a cut-off upload
 * loses it), and every entry inflates to its recorded size and CRC-32. exceljs's streaming unzip
 * hangs on some damaged entries instead of failing, so damage must be found first. Streams each
 * entry, so memory stays bounded; throws FileFormatError 'truncated' or 'not_xlsx'.
 */
export async function verifyZip(path: string): Promise<void> {
  const entries = await readCentralDirectory(path);
  let total = 0;
  for (const e of entries) {
    total += e.size;
    if (total > MAX_UNZIPPED_BYTES) {
      throw new FileFormatError('not_xlsx', `xlsx 文件解压后超过 ${MAX_UNZIPPED_BYTES / 1024 ** 3} GB。 The .xlsx file unpacks to more than ${MAX_UNZIPPED_BYTES / 1024 ** 3} GB.`);
    }
  }
  const fh = await open(path, 'r');
  const starts: number[] = [];
  try {
    for (const e of entries) {
      const local = Buffer.alloc(30);
      const { bytesRead } = await fh.read(local, 0, 30, e.localOffset);
      if (bytesRead < 30 || local.readUInt32LE(0) !== 0x04034b50) throw damaged();
      starts.push(e.localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28));
    }
  } finally {
    await fh.close();
  }
  for (const [i, e] of entries.entries()) {
    if (e.method !== 0 && e.method !== 8) throw damaged();
    if (e.compressed === 0) {
      if (e.size !== 0) throw damaged();
      continue;
    }
    const start = starts[i] as number;
    let crc = 0;
    let size = 0;
    try {
      const source = createReadStream(path, { start, end: start + e.compressed - 1 });
      const sink = async (chunks: AsyncIterable<Buffer>) => {
        for await (const chunk of chunks) {
          crc = crc32(chunk, crc);
          size += chunk.length;
          if (size > e.size) throw damaged();
        }
      };
      if (e.method === 8) await pipeline(source, createInflateRaw(), sink);
      else await pipeline(source, sink);
    } catch {
      throw damaged();
    }
    if (size !== e.size || crc !== e.crc) throw damaged();
  }
}

/** The entries the end-of-central-directory record points at; 'truncated' when it is missing. */
async function readCentralDirectory(path: string): Promise<Entry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailSize = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(tailSize);
    await fh.read(tail, 0, tailSize, size - tailSize);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw truncated();
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    // ZIP64 (0xffffffff) is beyond any workbook a department uploads; a directory past the end is a cut-off file.
    if (cdOffset === 0xffffffff || cdOffset + cdSize > size - tailSize + eocd || cdSize > 64 * 1024 * 1024) throw truncated();
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: Entry[] = [];
    let off = 0;
    for (let n = 0; n < count; n++) {
      if (off + 46 > cd.length || cd.readUInt32LE(off) !== 0x02014b50) throw damaged();
      const nameLen = cd.readUInt16LE(off + 28);
      const entry: Entry = {
        name: cd.toString('utf8', off + 46, off + 46 + nameLen),
        method: cd.readUInt16LE(off + 10),
        crc: cd.readUInt32LE(off + 16),
        compressed: cd.readUInt32LE(off + 20),
        size: cd.readUInt32LE(off + 24),
        localOffset: cd.readUInt32LE(off + 42),
      };
      if (entry.compressed === 0xffffffff || entry.size === 0xffffffff || entry.localOffset + entry.compressed > cdOffset) throw damaged();
      entries.push(entry);
      off += 46 + nameLen + cd.readUInt16LE(off + 30) + cd.readUInt16LE(off + 32);
    }
    if (entries.length === 0) throw damaged();
    return entries;
  } finally {
    await fh.close();
  }
}
