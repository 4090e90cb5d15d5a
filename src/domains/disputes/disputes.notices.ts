import type { Actor, Role } from '../../platform/actor.js';
import type { Executor } from '../../platform/db/index.js';
import { notify } from '../../platform/notifications/index.js';
import * as repo from './disputes.repo.js';
import type { DisputeKind, DisputeStatus } from './disputes.schema.js';
import type { Party } from './disputes.states.js';

/** Who a notification goes to: a department, optionally only the holders of one role there. */
type Recipient = { departmentId: string; role: Role | null };

type DisputeRef = { id: string; kind: DisputeKind; status: DisputeStatus; requester_department_id: string; responsible_department_id: string };

/** The in-app address of a party: the authority department's authority role for the platform, the responsible department otherwise. */
export async function partyRecipient(db: Executor, party: Party, d: DisputeRef): Promise<Recipient | undefined> {
  if (party === 'department') return { departmentId: d.responsible_department_id, role: null };
  const authority = await repo.findAuthorityDepartmentId(db);
  return authority ? { departmentId: authority, role: 'authority' } : undefined;
}

/** True when a notification to `r` would reach the actor themself. */
function reachesActor(r: Recipient, actor: Actor): boolean {
  return r.departmentId === actor.departmentId && (r.role === null || actor.roles.includes(r.role));
}

/**
 * Notifies the parties of a dispute other than the one who acted: the given parties (by role in
 * the dispute: the requester, the platform, the responsible department), each department once
 * (a notification to the whole department covers its role holders).
 */
export async function notifyParties(
  db: Executor,
  d: DisputeRef,
  opts: { actor: Actor; to: readonly ('requester' | Party)[]; kind: string; title: string; at: Date },
): Promise<void> {
  const byDepartment = new Map<string, Role | null>();
  for (const who of opts.to) {
    const r = who === 'requester' ? { departmentId: d.requester_department_id, role: null } : await partyRecipient(db, who, d);
    if (!r) continue;
    const before = byDepartment.get(r.departmentId);
    byDepartment.set(r.departmentId, before === undefined ? r.role : before === r.role ? r.role : null);
  }
  for (const [departmentId, role] of byDepartment) {
    if (reachesActor({ departmentId, role }, opts.actor)) continue;
    await notify(db, { departmentId, role, kind: opts.kind, title: opts.title, link: `/disputes/${d.id}`, at: opts.at });
  }
}
