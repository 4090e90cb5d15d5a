import { describe, expect, it } from 'vitest';
import { ROLES } from '../../platform/actor.js';
import { ENTRY_STATUSES, type EntryStatus } from './catalog.schema.js';
import { EDITABLE_STATUSES, ENTRY_TRANSITIONS, type EntryAction, findTransition } from './catalog.states.js';

const ACTIONS: readonly EntryAction[] = ['submit', 'approve', 'return', 'publish'];

/** The workflow the regulations describe, written out independently of the table under test. */
const EXPECTED: readonly { from: EntryStatus; action: EntryAction; to: EntryStatus; roles: string[]; sameDepartment: boolean }[] = [
  { from: 'draft', action: 'submit', to: 'submitted', roles: ['catalog_editor'], sameDepartment: true },
  { from: 'returned', action: 'submit', to: 'submitted', roles: ['catalog_editor'], sameDepartment: true },
  { from: 'submitted', action: 'approve', to: 'approved', roles: ['catalog_reviewer'], sameDepartment: true },
  { from: 'submitted', action: 'return', to: 'returned', roles: ['catalog_reviewer'], sameDepartment: true },
  { from: 'approved', action: 'publish', to: 'published', roles: ['authority'], sameDepartment: false },
  { from: 'approved', action: 'return', to: 'returned', roles: ['authority'], sameDepartment: false },
];

const FORBIDDEN = ENTRY_STATUSES.flatMap((from) => ACTIONS.map((action) => ({ from, action }))).filter(
  ({ from, action }) => !EXPECTED.some((e) => e.from === from && e.action === action),
);

describe('catalog workflow table', () => {
  it.each(EXPECTED)('allows $action from $from to $to for $roles', (e) => {
    const t = findTransition(e.from, e.action);
    expect(t).toBeDefined();
    expect(t?.to).toBe(e.to);
    expect([...(t?.roles ?? [])].sort()).toEqual([...e.roles].sort());
    expect(t?.sameDepartment).toBe(e.sameDepartment);
  });

  it('holds exactly the transitions of the workflow and no others', () => {
    expect(ENTRY_TRANSITIONS).toHaveLength(EXPECTED.length);
  });

  it.each(FORBIDDEN)('refuses to $action a version that is $from', ({ from, action }) => {
    expect(findTransition(from, action)).toBeUndefined();
  });

  it('has no two transitions for the same status and action', () => {
    const keys = ENTRY_TRANSITIONS.map((t) => `${t.from}:${t.action}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names only known statuses and roles', () => {
    for (const t of ENTRY_TRANSITIONS) {
      expect(ENTRY_STATUSES).toContain(t.from);
      expect(ENTRY_STATUSES).toContain(t.to);
      for (const r of t.roles) expect(ROLES).toContain(r);
      expect(t.roles.length).toBeGreaterThan(0);
    }
  });

  it('leaves published and superseded versions with no way out, so a published entry changes only by a new version', () => {
    expect(ENTRY_TRANSITIONS.filter((t) => t.from === 'published' || t.from === 'superseded')).toEqual([]);
  });

  it('never leads back into draft or into superseded (a new version and a later publication do that)', () => {
    expect(ENTRY_TRANSITIONS.filter((t) => t.to === 'draft' || t.to === 'superseded')).toEqual([]);
  });

  it('never lets an editor approve or publish', () => {
    for (const t of ENTRY_TRANSITIONS.filter((x) => x.action === 'approve' || x.action === 'publish')) {
      expect(t.roles).not.toContain('catalog_editor');
    }
  });

  it('lets only the authority publish', () => {
    const publishers = new Set(ENTRY_TRANSITIONS.filter((t) => t.action === 'publish').flatMap((t) => t.roles));
    expect([...publishers]).toEqual(['authority']);
  });

  it("keeps the department's own steps inside the department and the authority's steps city-wide", () => {
    for (const t of ENTRY_TRANSITIONS) {
      const departmental = t.roles.every((r) => r === 'catalog_editor' || r === 'catalog_reviewer');
      expect(t.sameDepartment).toBe(departmental);
    }
  });

  it('reaches publication from a draft by submit, approve and publish', () => {
    let status: EntryStatus = 'draft';
    for (const action of ['submit', 'approve', 'publish'] as const) {
      const t = findTransition(status, action);
      expect(t).toBeDefined();
      status = (t as NonNullable<typeof t>).to;
    }
    expect(status).toBe('published');
  });

  it('lets every returned version go back into review', () => {
    for (const t of ENTRY_TRANSITIONS.filter((x) => x.action === 'return')) {
      expect(t.to).toBe('returned');
      expect(findTransition(t.to, 'submit')?.to).toBe('submitted');
    }
  });

  it('lets the editor change content only in draft and returned versions', () => {
    expect([...EDITABLE_STATUSES].sort()).toEqual(['draft', 'returned']);
    for (const s of EDITABLE_STATUSES) expect(findTransition(s, 'submit')).toBeDefined();
  });
});
