import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestPlatform, type TestPlatform } from '../../../test/harness.js';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform();
});
afterAll(async () => {
  await t.close();
});

describe('sign-in', () => {
  it('signs a demo user in and tells who they are', async () => {
    const cookie = await t.login('editor');
    const me = await t.call({ method: 'GET', url: '/api/v1/auth/me', cookie });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'editor', roles: ['catalog_editor'], departmentName: DEMO.civil });
  });

  it('sets an HttpOnly SameSite session cookie', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username: 'reviewer', password: 'Huitong@2026' } });
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Strict/);
  });

  it('refuses a wrong password with a problem+json body and audits it', async () => {
    const res = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username: 'supervisor', password: 'wrong-password-1' } });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().code).toBe('AUTH_INVALID_CREDENTIALS');
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.login_failed').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    const dept = await t.departmentId(DEMO.civil);
    const username = await t.makeUser({ roles: ['catalog_editor'], departmentId: dept });
    for (let i = 0; i < 4; i++) {
      const r = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password: 'nope-nope-1' } });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password: 'nope-nope-1' } });
    expect(fifth.statusCode).toBe(423);
    const right = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password: 'Huitong@2026' } });
    expect(right.statusCode).toBe(423);
    t.clock.advance(16 * 60_000);
    const later = await t.call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password: 'Huitong@2026' } });
    expect(later.statusCode).toBe(200);
  });

  it('logs out so the cookie no longer works', async () => {
    const cookie = await t.login('deptadmin');
    expect((await t.call({ method: 'POST', url: '/api/v1/auth/logout', cookie })).statusCode).toBe(204);
    expect((await t.call({ method: 'GET', url: '/api/v1/auth/me', cookie })).statusCode).toBe(401);
  });

  it('changes a password after checking the current one', async () => {
    const dept = await t.departmentId(DEMO.civil);
    const username = await t.makeUser({ roles: ['catalog_editor'], departmentId: dept });
    const cookie = await t.login(username);
    const wrong = await t.call({ method: 'POST', url: '/api/v1/auth/password', cookie, body: { currentPassword: 'bad', newPassword: 'NewPassword2026' } });
    expect(wrong.statusCode).toBe(422);
    const weak = await t.call({ method: 'POST', url: '/api/v1/auth/password', cookie, body: { currentPassword: 'Huitong@2026', newPassword: 'short' } });
    expect(weak.json().code).toBe('AUTH_WEAK_PASSWORD');
    const ok = await t.call({ method: 'POST', url: '/api/v1/auth/password', cookie, body: { currentPassword: 'Huitong@2026', newPassword: 'NewPassword2026' } });
    expect(ok.statusCode).toBe(204);
    await expect(t.login(username, 'NewPassword2026')).resolves.toMatch(/ht_session=/);
  });
});

describe('departments and contacts', () => {
  it('refuses a department whose credit code fails the check character, naming the field', async () => {
    const cookie = await t.login('admin');
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/departments',
      cookie,
      body: { name: '惠州市测试局', uscc: '91350100M000100Y44', regionCode: '441300', kind: 'government' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'ORGS_INVALID_USCC', errors: [{ field: 'uscc', rule: 'check_char' }] });
  });

  it('registers a department with a valid code', async () => {
    const cookie = await t.login('admin');
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/departments',
      cookie,
      body: { name: '惠州市测试二局', uscc: '91350100M000100Y43', regionCode: '441300', kind: 'government' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '惠州市测试二局', uscc: '91350100M000100Y43' });
  });

  it('does not let a department admin register departments', async () => {
    const cookie = await t.login('deptadmin');
    const res = await t.call({ method: 'POST', url: '/api/v1/departments', cookie, body: { name: 'x', uscc: 'x', regionCode: '441300', kind: 'government' } });
    expect(res.statusCode).toBe(403);
  });

  it('flags a contact change reported more than 5 working days after it took effect', async () => {
    const cookie = await t.login('deptadmin');
    const civil = await t.departmentId(DEMO.civil);
    // 2026-11-23 is a Monday: 11-13 (Fri) lies 6 working days back, 11-16 (Mon) 5.
    const late = await t.call({ method: 'PUT', url: `/api/v1/departments/${civil}/contacts/technical_officer`, cookie, body: { name: '周杰', phone: '0752-2280001', email: 'zhoujie@mz.hz.gov.cn', effectiveOn: '2026-11-13' } });
    expect(late.statusCode).toBe(200);
    expect(late.json().isLate).toBe(true);
    const onTime = await t.call({ method: 'PUT', url: `/api/v1/departments/${civil}/contacts/technical_officer`, cookie, body: { name: '周杰', phone: '0752-2280001', email: 'zhoujie@mz.hz.gov.cn', effectiveOn: '2026-11-16' } });
    expect(onTime.json().isLate).toBe(false);
    const history = await t.call({ method: 'GET', url: `/api/v1/departments/${civil}/contacts/history`, cookie });
    expect(history.json().items.filter((c: { role: string }) => c.role === 'technical_officer').length).toBeGreaterThanOrEqual(3);
  });

  it("refuses a department admin changing another department's contacts, and audits the refusal", async () => {
    const cookie = await t.login('deptadmin');
    const psb = await t.departmentId(DEMO.psb);
    const res = await t.call({ method: 'PUT', url: `/api/v1/departments/${psb}/contacts/leader`, cookie, body: { name: '周杰', phone: '0752-2280001', email: 'a@b.cn', effectiveOn: '2026-11-20' } });
    expect(res.statusCode).toBe(403);
    const denied = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.denied').where('outcome', '=', 'denied').execute();
    expect(denied.some((d) => d.target_id?.includes('/contacts/'))).toBe(true);
  });

  it('publishes the contact directory with three contacts per department to every signed-in person', async () => {
    const cookie = await t.login('editor');
    const res = await t.call({ method: 'GET', url: '/api/v1/contacts', cookie });
    const items = res.json().items as { departmentId: string; role: string }[];
    const civil = await t.departmentId(DEMO.civil);
    expect(new Set(items.filter((c) => c.departmentId === civil).map((c) => c.role))).toEqual(new Set(['leader', 'sharing_officer', 'technical_officer']));
  });
});

describe('users', () => {
  it('lets a department admin create a user in their own department but not grant platform roles', async () => {
    const cookie = await t.login('deptadmin');
    const civil = await t.departmentId(DEMO.civil);
    const ok = await t.call({ method: 'POST', url: '/api/v1/users', cookie, body: { username: 'mz.clerk', displayName: '民政 文员', departmentId: civil, roles: ['catalog_editor'], password: 'Password2026x' } });
    expect(ok.statusCode).toBe(201);
    const escalate = await t.call({ method: 'POST', url: '/api/v1/users', cookie, body: { username: 'mz.boss', displayName: 'x', departmentId: civil, roles: ['platform_admin'], password: 'Password2026x' } });
    expect(escalate.statusCode).toBe(403);
    const psb = await t.departmentId(DEMO.psb);
    const other = await t.call({ method: 'POST', url: '/api/v1/users', cookie, body: { username: 'ga.clerk', displayName: 'x', departmentId: psb, roles: ['catalog_editor'], password: 'Password2026x' } });
    expect(other.statusCode).toBe(403);
  });

  it('never returns password hashes', async () => {
    const cookie = await t.login('admin');
    const res = await t.call({ method: 'GET', url: '/api/v1/users', cookie });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/scrypt\$/);
  });
});
