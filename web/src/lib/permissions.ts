import type { Me, Role } from '../api/auth';
import type { Entry } from '../api/catalog';

/** Whether the user holds any of the roles. */
export function hasRole(me: Me | undefined, ...roles: Role[]): boolean {
  return Boolean(me?.roles.some((role) => roles.includes(role)));
}

/** Whether the entry belongs to the user's department. */
export function isOwnEntry(me: Me, entry: Pick<Entry, 'departmentId'>): boolean {
  return entry.departmentId === me.departmentId;
}

/** Editors of the owning department change drafts and returned versions. */
export function canEditEntry(me: Me, entry: Entry): boolean {
  return hasRole(me, 'catalog_editor') && isOwnEntry(me, entry) && ['draft', 'returned'].includes(entry.status);
}

/** Editors submit their department's drafts for review. */
export function canSubmitEntry(me: Me, entry: Entry): boolean {
  return canEditEntry(me, entry);
}

/** The department's reviewer approves a submitted entry. */
export function canApproveEntry(me: Me, entry: Entry): boolean {
  return hasRole(me, 'catalog_reviewer') && isOwnEntry(me, entry) && entry.status === 'submitted';
}

/** The authority publishes an approved entry. */
export function canPublishEntry(me: Me, entry: Entry): boolean {
  return hasRole(me, 'authority') && entry.status === 'approved';
}

/** Whoever may approve or publish may also send the entry back. */
export function canReturnEntry(me: Me, entry: Entry): boolean {
  return canApproveEntry(me, entry) || canPublishEntry(me, entry);
}

/** Editors start a new version from the published one. */
export function canStartNewVersion(me: Me, entry: Entry): boolean {
  return hasRole(me, 'catalog_editor') && isOwnEntry(me, entry) && entry.status === 'published';
}

/** Menu and route visibility per area. */
export const ACCESS = {
  myEntries: ['catalog_editor', 'catalog_reviewer', 'dept_admin', 'authority'],
  reviewQueue: ['catalog_reviewer', 'authority'],
  createEntry: ['catalog_editor'],
  importCatalog: ['catalog_editor'],
  createSnapshot: ['authority'],
  claimBasicItem: ['catalog_editor', 'dept_admin'],
  completeFullReview: ['catalog_editor', 'dept_admin'],
  reassignBasicItem: ['authority'],
  users: ['platform_admin', 'dept_admin'],
  manageDepartments: ['platform_admin'],
  editCalendar: ['platform_admin'],
  audit: ['supervisor', 'platform_admin', 'authority'],
  // Collection (归集): providers of the own department, the authority's overview, API clients.
  collection: ['dept_admin', 'catalog_editor'],
  collectionOverview: ['authority', 'platform_admin', 'supervisor'],
  apiClients: ['platform_admin', 'dept_admin'],
  // 多源校核: a department's administrator or editor reports differences and answers reports.
  verification: ['dept_admin', 'catalog_editor'],
  // 数据共享: a department's sharing officer or administrator applies, answers, accepts agreements;
  // the authority coordinates escalations; overseers read the access log of the query API.
  sharing: ['sharing_officer', 'dept_admin'],
  sharingAuthority: ['authority'],
  accessLog: ['supervisor', 'platform_admin', 'authority'],
  // 数据异议: a department's administrator, editor or sharing officer disputes another department's
  // data (D1) and corrects its own; the authority checks, marks, transfers and decides; the
  // authority's staff and platform administrators take a person's objection (D2).
  disputes: ['dept_admin', 'catalog_editor', 'sharing_officer', 'authority', 'platform_admin'],
  fileDispute: ['dept_admin', 'catalog_editor', 'sharing_officer'],
  filePublicObjection: ['authority', 'platform_admin'],
} as const satisfies Record<string, readonly Role[]>;

/** Whether the user may use an area (see ACCESS). */
export function can(me: Me | undefined, area: keyof typeof ACCESS): boolean {
  return hasRole(me, ...ACCESS[area]);
}

/** Department admins of the department itself and platform admins change contacts. */
export function canEditContacts(me: Me, departmentId: string): boolean {
  return hasRole(me, 'platform_admin') || (hasRole(me, 'dept_admin') && me.departmentId === departmentId);
}

/** A department's sharing officer or administrator applies for another department's published entry. */
export function canApplyForEntry(me: Me, entry: Pick<Entry, 'departmentId' | 'publishedVersion'>): boolean {
  return can(me, 'sharing') && entry.publishedVersion !== null && !isOwnEntry(me, entry);
}

/** Own-department list keepers and the authority edit the three lists. */
export function canEditLists(me: Me, departmentId: string): boolean {
  if (hasRole(me, 'authority')) return true;
  return hasRole(me, 'dept_admin', 'catalog_editor') && me.departmentId === departmentId;
}

/** A department's administrator, editor or sharing officer disputes another department's published entry. */
export function canDisputeEntry(me: Me, entry: Pick<Entry, 'departmentId' | 'publishedVersion'>): boolean {
  return can(me, 'fileDispute') && entry.publishedVersion !== null && !isOwnEntry(me, entry);
}
