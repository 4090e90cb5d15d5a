import { isSubjectToken, type SubjectKind } from '../../../platform/vault/index.js';
import type { GrantedItem } from './grant-cache.js';
import { type Masking, presentIdentifier, presentValue, valueKindOf } from './masking.js';


/** Identifiers behind the tokens a projection may meet, decrypted beforehand in one query. */
export type Revealed = ReadonlyMap<string, { kind: SubjectKind; value: string }>;

/**
 * A stored record as a grant lets it leave the platform: only the granted items, each masked as
 * granted; an identifier stored as its vault token is shown as the identifier (masked unless
 * granted unmasked), never as the token. The one place shared values are shaped for a consumer.
 */
export function projectValues(items: Iterable<GrantedItem>, stored: Record<string, unknown>, revealed: Revealed): { values: Record<string, unknown>; masking: Record<string, Masking> } {
  const values: Record<string, unknown> = {};
  const masking: Record<string, Masking> = {};
  for (const item of items) {
    const v = stored[item.nameEn];
    masking[item.nameEn] = item.masking;
    const subject = isSubjectToken(v) ? revealed.get(v) : undefined;
    values[item.nameEn] = subject ? presentIdentifier(subject.kind, subject.value, item.masking) : presentValue(valueKindOf(item.shape), v, item.masking);
  }
  return { values, masking };
}

/** The tokens among a record's granted values, to decrypt before projecting. */
export function tokensToReveal(items: Iterable<GrantedItem>, stored: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const item of items) {
    const v = stored[item.nameEn];
    if (isSubjectToken(v)) out.push(v);
  }
  return out;
}
