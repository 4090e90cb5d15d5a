/** Client-side check of a unified social credit code (GB 32100): form feedback only, the server decides. */

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const CHARSET = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;

/** Whether the code has 18 allowed characters and a correct MOD 31 check character. */
export function isPlausibleUscc(code: string): boolean {
  const s = code.trim().toUpperCase();
  if (!CHARSET.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(s.charAt(i)) * (WEIGHTS[i] ?? 0);
  return ALPHABET.charAt((31 - (sum % 31)) % 31) === s.charAt(17);
}
