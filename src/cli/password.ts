import { randomInt } from 'node:crypto';

// No look-alikes (0/O, 1/l/I): the password is read off a terminal and typed in once.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random 16-character password with letters and digits, for accounts made from the command line. */
export function generatePassword(length = 16): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
    if (/[A-Za-z]/.test(s) && /[0-9]/.test(s)) return s;
  }
}
