import { type Actor, hasRole, type Role } from '../../platform/actor.js';
import type { Party } from './sharing.states.js';

/** The user roles that act for a department in sharing: apply, answer, accept agreements, provide. */
export const SHARING_ROLES = ['sharing_officer', 'dept_admin'] as const satisfies readonly Role[];

/** A request or grant as the policy sees it. */
type Parties = { consumer_department_id: string; provider_department_id: string };

/** A department's sharing officer or administrator acts for it. */
export function actsForDepartment(actor: Actor): boolean {
  return actor.kind === 'user' && actor.departmentId !== null && hasRole(actor, ...SHARING_ROLES);
}

/** The parties see a request; the authority, the platform administrators and supervisors see every one. */
export function canSeeRequest(actor: Actor, r: Parties): boolean {
  if (hasRole(actor, 'authority', 'supervisor', 'platform_admin')) return true;
  return actor.departmentId !== null && (actor.departmentId === r.consumer_department_id || actor.departmentId === r.provider_department_id);
}

/** The party the actor may act as on a request (null: none). The authority acts as the authority. */
export function partiesOf(actor: Actor, r: Parties): Party[] {
  const parties: Party[] = [];
  if (actsForDepartment(actor) && actor.departmentId === r.consumer_department_id) parties.push('consumer');
  if (actsForDepartment(actor) && actor.departmentId === r.provider_department_id) parties.push('provider');
  if (actor.kind === 'user' && hasRole(actor, 'authority')) parties.push('authority');
  return parties;
}

/** A grant is seen by its two departments and by overseers. */
export const canSeeGrant = canSeeRequest;

/** The provider's sharing officer or administrator, or the authority, revokes a grant. */
export function canRevokeGrant(actor: Actor, g: Parties): boolean {
  if (actor.kind !== 'user') return false;
  return hasRole(actor, 'authority') || (actsForDepartment(actor) && actor.departmentId === g.provider_department_id);
}
