import type { Role } from '../../platform/actor.js';
import type { EntryStatus } from './catalog.schema.js';

/** What can be done to a version. */
export type EntryAction = 'submit' | 'approve' | 'return' | 'publish';

/** One allowed move: from which status, by which roles, to which status. */
export type EntryTransition = { from: EntryStatus; action: EntryAction; to: EntryStatus; roles: readonly Role[]; sameDepartment: boolean };

/**
 * The catalog workflow as data (000-exchange §7, 001-data §14): the department's editor
 * submits, its reviewer approves or returns, the authority publishes or returns.
 */
export const ENTRY_TRANSITIONS: readonly EntryTransition[] = [
  { from: 'draft', action: 'submit', to: 'submitted', roles: ['catalog_editor'], sameDepartment: true },
  { from: 'returned', action: 'submit', to: 'submitted', roles: ['catalog_editor'], sameDepartment: true },
  { from: 'submitted', action: 'approve', to: 'approved', roles: ['catalog_reviewer'], sameDepartment: true },
  { from: 'submitted', action: 'return', to: 'returned', roles: ['catalog_reviewer'], sameDepartment: true },
  { from: 'approved', action: 'publish', to: 'published', roles: ['authority'], sameDepartment: false },
  { from: 'approved', action: 'return', to: 'returned', roles: ['authority'], sameDepartment: false },
];

/** The transition for an action from a status, if the table has one. */
export function findTransition(from: EntryStatus, action: EntryAction): EntryTransition | undefined {
  return ENTRY_TRANSITIONS.find((t) => t.from === from && t.action === action);
}

/** Statuses in which the editor may still change the content. */
export const EDITABLE_STATUSES: readonly EntryStatus[] = ['draft', 'returned'];
