import { type Actor, hasRole } from '../../platform/actor.js';
import { platformError } from '../../platform/errors.js';

/**
 * Who may issue, list and revoke a department's API clients and their certificates: its own
 * administrator or the platform's (a person, or the command line, which acts as one); never a client.
 */
export function canManageClientsOf(actor: Actor, departmentId: string): boolean {
  return (actor.kind === 'user' || actor.kind === 'system') && (hasRole(actor, 'platform_admin') || (hasRole(actor, 'dept_admin') && actor.departmentId === departmentId));
}

/** Whether the actor sees every department's clients (else only its own department's). */
export function canListAllClients(actor: Actor): boolean {
  return actor.kind === 'user' && hasRole(actor, 'platform_admin');
}

/** Throws FORBIDDEN (audited) when `allowed` is false. */
export function authorize(allowed: boolean, what: string): void {
  if (!allowed) throw platformError('FORBIDDEN', `Not allowed: ${what}. 无权操作：${what}。`);
}
