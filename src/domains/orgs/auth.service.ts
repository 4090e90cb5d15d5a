import { randomBytes } from 'node:crypto';
import type { Actor, Role } from '../../platform/actor.js';
import { ANONYMOUS_ACTOR } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { sm3Hex } from '../../platform/crypto/sm3.js';
import { inTransaction } from '../../platform/db/index.js';
import type { AppContext, Ctx } from '../../platform/http/index.js';
import { orgsError } from './orgs.errors.js';
import * as repo from './orgs.repo.js';
import { hashPassword, passwordProblems, verifyPassword } from './password.js';

/** The cookie that carries a person's session. */
export const SESSION_COOKIE = 'ht_session';

/** What the signed-in person sees of themselves. */
export type Me = {
  id: string;
  username: string;
  displayName: string;
  departmentId: string;
  departmentName: string;
  roles: Role[];
};

function toMe(u: repo.UserRow): Me {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    departmentId: u.department_id,
    departmentName: u.department_name,
    roles: u.roles as Role[],
  };
}

/**
 * Signs a person in with username and password. Repeated failures lock the account for the
 * configured minutes; every failure is audited. Returns the session token for the cookie.
 */
export async function login(ctx: Ctx, input: { username: string; password: string }): Promise<{ token: string; me: Me }> {
  const { app } = ctx;
  const now = app.clock.now();
  const user = await repo.findUser(app.database.db, { username: input.username.trim().toLowerCase() });
  const fail = async (reason: string, extra: { lock?: boolean } = {}) => {
    await inTransaction(app.database.db, (tx) =>
      record(tx, {
        actor: user ? { ...ANONYMOUS_ACTOR, id: user.id, name: user.display_name, departmentId: user.department_id } : ANONYMOUS_ACTOR,
        action: extra.lock ? 'auth.locked' : 'auth.login_failed',
        targetType: 'user',
        targetId: user?.id ?? null,
        outcome: 'denied',
        requestId: ctx.requestId,
        details: { username: input.username.slice(0, 64), reason },
        at: now,
      }),
    );
  };
  if (user?.locked_until && user.locked_until > now) {
    await fail('locked');
    throw orgsError('AUTH_LOCKED', `Too many failed attempts; try again after ${user.locked_until.toISOString()}. 登录失败次数过多，账户暂时锁定。`);
  }
  const ok = user && !user.disabled && (await verifyPassword(input.password, user.password_hash));
  if (!user || !ok) {
    if (user) {
      const attempts = await repo.incrementFailedAttempts(app.database.db, user.id);
      if (attempts >= app.config.HUITONG_LOCKOUT_ATTEMPTS) {
        const until = new Date(now.getTime() + app.config.HUITONG_LOCKOUT_MINUTES * 60_000);
        await repo.updateUser(app.database.db, user.id, { locked_until: until, failed_attempts: 0 });
        await fail('wrong password; account locked', { lock: true });
        throw orgsError('AUTH_LOCKED', `Too many failed attempts; locked until ${until.toISOString()}. 登录失败次数过多，账户已锁定。`);
      }
    }
    await fail(user ? (user.disabled ? 'disabled' : 'wrong password') : 'unknown user');
    throw orgsError('AUTH_INVALID_CREDENTIALS', 'Wrong username or password. 用户名或密码错误。');
  }
  const token = randomBytes(32).toString('base64url');
  await inTransaction(app.database.db, async (tx) => {
    await repo.updateUser(tx, user.id, { failed_attempts: 0, locked_until: null });
    await repo.insertSession(tx, {
      id: sm3Hex(token),
      user_id: user.id,
      created_at: now,
      expires_at: new Date(now.getTime() + app.config.HUITONG_SESSION_HOURS * 3_600_000),
    });
    await record(tx, {
      actor: actorOf(user),
      action: 'auth.login',
      targetType: 'user',
      targetId: user.id,
      requestId: ctx.requestId,
      at: now,
    });
  });
  return { token, me: toMe(user) };
}

function actorOf(u: { id: string; display_name: string; department_id: string; roles: string[] }): Actor {
  return { kind: 'user', id: u.id, name: u.display_name, departmentId: u.department_id, roles: u.roles as Role[] };
}

/** Ends the session behind the token. */
export async function logout(ctx: Ctx, token: string | undefined): Promise<void> {
  if (!token) return;
  await inTransaction(ctx.app.database.db, async (tx) => {
    await repo.deleteSession(tx, sm3Hex(token));
    if (ctx.actor.kind === 'user') {
      await record(tx, { actor: ctx.actor, action: 'auth.logout', targetType: 'user', targetId: ctx.actor.id, requestId: ctx.requestId, at: ctx.app.clock.now() });
    }
  });
}

/** The actor behind a session token, or anonymous. */
export async function actorFromSession(app: AppContext, token: string | undefined): Promise<Actor> {
  if (!token || token.length > 100) return ANONYMOUS_ACTOR;
  const row = await repo.findSessionUser(app.database.db, sm3Hex(token), app.clock.now());
  return row ? actorOf(row) : ANONYMOUS_ACTOR;
}

/** The signed-in person's own profile. */
export async function getMe(ctx: Ctx): Promise<Me> {
  const user = ctx.actor.id ? await repo.findUser(ctx.app.database.db, { id: ctx.actor.id }) : undefined;
  if (!user) throw orgsError('ORGS_USER_NOT_FOUND');
  return toMe(user);
}

/** Changes the signed-in person's password after checking the current one; every session ends, so a stolen one dies too. */
export async function changePassword(ctx: Ctx, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const user = ctx.actor.id ? await repo.findUser(ctx.app.database.db, { id: ctx.actor.id }) : undefined;
  if (!user) throw orgsError('ORGS_USER_NOT_FOUND');
  if (!(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw orgsError('AUTH_WRONG_PASSWORD', undefined, { errors: [{ field: 'currentPassword', rule: 'matches', message: 'current password is wrong 原密码错误' }] });
  }
  const problems = passwordProblems(input.newPassword);
  if (problems.length) {
    throw orgsError('AUTH_WEAK_PASSWORD', problems.join('; '), {
      errors: problems.map((message) => ({ field: 'newPassword', rule: 'strength', message })),
    });
  }
  const hash = await hashPassword(input.newPassword);
  await inTransaction(ctx.app.database.db, async (tx) => {
    await repo.updateUser(tx, user.id, { password_hash: hash, password_changed_at: ctx.app.clock.now() });
    await repo.deleteUserSessions(tx, user.id);
    await record(tx, { actor: ctx.actor, action: 'auth.password_changed', targetType: 'user', targetId: user.id, requestId: ctx.requestId, at: ctx.app.clock.now() });
  });
}
