/** Roles a person can hold; the meaning of each is in docs/glossary.md. */
export const ROLES = [
  'platform_admin', // 平台管理员: departments, users, calendar, backups
  'authority', // 主管部门: publishes the catalog, assigns basic data items, oversees departments
  'dept_admin', // 部门管理员: the department's contacts, users and lists
  'catalog_editor', // 目录编目员: drafts and submits the department's catalog entries
  'catalog_reviewer', // 目录审核员: approves or returns the department's submitted entries
  'sharing_officer', // 共享专员: applies for other departments' data, answers requests for the department's own, accepts agreements
  'supervisor', // 监察: read-only oversight of the audit trail
] as const;

export type Role = (typeof ROLES)[number];

/** What a machine credential (API client) may be allowed to do; a route admits clients by scope. */
export const CLIENT_SCOPES = [
  'collection:write', // send batches of records to its department's datasets (归集)
  'share:query', // query shared data the department holds grants for (共享查询)
] as const;

export type ClientScope = (typeof CLIENT_SCOPES)[number];

/**
 * Who is asking: a signed-in person, a department's machine credential (API client, `id` is the
 * client's id, `roles` always empty, `scopes` what it was granted), the platform itself, or nobody.
 */
export type Actor = {
  kind: 'user' | 'client' | 'system' | 'anonymous';
  id: string | null;
  name: string;
  departmentId: string | null;
  roles: readonly Role[];
  /** Only for kind 'client'. */
  scopes?: readonly ClientScope[];
};

/** The platform acting on its own (seeding, sweeps). */
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'system', departmentId: null, roles: [] };

/** A caller without a session. */
export const ANONYMOUS_ACTOR: Actor = { kind: 'anonymous', id: null, name: 'anonymous', departmentId: null, roles: [] };

/** True when the actor holds any of the roles. */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}

/** True when the actor is an API client holding the scope. */
export function hasScope(actor: Actor, scope: ClientScope): boolean {
  return actor.kind === 'client' && (actor.scopes ?? []).includes(scope);
}
