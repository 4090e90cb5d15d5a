import { type Actor, hasRole } from '../../platform/actor.js';

/** Roles that oversee every department's catalog work, including unpublished versions. */
export function seesAllDepartments(actor: Actor): boolean {
  return hasRole(actor, 'authority', 'supervisor', 'platform_admin');
}

/** Whether the actor may read an entry's unpublished versions. */
export function canSeeUnpublished(actor: Actor, departmentId: string): boolean {
  return seesAllDepartments(actor) || actor.departmentId === departmentId;
}

/** Whether the actor may draft or edit entries of this department. */
export function canEdit(actor: Actor, departmentId: string): boolean {
  return hasRole(actor, 'catalog_editor') && actor.departmentId === departmentId;
}

/** Whether the actor may maintain this department's three lists. */
export function canManageLists(actor: Actor, departmentId: string): boolean {
  return hasRole(actor, 'authority') || (hasRole(actor, 'dept_admin', 'catalog_editor') && actor.departmentId === departmentId);
}
