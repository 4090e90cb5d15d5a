import { z } from 'zod';
import { ROLES } from '../../platform/actor.js';

export const ZRole = z.enum(ROLES);
export const ZDepartmentKind = z.enum(['government', 'public_institution', 'people_organisation', 'vertical']);
export const ZContactRole = z.enum(['leader', 'sharing_officer', 'technical_officer']);
export type TContactRole = z.infer<typeof ZContactRole>;
const ZIsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');

export const ZLogin = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });
export const ZPasswordChange = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});

export const ZDepartmentInput = z.strictObject({
  name: z.string().trim().min(2).max(100),
  nameEn: z.string().trim().max(200).default(''),
  uscc: z.string().trim().min(1).max(18),
  regionCode: z.string().regex(/^\d{6}$/, '6-digit region code'),
  parentId: z.uuid().nullable().default(null),
  kind: ZDepartmentKind,
});
export type TDepartmentInput = z.infer<typeof ZDepartmentInput>;
export const ZDepartmentPatch = ZDepartmentInput.partial();

export const ZDepartment = z.object({
  id: z.string(),
  name: z.string(),
  nameEn: z.string(),
  uscc: z.string(),
  regionCode: z.string(),
  parentId: z.string().nullable(),
  kind: z.string(),
  isAuthority: z.boolean(),
});
export type TDepartment = z.infer<typeof ZDepartment>;

export const ZContactInput = z.strictObject({
  name: z.string().trim().min(2).max(50),
  phone: z.string().trim().regex(/^[0-9+\- ]{7,20}$/, 'phone number of 7–20 digits'),
  email: z.email(),
  effectiveOn: ZIsoDate,
});
export type TContactInput = z.infer<typeof ZContactInput>;

export const ZUserInput = z.strictObject({
  username: z.string().regex(/^[a-z0-9_.-]{3,64}$/, '3–64 lower-case letters, digits, _ . -'),
  displayName: z.string().trim().min(1).max(50),
  departmentId: z.uuid(),
  roles: z.array(ZRole).min(1),
  password: z.string().min(1).max(256),
});
export type TUserInput = z.infer<typeof ZUserInput>;
export const ZUserPatch = z.strictObject({
  displayName: z.string().trim().min(1).max(50).optional(),
  roles: z.array(ZRole).min(1).optional(),
  disabled: z.boolean().optional(),
});
export type TUserPatch = z.infer<typeof ZUserPatch>;

export const ZRegionInput = z.strictObject({
  code: z.string().regex(/^\d{6}$/),
  name: z.string().trim().min(2).max(50),
  nameEn: z.string().trim().max(100).default(''),
  parentCode: z.string().regex(/^\d{6}$/).nullable().default(null),
});
export type TRegionInput = z.infer<typeof ZRegionInput>;
