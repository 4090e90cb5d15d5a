import { createHash } from 'node:crypto';

/** SM3 digest (GB/T 32905) as lower-case hex; strings are hashed as UTF-8 so Chinese text hashes the same everywhere. */
export function sm3Hex(data: string | Uint8Array): string {
  const hash = createHash('sm3');
  hash.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  return hash.digest('hex');
}
