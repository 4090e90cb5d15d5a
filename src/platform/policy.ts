import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The numbers that differ between cities' regulations; no deadline is a literal in code. */
export const ZPolicyPreset = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  source: z.string(),
  /** Working days within which a change of a department contact must be reported (002 §43, 004 §34). */
  contactReportDays: z.number().int().min(1),
  /** Working days within which the responsible department answers a multi-source verification report (多源校核; 002 §5, 001-data §18; 002 §56 gives 3 for checking disputed data). */
  verificationAnswerDays: z.number().int().min(1),
  /** How often a department must review its whole catalog (000-exchange §7). */
  catalogFullReviewMonths: z.number().int().min(1),
});

export type PolicyPreset = z.infer<typeof ZPolicyPreset>;

const POLICIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../policies');

/** Reads and validates `policies/<id>.json`. */
export function loadPolicy(id: string): PolicyPreset {
  const file = path.join(POLICIES_DIR, `${id}.json`);
  return ZPolicyPreset.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}
