/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * Layout (1-based positions):
 *   1      registration authority (登记管理部门代码)
 *   2      organisation type (机构类别代码)
 *   3–8    administrative region code (登记管理机关行政区划码)
 *   9–17   organisation code (主体标识码, GB 11714; position 17 is its own check char)
 *   18     check char (校验码), MOD 31 over the 31-character alphabet
 *
 * Legacy policy (decided here, see ARCHITECTURE "Known gotchas"):
 *   Some early codes from pilot regions were issued before the national algorithm was
 *   applied uniformly, so their check character (position 18) and/or the embedded GB 11714
 *   check character (position 17) do not verify. Both checks are enforced and treated the
 *   same way:
 *   - `legacy: 'reject'` (default, new registrations): any check-character fault rejects
 *     the code, because a newly issued code that fails is far more likely a typo than a
 *     pilot code, and accepting it would create a subject nobody else can match.
 *   - `legacy: 'warn'` (imported history): a code whose only faults are check characters is
 *     accepted with a warning per fault, because refusing it would silently drop real
 *     historical records. Structural faults (length, charset, authority, region) are never
 *     waived: no issued code, pilot or not, has them.
 *   The GB 11714 check is enforced (rather than ignored) because every code issued under the
 *   national scheme embeds a valid organisation code; skipping it would only hide data
 *   errors that the MOD 31 check misses when two characters are wrong.
 *
 * Messages never echo the code itself: identifiers must not reach logs (identity vault rule).
 */

/** The 31 characters GB 32100 allows, in value order (no I, O, Z, S, V). */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** Weights for positions 1–17: 3^(i) mod 31, as tabulated in GB 32100-2015. */
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/** Weights for the 8 body characters of a GB 11714 organisation code. */
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * Registration authority codes: 1 机构编制, 5 民政, 9 工商, Y 其他 from GB 32100-2015, plus
 * later national assignments 2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会,
 * A 中央军委改革和编制办公室, N 农业.
 * Position 2 (organisation type) is deliberately not checked beyond the charset: its valid
 * values depend on the authority and keep being extended, and a stale table would reject
 * genuine codes.
 */
const REGISTRATION_AUTHORITIES = new Set(['1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'N', 'Y']);

const CHARSET_RE = /^[0-9A-HJ-NP-RTUW-Y]+$/;
const REGION_RE = /^[0-9]{6}$/;
const ORG_BODY_RE = /^[0-9A-Z]{8}$/;

export type UsccRule =
  | 'length'
  | 'charset'
  | 'registration_authority'
  | 'region_code'
  | 'org_code_check'
  | 'check_char';

export type UsccLegacyPolicy = 'reject' | 'warn';

export type UsccResult =
  | { ok: true; normalized: string; warnings: string[] }
  | { ok: false; rule: UsccRule; message: string };

const MESSAGES: Record<UsccRule, string> = {
  length: '统一社会信用代码应为18位 / A unified social credit code must be 18 characters long',
  charset:
    '统一社会信用代码只能包含数字和除 I、O、Z、S、V 以外的大写字母 / A unified social credit code may contain only digits and letters other than I, O, Z, S, V',
  registration_authority:
    '统一社会信用代码第1位登记管理部门代码无效 / Position 1 (registration authority) of the unified social credit code is not a known authority code',
  region_code:
    '统一社会信用代码第3至8位行政区划码应为6位数字 / Positions 3–8 (administrative region code) of the unified social credit code must be 6 digits',
  org_code_check:
    '统一社会信用代码第9至17位组织机构代码校验码错误 / The organisation code (positions 9–17) embedded in the unified social credit code fails its GB 11714 check character',
  check_char:
    '统一社会信用代码校验码错误 / The check character (position 18) of the unified social credit code is wrong',
};

/** Trims and upper-cases, because users paste codes with spaces and lower-case letters. */
function normalize(code: string): string {
  return code.trim().toUpperCase();
}

/** Computes the GB 32100 MOD 31 check char for 17 characters, so demo and test codes are valid by construction. */
export function usccCheckChar(first17: string): string {
  const s = normalize(first17);
  if (s.length !== 17 || !CHARSET_RE.test(s)) {
    throw new RangeError('usccCheckChar needs 17 characters from the GB 32100 alphabet');
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += ALPHABET.indexOf(s.charAt(i)) * (USCC_WEIGHTS[i] ?? 0);
  }
  return ALPHABET.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714 check char for an 8-character organisation code body; letters count A=10…Z=35 (unlike the MOD 31 alphabet). */
function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charAt(i);
    const value = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55;
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

function orgCodeValid(orgCode9: string): boolean {
  const body = orgCode9.slice(0, 8);
  return ORG_BODY_RE.test(body) && orgCodeCheckChar(body) === orgCode9.charAt(8);
}

/** Validates a unified social credit code; `legacy: 'warn'` waives check-char-only faults for imported history. */
export function validateUscc(code: string, opts?: { legacy?: UsccLegacyPolicy }): UsccResult {
  const legacy: UsccLegacyPolicy = opts?.legacy ?? 'reject';
  const s = normalize(code);
  const fail = (rule: UsccRule): UsccResult => ({ ok: false, rule, message: MESSAGES[rule] });

  if (s.length !== 18) return fail('length');
  if (!CHARSET_RE.test(s)) return fail('charset');
  if (!REGISTRATION_AUTHORITIES.has(s.charAt(0))) return fail('registration_authority');
  if (!REGION_RE.test(s.slice(2, 8))) return fail('region_code');

  // Both check characters are evaluated before deciding, so the legacy policy sees every fault.
  const faults: UsccRule[] = [];
  if (usccCheckChar(s.slice(0, 17)) !== s.charAt(17)) faults.push('check_char');
  if (!orgCodeValid(s.slice(8, 17))) faults.push('org_code_check');

  if (faults.length === 0) return { ok: true, normalized: s, warnings: [] };
  if (legacy === 'reject') return fail(faults[0] ?? 'check_char');
  return {
    ok: true,
    normalized: s,
    warnings: faults.map(
      (rule) => `${MESSAGES[rule]}（按历史数据导入规则接受 / accepted under the legacy import policy）`,
    ),
  };
}

/** Masks all but the first 4 and last 4 characters, because UI, API and logs must not show raw codes. */
export function maskUscc(code: string): string {
  const s = normalize(code);
  // Anything that is not a full-length code is masked entirely: a partial value may still identify someone.
  if (s.length !== 18) return '*'.repeat(s.length);
  return `${s.slice(0, 4)}${'*'.repeat(10)}${s.slice(14)}`;
}
