import { describe, expect, it } from 'vitest';
import type { Me, Role } from '../api/auth';
import { can, canDisputeEntry } from './permissions';

const me = (roles: Role[], departmentId = 'psb'): Me => ({ id: 'u1', username: 'u', displayName: 'U', departmentId, departmentName: 'D', roles });
const civilEntry = { departmentId: 'civil', publishedVersion: 1 };

describe('dispute permissions', () => {
  it("lets a department's administrator, editor or sharing officer dispute another department's published entry", () => {
    for (const role of ['dept_admin', 'catalog_editor', 'sharing_officer'] as const) {
      expect(canDisputeEntry(me([role]), civilEntry), role).toBe(true);
    }
  });

  it('does not offer a dispute of an own, an unpublished entry, or to roles that do not file', () => {
    expect(canDisputeEntry(me(['dept_admin'], 'civil'), civilEntry)).toBe(false);
    expect(canDisputeEntry(me(['dept_admin']), { departmentId: 'civil', publishedVersion: null })).toBe(false);
    for (const role of ['authority', 'platform_admin', 'catalog_reviewer', 'supervisor'] as const) {
      expect(canDisputeEntry(me([role]), civilEntry), role).toBe(false);
    }
  });

  it("leaves a person's objection to the authority's staff and platform administrators", () => {
    expect(can(me(['authority']), 'filePublicObjection')).toBe(true);
    expect(can(me(['platform_admin']), 'filePublicObjection')).toBe(true);
    expect(can(me(['dept_admin']), 'filePublicObjection')).toBe(false);
  });

  it('shows the dispute list to every role that files or handles disputes, and to nobody else', () => {
    const shown = (['platform_admin', 'authority', 'dept_admin', 'catalog_editor', 'catalog_reviewer', 'sharing_officer', 'supervisor'] as const).filter((r) =>
      can(me([r]), 'disputes'),
    );
    expect(shown).toEqual(['platform_admin', 'authority', 'dept_admin', 'catalog_editor', 'sharing_officer']);
  });
});
