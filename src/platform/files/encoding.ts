import { Transform, type TransformCallback } from 'node:stream';
import { FileFormatError } from './files.errors.js';

/** The encodings an upload may be in; gb18030 is a superset of GBK and GB2312. */
export type TextEncoding = 'utf-8' | 'gb18030';

/** How many leading bytes detectEncoding is given by readRows. */
export const DETECT_SAMPLE_BYTES = 64 * 1024;

/**
 * Length of the valid UTF-8 prefix of `bytes`, and whether the rest is only a sequence cut off
 * by the end of the buffer (as opposed to an invalid byte). Strict: no overlongs, no surrogates,
 * nothing above U+10FFFF.
 */
function scanUtf8(bytes: Uint8Array): { valid: number; cutAtEnd: boolean } {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return { valid: i, cutAtEnd: false };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return { valid: i, cutAtEnd: true };
      const c = bytes[i + k] as number;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return { valid: i, cutAtEnd: false };
    }
    i += need + 1;
  }
  return { valid: n, cutAtEnd: false };
}

/** Length of the GB18030 sequence starting with b (and b2, when b is a lead byte): 1, 2 or 4. */
function gbSequenceLength(b: number, b2: number | undefined): number {
  if (b < 0x81 || b === 0xff) return 1;
  return b2 !== undefined && b2 >= 0x30 && b2 <= 0x39 ? 4 : 2;
}

/**
 * Length of the prefix of `bytes` made of whole GB18030 sequences, by structure only; the rest
 * is a sequence cut off by the end of the buffer.
 */
function wholeGb18030(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b >= 0x81 && b !== 0xff && i + 1 >= n) return i;
    const len = gbSequenceLength(b, bytes[i + 1]);
    if (i + len > n) return i;
    i += len;
  }
  return n;
}

/** Picks the encoding of an upload from its first bytes: UTF-8 when they are (strictly) UTF-8, else GB18030. */
export function detectEncoding(firstBytes: Uint8Array): TextEncoding {
  if (firstBytes[0] === 0xef && firstBytes[1] === 0xbb && firstBytes[2] === 0xbf) return 'utf-8';
  const { valid, cutAtEnd } = scanUtf8(firstBytes);
  return valid === firstBytes.length || cutAtEnd ? 'utf-8' : 'gb18030';
}

/** A chunk-by-chunk decoder; `write` returns the text of the whole characters seen so far. */
export type ChunkDecoder = { write(bytes: Uint8Array): string; end(): string };

/**
 * Decodes bytes in chunks, never splitting a multi-byte character: the bytes of a character cut
 * by a chunk boundary wait for the next chunk. Invalid bytes throw FileFormatError('encoding')
 * with their offset in the file; a character cut off at the end throws 'truncated'.
 */
export function createChunkDecoder(encoding: TextEncoding): ChunkDecoder {
  // fatal: a wrong byte is an error, not a silent U+FFFD in somebody's name.
  const decoder = new TextDecoder(encoding, { fatal: true });
  let carry: Uint8Array = new Uint8Array(0);
  let offset = 0; // file offset of carry[0]
  const label = encoding === 'utf-8' ? 'UTF-8' : 'GBK/GB18030';

  const invalidAt = (bytes: Uint8Array, whole: number): number => {
    if (encoding === 'utf-8') return scanUtf8(bytes.subarray(0, whole)).valid;
    // Structurally whole but unmapped: find the first sequence a fresh decoder refuses.
    const probe = new TextDecoder(encoding, { fatal: true });
    let i = 0;
    while (i < whole) {
      const len = gbSequenceLength(bytes[i] as number, bytes[i + 1]);
      try {
        probe.decode(bytes.subarray(i, i + len));
      } catch {
        return i;
      }
      i += len;
    }
    return 0;
  };
  const fail = (at: number): never => {
    throw new FileFormatError(
      'encoding',
      `文件第 ${at} 字节处的内容不是有效的 ${label} 编码，请将文件另存为 UTF-8 或 GBK 编码的 CSV。 Invalid ${label} bytes at byte offset ${at}; save the file again as UTF-8 or GBK CSV.`,
      { byteOffset: at },
    );
  };

  return {
    write(chunk: Uint8Array): string {
      let bytes: Uint8Array;
      if (carry.length === 0) bytes = chunk;
      else {
        bytes = new Uint8Array(carry.length + chunk.length);
        bytes.set(carry);
        bytes.set(chunk, carry.length);
      }
      let whole: number;
      if (encoding === 'utf-8') {
        const scan = scanUtf8(bytes);
        if (!scan.cutAtEnd && scan.valid < bytes.length) fail(offset + scan.valid);
        whole = scan.valid;
      } else whole = wholeGb18030(bytes);
      let text: string;
      try {
        text = decoder.decode(bytes.subarray(0, whole), { stream: true });
      } catch {
        return fail(offset + invalidAt(bytes, whole));
      }
      // Copy: the caller may reuse its buffer.
      carry = bytes.slice(whole);
      offset += whole;
      return text;
    },
    end(): string {
      if (carry.length > 0) {
        throw new FileFormatError(
          'truncated',
          `文件在一个字符的中间结束（第 ${offset} 字节），文件可能不完整。 The file ends in the middle of a ${label} character at byte offset ${offset}; it may be cut off.`,
          { byteOffset: offset },
        );
      }
      try {
        return decoder.decode();
      } catch {
        return fail(offset);
      }
    },
  };
}

/** A Transform from bytes to strings (readable side in object mode) over createChunkDecoder. */
export function createDecodeStream(encoding: TextEncoding): Transform {
  const d = createChunkDecoder(encoding);
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback) {
      try {
        const text = d.write(chunk);
        callback(null, text || undefined);
      } catch (err) {
        callback(err as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        const text = d.end();
        callback(null, text || undefined);
      } catch (err) {
        callback(err as Error);
      }
    },
  });
}
