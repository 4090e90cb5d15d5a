import { randomBytes } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix milliseconds, version 7, 12 bits rand_a, variant 10,
 * 62 bits rand_b. Time-ordered IDs keep B-tree inserts local and sort by creation time.
 *
 * Within one process the IDs are also strictly increasing (RFC 9562 §6.2 method 1): rand_a
 * is a counter seeded randomly each new millisecond (top bit cleared to leave headroom) and
 * incremented for further IDs in the same millisecond; on overflow, or if the clock steps
 * backwards, the timestamp is carried forward from the last one issued instead.
 */

let lastMs = -1;
let counter = 0;

const COUNTER_MAX = 0xfff;

/** A new RFC 9562 version 7 UUID, time-ordered and strictly increasing within this process. */
export function uuidv7(): string {
  const rand = randomBytes(10);
  let ms = Date.now();
  if (ms > lastMs) {
    // New millisecond: reseed the counter with 11 random bits.
    counter = (((rand[0] ?? 0) & 0x07) << 8) | (rand[1] ?? 0);
  } else {
    // Same millisecond or clock moved back: keep ordering by counting on from the last ID.
    ms = lastMs;
    counter++;
    if (counter > COUNTER_MAX) {
      ms = lastMs + 1;
      counter = (((rand[0] ?? 0) & 0x07) << 8) | (rand[1] ?? 0);
    }
  }
  lastMs = ms;

  const bytes = Buffer.alloc(16);
  // 48-bit big-endian timestamp (writeUIntBE handles up to 6 bytes without 32-bit truncation).
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  rand.copy(bytes, 8, 2, 10);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);

  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
