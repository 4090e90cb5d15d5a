import { z } from 'zod';
import { SUBJECT_KINDS } from '../../../platform/vault/index.js';

/** Most subjects in one `POST /subjects:query`. */
export const MAX_SUBJECTS_PER_QUERY = 100;
/** Most claims in one `POST /subjects:verify`. */
export const MAX_CLAIMS = 50;
/** Longest `Purpose` header, in characters after URL-decoding. */
export const MAX_PURPOSE_LENGTH = 200;

/** The kind of identifier a subject is named by: citizen ID, unified social credit code, registration number. */
export const ZIdType = z.enum(SUBJECT_KINDS);
export type TIdType = z.infer<typeof ZIdType>;

/** A data item's English name as the catalog spells it. */
const ZFieldName = z.string().trim().min(1).max(100);

/** `GET /subjects/{idType}/{id}`. */
export const ZSubjectParams = z.object({ idType: ZIdType, id: z.string().min(1).max(200) });

/** `?fields=a,b`: the granted items wanted, by English name; left out: every granted item. */
export const ZFieldsQuery = z.strictObject({ fields: z.string().max(5000).optional() });

/** One subject of a batch query; its idType defaults to the body's. */
export const ZSubjectRef = z.strictObject({ idType: ZIdType.optional(), id: z.string().min(1).max(200) });

/** `POST /subjects:query`: up to 100 subjects, optionally only some granted items. */
export const ZQueryBody = z.strictObject({
  idType: ZIdType.optional(),
  subjects: z.array(ZSubjectRef).min(1).max(MAX_SUBJECTS_PER_QUERY),
  fields: z.array(ZFieldName).min(1).max(200).optional(),
});
export type TQueryBody = z.infer<typeof ZQueryBody>;

/** A claimed value: what the caller holds for one item. */
const ZClaimValue = z.union([z.string().max(1000), z.number(), z.boolean()]);

/** `POST /subjects:verify`: claimed values of granted items, answered match / no_match / no_data. */
export const ZVerifyBody = z.strictObject({
  idType: ZIdType,
  id: z.string().min(1).max(200),
  claims: z
    .record(z.string().min(1).max(100), ZClaimValue)
    .refine((c) => Object.keys(c).length >= 1, { message: 'name at least one item 至少核验一个数据项', params: { rule: 'min_items' } })
    .refine((c) => Object.keys(c).length <= MAX_CLAIMS, { message: `at most ${MAX_CLAIMS} items 最多核验 ${MAX_CLAIMS} 个数据项`, params: { rule: 'max_items' } }),
});
export type TVerifyBody = z.infer<typeof ZVerifyBody>;

/** The result of one claim. */
export const VERIFY_RESULTS = ['match', 'no_match', 'no_data'] as const;
export type VerifyResult = (typeof VERIFY_RESULTS)[number];

/** One dataset's answer for one subject. */
export type TDatasetAnswer = {
  entry: { code: string; name: string };
  provider: { id: string; name: string };
  /** When the record served was written (its newest version). */
  asOf: string;
  grantIds: string[];
  /** Granted (and asked-for) items by English name; masked ones as text. */
  values: Record<string, unknown>;
  /** How each served item was masked. */
  masking: Record<string, 'none' | 'partial'>;
};

/** The answer for one subject: the subject as asked (identifier masked) and every dataset holding it. */
export type TSubjectAnswer = { subject: { idType: TIdType; id: string }; datasets: TDatasetAnswer[] };

/** The answer of a verification. */
export type TVerifyAnswer = {
  subject: { idType: TIdType; id: string };
  results: { item: string; result: VerifyResult; datasets: { entryCode: string; result: VerifyResult }[] }[];
};
