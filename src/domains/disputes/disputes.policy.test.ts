import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/actor.js';
import { actsAs, allowedActions, canFile, canSee, DISPUTE_ROLES } from './disputes.policy.js';
import type { DisputeKind, DisputeStatus } from './disputes.schema.js';

const REQUESTER = '01900000-0000-7000-8000-00000000000a';
const RESPONSIBLE = '01900000-0000-7000-8000-00000000000b';
const OTHER = '01900000-0000-7000-8000-00000000000c';
const AUTHORITY = '01900000-0000-7000-8000-00000000000d';
const dispute = (status: DisputeStatus, kind: DisputeKind = 'department_dispute') => ({ kind, status, requester_department_id: REQUESTER, responsible_department_id: RESPONSIBLE });
const person = (departmentId: string, ...roles: Role[]): Actor => ({ kind: 'user', id: 'u', name: 'u', departmentId, roles });

describe('dispute policy', () => {
  it('lets any department’s administrator, editor or sharing officer file a dispute, and nobody else', () => {
    expect(canFile(person(REQUESTER, 'dept_admin'), 'department_dispute')).toBe(true);
    expect(canFile(person(REQUESTER, 'catalog_editor'), 'department_dispute')).toBe(true);
    expect(canFile(person(REQUESTER, 'sharing_officer'), 'department_dispute')).toBe(true);
    expect(canFile(person(REQUESTER, 'catalog_reviewer'), 'department_dispute')).toBe(false);
    expect(canFile(person(REQUESTER, 'supervisor'), 'department_dispute')).toBe(false);
    expect(canFile({ kind: 'client', id: 'c', name: 'c', departmentId: REQUESTER, roles: [], scopes: ['collection:write'] }, 'department_dispute')).toBe(false);
  });

  it('lets only the authority’s or the platform’s staff take a person’s objection', () => {
    expect(canFile(person(AUTHORITY, 'authority'), 'public_objection')).toBe(true);
    expect(canFile(person(AUTHORITY, 'platform_admin'), 'public_objection')).toBe(true);
    expect(canFile(person(REQUESTER, 'dept_admin'), 'public_objection')).toBe(false);
    expect(canFile(person(REQUESTER, 'catalog_editor'), 'public_objection')).toBe(false);
  });

  it('shows a dispute to both departments and the platform, and to no other department', () => {
    expect(canSee(person(REQUESTER, 'catalog_reviewer'), dispute('submitted'))).toBe(true);
    expect(canSee(person(RESPONSIBLE, 'catalog_reviewer'), dispute('submitted'))).toBe(true);
    expect(canSee(person(AUTHORITY, 'authority'), dispute('submitted'))).toBe(true);
    expect(canSee(person(OTHER, 'dept_admin', 'catalog_editor', 'supervisor', 'platform_admin'), dispute('submitted'))).toBe(false);
  });

  it('gives the platform the check, technical correction, marking, deciding and transfer; the responsible department its correction', () => {
    const platform = person(AUTHORITY, 'authority');
    const owner = person(RESPONSIBLE, 'dept_admin');
    expect(allowedActions(platform, dispute('submitted'))).toEqual(['find_technical', 'transfer']);
    expect(allowedActions(platform, dispute('technical'))).toEqual(['resolve']);
    expect(allowedActions(platform, dispute('transferred'))).toEqual([]);
    expect(allowedActions(owner, dispute('submitted'))).toEqual([]);
    expect(allowedActions(owner, dispute('transferred'))).toEqual(['resolve']);
    expect(allowedActions(platform, dispute('submitted', 'public_objection'))).toEqual(['mark']);
    expect(allowedActions(platform, dispute('marked', 'public_objection'))).toEqual(['resolve', 'transfer']);
    expect(allowedActions(owner, dispute('transferred', 'public_objection'))).toEqual(['resolve']);
    for (const status of ['submitted', 'technical', 'transferred', 'resolved'] as const) {
      expect(allowedActions(person(REQUESTER, 'dept_admin'), dispute(status))).toEqual([]);
      expect(allowedActions(person(RESPONSIBLE, 'catalog_reviewer'), dispute(status))).toEqual([]);
      expect(allowedActions(platform, dispute('resolved'))).toEqual([]);
    }
  });

  it('lets only the responsible department’s acting roles act for it', () => {
    expect(actsAs(person(RESPONSIBLE, 'sharing_officer'), 'department', dispute('transferred'))).toBe(true);
    expect(actsAs(person(REQUESTER, 'dept_admin'), 'department', dispute('transferred'))).toBe(false);
    expect(actsAs(person(RESPONSIBLE, 'platform_admin'), 'platform', dispute('submitted'))).toBe(false);
  });

  it('admits to the changing routes exactly the roles that act somewhere', () => {
    expect([...DISPUTE_ROLES].sort()).toEqual(['authority', 'catalog_editor', 'dept_admin', 'platform_admin', 'sharing_officer']);
  });
});
