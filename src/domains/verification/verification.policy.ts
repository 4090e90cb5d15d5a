import { type Actor, hasRole } from '../../platform/actor.js';

/** The user roles that act for a department in verification: report differences, answer reports. */
export const VERIFICATION_ROLES = ['dept_admin', 'catalog_editor'] as const;

/** A report as the policy sees it. */
type ReportParties = { reporter_department_id: string; responsible_department_id: string };

/** Any department's administrator or editor may report its copy differs. */
export function canReport(actor: Actor): boolean {
  return actor.kind === 'user' && actor.departmentId !== null && hasRole(actor, ...VERIFICATION_ROLES);
}

/** Both parties see a report; nobody else learns it exists. */
export function canSee(actor: Actor, r: ReportParties): boolean {
  return actor.departmentId !== null && (actor.departmentId === r.reporter_department_id || actor.departmentId === r.responsible_department_id);
}

/** The responsible department's administrator or editor answers. */
export function canAnswer(actor: Actor, r: ReportParties): boolean {
  return actor.departmentId === r.responsible_department_id && hasRole(actor, ...VERIFICATION_ROLES);
}
