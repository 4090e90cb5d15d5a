import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const days = z.number().int().min(1);

/**
 * The numbers that differ between cities' regulations; no deadline is a literal in code.
 * All `…Days` are working days (工作日). Where a city's regulation has no number, the preset uses
 * the nearest document's number and says so in `sources` ("default: 002 §44 (not regulated in 004)").
 */
export const ZPolicyPreset = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  source: z.string(),
  /** Working days within which a change of a department contact must be reported (002 §43, 004 §34). */
  contactReportDays: days,
  /** Working days within which the responsible department answers a multi-source verification report (多源校核; 002 §5, 001-data §18; 002 §56 gives 3 for checking disputed data). */
  verificationAnswerDays: days,
  /** How often a department must review its whole catalog (000-exchange §7). */
  catalogFullReviewMonths: z.number().int().min(1),
  /** Requests for shared data (SPEC C2–C4). */
  shareRequest: z.object({
    /** The provider answers a first request for catalog data within this many working days (002 §44, 004 §35). */
    answerDays: days,
    /** …and provides the confirmed data within this many more working days (002 §44, 004 §35). */
    provideDays: days,
    /** The provider answers a request for conditional or off-catalog data within this many working days (002 §45). */
    conditionalAnswerDays: days,
    /** After a city-government ruling to share, the provider provides within this many working days (002 §44, C4). */
    rulingProvideDays: days,
  }),
  /** A department disputes shared data's content, format, standard or freshness (SPEC D1; 002 §56, 004 §44). */
  dataDispute: z.object({
    /** The platform checks the disputed data within this many working days of the request. */
    checkDays: days,
    /** A technical cause is corrected within this many working days of finding it. */
    technicalCorrectDays: days,
    /** Otherwise the responsible collecting department checks and corrects within this many working days. */
    departmentCorrectDays: days,
  }),
  /** The public disputes data about themselves (SPEC D2; 001-data §33). */
  publicObjection: z.object({
    /** The objection is marked (异议标注) within this many working days of receipt. */
    markDays: days,
    /** The authority decides on a correction, or transfers it to the responsible department, within this many working days. */
    decideOrTransferDays: days,
    /** The responsible department verifies and decides within this many working days of the transfer. */
    departmentVerifyDays: days,
  }),
  /**
   * How a request for unconditional data is granted: `automatic` — access is granted without the
   * provider (001-data §22); `acknowledge` — the provider answers the request first (002 §44).
   */
  unconditionalGrant: z.enum(['automatic', 'acknowledge']),
  /** The article each field comes from, keyed by field path (e.g. `shareRequest.answerDays` → "002 §44"). */
  sources: z.record(z.string(), z.string().min(1)),
});

export type PolicyPreset = z.infer<typeof ZPolicyPreset>;

/** Field paths of every number and choice in a preset, e.g. `shareRequest.answerDays` — each needs a source. */
export function policyFieldPaths(p: PolicyPreset): string[] {
  const out: string[] = [];
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'sources' || (prefix === '' && ['id', 'name', 'nameEn', 'source'].includes(k))) continue;
      const key = prefix ? `${prefix}.${k}` : k;
      if (v && typeof v === 'object') walk(v as Record<string, unknown>, key);
      else out.push(key);
    }
  };
  walk(p as unknown as Record<string, unknown>, '');
  return out;
}

const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../policies');

/** Reads and validates `policies/<id>.json`. */
export function loadPolicy(id: string): PolicyPreset {
  const file = path.join(POLICIES_DIR, `${id}.json`);
  return ZPolicyPreset.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
