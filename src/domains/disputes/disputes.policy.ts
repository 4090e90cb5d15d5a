import { type Actor, hasRole, type Role } from '../../platform/actor.js';
import type { DisputeAction, DisputeKind, DisputeStatus } from './disputes.schema.js';
import { type Party, transitionsFrom } from './disputes.states.js';

/** The user roles that act for a department in disputes: file one as a consumer (D1), check and correct as the responsible department. */
export const DISPUTE_DEPARTMENT_ROLES = ['dept_admin', 'catalog_editor', 'sharing_officer'] as const satisfies readonly Role[];

/** The roles that act for the platform (平台管理机构 / 综合管理部门): check, mark, decide, transfer, correct technical causes. */
export const DISPUTE_PLATFORM_ROLES = ['authority'] as const satisfies readonly Role[];

/** The roles whose staff take a person's objection on their behalf (at the counter or by phone). */
export const PUBLIC_OBJECTION_FILER_ROLES = ['authority', 'platform_admin'] as const satisfies readonly Role[];

/** Every role that may call a dispute route that changes something (the route policy; the service checks the rest). */
export const DISPUTE_ROLES = [...new Set<Role>([...DISPUTE_DEPARTMENT_ROLES, ...DISPUTE_PLATFORM_ROLES, ...PUBLIC_OBJECTION_FILER_ROLES])];

/** A dispute as the policy sees it. */
type DisputeParties = { kind: DisputeKind; status: DisputeStatus; requester_department_id: string; responsible_department_id: string };

/** Who may file which kind: any department's administrator or editor a dispute; the authority's staff a person's objection. */
export function canFile(actor: Actor, kind: DisputeKind): boolean {
  if (actor.kind !== 'user' || actor.departmentId === null) return false;
  return kind === 'department_dispute' ? hasRole(actor, ...DISPUTE_DEPARTMENT_ROLES) : hasRole(actor, ...PUBLIC_OBJECTION_FILER_ROLES);
}

/** True when the actor acts for the platform. */
export function isPlatform(actor: Actor): boolean {
  return actor.kind === 'user' && hasRole(actor, ...DISPUTE_PLATFORM_ROLES);
}

/** The requesting and the responsible department see a dispute, and so does the platform; nobody else learns it exists. */
export function canSee(actor: Actor, d: DisputeParties): boolean {
  if (isPlatform(actor)) return true;
  return actor.departmentId !== null && (actor.departmentId === d.requester_department_id || actor.departmentId === d.responsible_department_id);
}

/** True when the actor may act as `party` on the dispute. */
export function actsAs(actor: Actor, party: Party, d: DisputeParties): boolean {
  if (party === 'platform') return isPlatform(actor);
  return actor.kind === 'user' && actor.departmentId === d.responsible_department_id && hasRole(actor, ...DISPUTE_DEPARTMENT_ROLES);
}

/** The steps the actor may take on the dispute now. */
export function allowedActions(actor: Actor, d: DisputeParties): DisputeAction[] {
  return transitionsFrom(d.kind, d.status)
    .filter((t) => actsAs(actor, t.by, d))
    .map((t) => t.action);
}
