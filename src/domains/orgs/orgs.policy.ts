import { type Actor, hasRole, type Role } from '../../platform/actor.js';
import { platformError } from '../../platform/errors.js';

/** Roles only the platform administrator hands out: they reach beyond one department. */
const PLATFORM_WIDE_ROLES: readonly Role[] = ['platform_admin', 'authority', 'supervisor'];

/** Who may change a department's three contacts: its own administrator or the platform's. */
export function canManageContacts(actor: Actor, departmentId: string): boolean {
  return hasRole(actor, 'platform_admin') || (hasRole(actor, 'dept_admin') && actor.departmentId === departmentId);
}

/** Who may see and manage users of a department. */
export function canManageUsersOf(actor: Actor, departmentId: string): boolean {
  return hasRole(actor, 'platform_admin') || (hasRole(actor, 'dept_admin') && actor.departmentId === departmentId);
}

/** Whether the actor may hand out these roles. */
export function canGrantRoles(actor: Actor, roles: readonly Role[]): boolean {
  return hasRole(actor, 'platform_admin') || !roles.some((r) => PLATFORM_WIDE_ROLES.includes(r));
}

/** Throws FORBIDDEN (audited) when `allowed` is false. */
export function authorize(allowed: boolean, what: string): void {
  if (!allowed) throw platformError('FORBIDDEN', `Not allowed: ${what}. 无权操作：${what}。`);
}
