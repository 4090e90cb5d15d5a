import { describe, expect, it } from 'vitest';
import { type Actor, ROLES, type Role } from '../../platform/actor.js';
import { canListAllClients, canManageClientsOf } from './clients.policy.js';

const OWN = '00000000-0000-7000-8000-000000000001';
const OTHER = '00000000-0000-7000-8000-000000000002';
const person = (role: Role, departmentId = OWN): Actor => ({ kind: 'user', id: 'u', name: 'u', departmentId, roles: [role] });

describe('who may manage API clients', () => {
  for (const role of ROLES) {
    const own = role === 'dept_admin' || role === 'platform_admin';
    it(`${own ? 'lets' : 'does not let'} a ${role} manage the own department’s clients`, () => {
      expect(canManageClientsOf(person(role), OWN)).toBe(own);
    });
    it(`${role === 'platform_admin' ? 'lets' : 'does not let'} a ${role} manage another department’s clients`, () => {
      expect(canManageClientsOf(person(role, OTHER), OWN)).toBe(role === 'platform_admin');
      expect(canListAllClients(person(role, OTHER))).toBe(role === 'platform_admin');
    });
  }
  it('lets the command line (a system actor with the platform administrator role) manage any department’s clients, but not the bare system actor', () => {
    const cli: Actor = { kind: 'system', id: null, name: 'cli', departmentId: null, roles: ['platform_admin'] };
    expect(canManageClientsOf(cli, OWN)).toBe(true);
    expect(canManageClientsOf({ ...cli, roles: [] }, OWN)).toBe(false);
    expect(canManageClientsOf({ kind: 'anonymous', id: null, name: 'anonymous', departmentId: OWN, roles: ['platform_admin'] }, OWN)).toBe(false);
  });
  it('does not let an API client manage clients, even of its own department', () => {
    const client: Actor = { kind: 'client', id: 'c', name: 'client:c', departmentId: OWN, roles: ['dept_admin'], scopes: ['collection:write'] };
    expect(canManageClientsOf(client, OWN)).toBe(false);
    expect(canListAllClients({ ...client, roles: ['platform_admin'] })).toBe(false);
  });
});
