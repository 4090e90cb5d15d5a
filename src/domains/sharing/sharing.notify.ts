import type { Executor } from '../../platform/db/index.js';
import { emailDepartmentContact, notify } from '../../platform/notifications/index.js';

/**
 * Tells a department about a step: in-app to its sharing officers, and by email to the sharing
 * officer on its published contact list (queued in the same transaction; none when it has none).
 */
export async function tell(tx: Executor, departmentId: string, n: { kind: string; title: string; link: string; at: Date; role?: 'sharing_officer' | null }): Promise<void> {
  await notify(tx, { departmentId, role: n.role === undefined ? 'sharing_officer' : n.role, kind: n.kind, title: n.title, link: n.link, at: n.at });
  await emailDepartmentContact(tx, { departmentId, contactRole: 'sharing_officer', subject: n.title, text: n.title, kind: n.kind, link: n.link, at: n.at });
}

