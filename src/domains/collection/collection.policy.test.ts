import { describe, expect, it } from 'vitest';
import { type Actor, ROLES, type Role } from '../../platform/actor.js';
import { canReadOwn, canRevealIdentifier, canWrite } from './collection.policy.js';

const OWN = '00000000-0000-7000-8000-000000000001';
const OTHER = '00000000-0000-7000-8000-000000000002';
const person = (role: Role, departmentId = OWN): Actor => ({ kind: 'user', id: 'u', name: 'u', departmentId, roles: [role] });

describe('who may send and read records', () => {
  for (const role of ROLES) {
    const provider = role === 'dept_admin' || role === 'catalog_editor';
    it(`${provider ? 'lets' : 'does not let'} a ${role} of the providing department write and read`, () => {
      expect(canWrite(person(role), OWN)).toBe(provider);
      expect(canReadOwn(person(role), OWN)).toBe(provider);
    });
    it(`does not let a ${role} of another department write or read`, () => {
      expect(canWrite(person(role, OTHER), OWN)).toBe(false);
      expect(canReadOwn(person(role, OTHER), OWN)).toBe(false);
    });
  }
  it('does not let the system or an anonymous caller write', () => {
    expect(canWrite({ kind: 'system', id: null, name: 'system', departmentId: OWN, roles: ['dept_admin'] }, OWN)).toBe(false);
    expect(canWrite({ kind: 'anonymous', id: null, name: 'anonymous', departmentId: null, roles: [] }, OWN)).toBe(false);
  });
});

describe('who may reveal a full identifier', () => {
  for (const role of ROLES) {
    const entitled = role === 'dept_admin';
    it(`${entitled ? 'lets' : 'does not let'} a ${role} of the providing department reveal one`, () => {
      expect(canRevealIdentifier(person(role), OWN)).toBe(entitled);
    });
    it(`does not let a ${role} of another department reveal one`, () => {
      expect(canRevealIdentifier(person(role, OTHER), OWN)).toBe(false);
    });
  }
  it('does not let an API client reveal one, whatever its scopes', () => {
    expect(canRevealIdentifier({ kind: 'client', id: 'c', name: 'c', departmentId: OWN, roles: [], scopes: ['collection:write'] }, OWN)).toBe(false);
  });
});
