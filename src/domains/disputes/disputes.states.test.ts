import { describe, expect, it } from 'vitest';
import { loadPolicy } from '../../platform/policy.js';
import { DISPUTE_ACTIONS, DISPUTE_KINDS, DISPUTE_STATUSES } from './disputes.schema.js';
import { awaitingParty, deadlineDays, findTransition, statusesOf, type Transition, transitionsFrom, WORKFLOWS } from './disputes.states.js';

describe('dispute workflows', () => {
  it('takes a department dispute through the platform’s check to a technical correction or to the responsible department', () => {
    expect(statusesOf('department_dispute')).toEqual(['submitted', 'technical', 'transferred', 'resolved']);
    expect(findTransition('department_dispute', 'submitted', 'find_technical')).toMatchObject({ to: 'technical', by: 'platform' });
    expect(findTransition('department_dispute', 'submitted', 'transfer')).toMatchObject({ to: 'transferred', by: 'platform' });
    expect(findTransition('department_dispute', 'technical', 'resolve')).toMatchObject({ to: 'resolved', by: 'platform' });
    expect(findTransition('department_dispute', 'transferred', 'resolve')).toMatchObject({ to: 'resolved', by: 'department' });
  });

  it('takes a public objection through marking to the authority’s decision or the department’s verification', () => {
    expect(statusesOf('public_objection')).toEqual(['submitted', 'marked', 'resolved', 'transferred']);
    expect(findTransition('public_objection', 'submitted', 'mark')).toMatchObject({ to: 'marked', by: 'platform' });
    expect(findTransition('public_objection', 'marked', 'resolve')).toMatchObject({ to: 'resolved', by: 'platform' });
    expect(findTransition('public_objection', 'marked', 'transfer')).toMatchObject({ to: 'transferred', by: 'platform' });
    expect(findTransition('public_objection', 'transferred', 'resolve')).toMatchObject({ to: 'resolved', by: 'department' });
  });

  it('refuses every step the tables do not list', () => {
    expect(findTransition('department_dispute', 'submitted', 'resolve')).toBeUndefined();
    expect(findTransition('department_dispute', 'submitted', 'mark')).toBeUndefined();
    expect(findTransition('department_dispute', 'technical', 'transfer')).toBeUndefined();
    expect(findTransition('department_dispute', 'transferred', 'transfer')).toBeUndefined();
    expect(findTransition('public_objection', 'submitted', 'transfer')).toBeUndefined();
    expect(findTransition('public_objection', 'submitted', 'resolve')).toBeUndefined();
    expect(findTransition('public_objection', 'marked', 'mark')).toBeUndefined();
    expect(findTransition('public_objection', 'submitted', 'find_technical')).toBeUndefined();
    for (const kind of DISPUTE_KINDS) {
      for (const action of DISPUTE_ACTIONS) expect(findTransition(kind, 'resolved', action)).toBeUndefined();
    }
  });

  it('has one party awaited per open status, and none once resolved', () => {
    for (const kind of DISPUTE_KINDS) {
      for (const status of statusesOf(kind)) {
        const parties = new Set(transitionsFrom(kind, status).map((t) => t.by));
        expect(parties.size, `${kind} ${status}`).toBe(status === 'resolved' ? 0 : 1);
      }
      expect(awaitingParty(kind, 'resolved')).toBeNull();
      expect(awaitingParty(kind, 'submitted')).toBe('platform');
      expect(awaitingParty(kind, 'transferred')).toBe('department');
    }
  });

  it('gives every step that leaves a dispute open a deadline, and resolving none', () => {
    for (const kind of DISPUTE_KINDS) {
      for (const t of WORKFLOWS[kind].transitions as readonly Transition[]) {
        expect(t.deadline === null, `${kind} ${t.action}`).toBe(t.to === 'resolved');
        expect(DISPUTE_STATUSES).toContain(t.to);
      }
    }
  });

  it('reads every deadline from the policy preset: 3/3/3 for disputes, 1/2/5 for objections by default', () => {
    const p = loadPolicy('huizhou');
    const days = (kind: 'department_dispute' | 'public_objection', action: string) => {
      const t = (WORKFLOWS[kind].transitions as readonly Transition[]).find((x) => x.action === action);
      return t?.deadline ? deadlineDays(p, t.deadline) : null;
    };
    expect(deadlineDays(p, WORKFLOWS.department_dispute.start.deadline)).toBe(p.dataDispute.checkDays);
    expect(days('department_dispute', 'find_technical')).toBe(p.dataDispute.technicalCorrectDays);
    expect(days('department_dispute', 'transfer')).toBe(p.dataDispute.departmentCorrectDays);
    expect(deadlineDays(p, WORKFLOWS.public_objection.start.deadline)).toBe(p.publicObjection.markDays);
    expect(days('public_objection', 'mark')).toBe(p.publicObjection.decideOrTransferDays);
    expect(days('public_objection', 'transfer')).toBe(p.publicObjection.departmentVerifyDays);
    expect([p.publicObjection.markDays, p.publicObjection.decideOrTransferDays, p.publicObjection.departmentVerifyDays]).toEqual([1, 2, 5]);
    // Marking and deciding count from the day of receipt (001-data §33: 收到异议材料之日起); the others from their step.
    expect(WORKFLOWS.public_objection.transitions.find((t) => t.action === 'mark')?.deadline?.from).toBe('receipt');
    expect(WORKFLOWS.department_dispute.transitions.find((t) => t.action === 'transfer')?.deadline?.from).toBe('step');
  });
});
