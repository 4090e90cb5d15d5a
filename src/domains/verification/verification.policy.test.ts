import { describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../platform/actor.js';
import { canAnswer, canReport, canSee } from './verification.policy.js';
import { canMove } from './verification.states.js';

const REPORTER = '01900000-0000-7000-8000-00000000000a';
const RESPONSIBLE = '01900000-0000-7000-8000-00000000000b';
const OTHER = '01900000-0000-7000-8000-00000000000c';
const report = { reporter_department_id: REPORTER, responsible_department_id: RESPONSIBLE };
const person = (departmentId: string, ...roles: Role[]): Actor => ({ kind: 'user', id: 'u', name: 'u', departmentId, roles });

describe('verification policy', () => {
  it('lets a department administrator or editor report, and nobody else', () => {
    expect(canReport(person(REPORTER, 'dept_admin'))).toBe(true);
    expect(canReport(person(REPORTER, 'catalog_editor'))).toBe(true);
    expect(canReport(person(REPORTER, 'catalog_reviewer'))).toBe(false);
    expect(canReport({ kind: 'client', id: 'c', name: 'c', departmentId: REPORTER, roles: [], scopes: ['collection:write'] })).toBe(false);
  });

  it('shows a report to both parties only', () => {
    expect(canSee(person(REPORTER, 'catalog_reviewer'), report)).toBe(true);
    expect(canSee(person(RESPONSIBLE, 'catalog_reviewer'), report)).toBe(true);
    expect(canSee(person(OTHER, 'dept_admin', 'authority'), report)).toBe(false);
  });

  it('lets only the responsible department’s administrator or editor answer', () => {
    expect(canAnswer(person(RESPONSIBLE, 'dept_admin'), report)).toBe(true);
    expect(canAnswer(person(RESPONSIBLE, 'catalog_editor'), report)).toBe(true);
    expect(canAnswer(person(RESPONSIBLE, 'catalog_reviewer'), report)).toBe(false);
    expect(canAnswer(person(REPORTER, 'dept_admin'), report)).toBe(false);
  });

  it('answers an open report once', () => {
    expect(canMove('open', 'answered')).toBe(true);
    expect(canMove('answered', 'answered')).toBe(false);
  });
});
