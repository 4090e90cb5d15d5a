import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { inTransaction } from '../../platform/db/index.js';
import type { AppContext } from '../../platform/http/index.js';
import { notify } from '../../platform/notifications/index.js';
import { partyRecipient } from './disputes.notices.js';
import * as repo from './disputes.repo.js';
import { isOverdue, stepWords } from './disputes.present.js';
import { awaitingParty } from './disputes.states.js';

/** How many overdue disputes one sweep raises at most; the next sweep takes the rest. */
const SWEEP_BATCH = 500;

/**
 * Raises each dispute whose current step has passed its due date, once per step: a notification
 * to the party who must act and an audit entry, in one transaction with the row's
 * `overdue_notified_at` (which every step clears). Idempotent: a second sweep finds it set and
 * does nothing; a row another process holds is skipped. Returns how many it raised.
 */
export async function sweepOverdueDisputes(app: AppContext, now: Date): Promise<number> {
  const db = app.database.db;
  const ids = await repo.listOverdueUnnotified(db, todayInShanghai(now), SWEEP_BATCH);
  let raised = 0;
  for (const id of ids) {
    const isNew = await inTransaction(db, async (tx) => {
      const d = await repo.lockForSweep(tx, id);
      if (!d || d.overdue_notified_at !== null || !isOverdue(d, now)) return false;
      const party = awaitingParty(d.kind, d.status);
      if (!party) return false;
      await repo.updateDispute(tx, id, { overdue_notified_at: now });
      const to = await partyRecipient(tx, party, d);
      const words = stepWords(d.kind, d.status);
      if (to) {
        await notify(tx, {
          departmentId: to.departmentId,
          role: to.role,
          kind: 'dispute.overdue',
          title: `异议 ${d.no}（${d.dataset_name}）已逾期：${words.zh}，应于 ${d.due_on} 前办理 Dispute ${d.no} is overdue: ${words.en}, due ${d.due_on}`,
          link: `/disputes/${id}`,
          at: now,
        });
      }
      await record(tx, {
        actor: SYSTEM_ACTOR,
        action: 'dispute.overdue',
        targetType: 'dispute',
        targetId: id,
        requestId: null,
        at: now,
        details: { no: d.no, kind: d.kind, status: d.status, party, dueOn: d.due_on, notifiedDepartmentId: to?.departmentId ?? null },
      });
      return true;
    });
    if (isNew) raised++;
  }
  return raised;
}
