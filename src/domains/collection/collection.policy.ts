import { type Actor, hasRole, hasScope } from '../../platform/actor.js';

/**
 * Whether the actor may send records to a dataset of this department: its department
 * administrator or catalog editor, or one of its API clients holding 'collection:write'.
 */
export function canWrite(actor: Actor, departmentId: string): boolean {
  if (actor.departmentId !== departmentId) return false;
  if (actor.kind === 'client') return hasScope(actor, 'collection:write');
  return actor.kind === 'user' && hasRole(actor, 'dept_admin', 'catalog_editor');
}

/** Whether the actor may read a department's datasets, batches and quarantine (the provider's own view; people only). */
export function canReadOwn(actor: Actor, departmentId: string): boolean {
  return actor.kind === 'user' && canWrite(actor, departmentId);
}

/**
 * Whether the actor may read a dataset's quality figures: its own providers, and the authority
 * and platform administrators for any department (read-only oversight, 001-data §19).
 */
export function canReadQuality(actor: Actor, departmentId: string): boolean {
  if (actor.kind === 'user' && hasRole(actor, 'authority', 'platform_admin')) return true;
  return canReadOwn(actor, departmentId);
}

/**
 * Whether the actor may see a record's full identifier (audited): only the providing
 * department's administrator; its catalog editors see the masked form like everyone else.
 */
export function canRevealIdentifier(actor: Actor, departmentId: string): boolean {
  return actor.kind === 'user' && actor.departmentId === departmentId && hasRole(actor, 'dept_admin');
}
