import { z } from 'zod';
import { CLIENT_SCOPES } from '../../platform/actor.js';

/** A new API client: a name people recognise, its department (the caller's own when left out) and scopes. */
export const ZApiClientInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  departmentId: z.uuid().optional(),
  scopes: z.array(z.enum(CLIENT_SCOPES)).min(1).max(CLIENT_SCOPES.length),
});
export type TApiClientInput = z.infer<typeof ZApiClientInput>;

/** Why a client is revoked (kept with it and in the audit trail). */
export const ZRevokeInput = z.strictObject({ reason: z.string().trim().min(1).max(500) });
export type TRevokeInput = z.infer<typeof ZRevokeInput>;

/** Listing filter: platform administrators may narrow to one department. */
export const ZApiClientQuery = z.strictObject({ departmentId: z.uuid().optional() });

/** An API client as shown to administrators: never its secret or its hash. */
export type TApiClient = {
  id: string;
  name: string;
  departmentId: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
};

/** The answer to creating a client: the only time the secret is shown. */
export type TCreatedApiClient = TApiClient & { secret: string; authorization: string };
