import type { Role } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { CalendarYearMissingError, todayInShanghai, workingDaysBetween } from '../../platform/calendar/calendar.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { inTransaction } from '../../platform/db/index.js';
import type { Ctx } from '../../platform/http/index.js';
import { validateUscc } from '../../platform/validators/index.js';
import { orgsError } from './orgs.errors.js';
import { authorize, canGrantRoles, canManageContacts, canManageUsersOf } from './orgs.policy.js';
import * as repo from './orgs.repo.js';
import type { TContactInput, TContactRole, TDepartment, TDepartmentInput, TRegionInput, TUserInput, TUserPatch } from './orgs.schema.js';
import { hashPassword, passwordProblems } from './password.js';

/** A department as the API shows it. */
export function presentDepartment(d: repo.DepartmentRow): TDepartment {
  return {
    id: d.id,
    name: d.name,
    nameEn: d.name_en,
    uscc: d.uscc,
    regionCode: d.region_code,
    parentId: d.parent_id,
    kind: d.kind,
    isAuthority: d.is_authority,
  };
}

/** A contact row as the API shows it. */
export function presentContact(c: repo.ContactRow) {
  return {
    departmentId: c.department_id,
    departmentName: c.department_name,
    role: c.role as TContactRole,
    name: c.name,
    phone: c.phone,
    email: c.email,
    effectiveOn: c.effective_on,
    reportedAt: new Date(c.reported_at).toISOString(),
    isLate: c.is_late,
  };
}

/** A user as the API shows it (never the password hash). */
export function presentUser(u: repo.UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    departmentId: u.department_id,
    departmentName: u.department_name,
    roles: u.roles as Role[],
    disabled: u.disabled,
    lockedUntil: u.locked_until ? new Date(u.locked_until).toISOString() : null,
  };
}

/** Lists regions (the city and its districts). */
export async function listRegions(ctx: Ctx) {
  const rows = await repo.listRegions(ctx.app.database.db);
  return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, parentCode: r.parent_code }));
}

/** Adds a region. */
export async function createRegion(ctx: Ctx, input: TRegionInput) {
  return inTransaction(ctx.app.database.db, async (tx) => {
    if (input.parentCode && !(await repo.findRegion(tx, input.parentCode))) {
      throw orgsError('ORGS_REGION_NOT_FOUND', `Parent region ${input.parentCode} does not exist.`, {
        errors: [{ field: 'parentCode', rule: 'exists', message: 'unknown region 行政区划不存在' }],
      });
    }
    const row = await repo.insertRegion(tx, { code: input.code, name: input.name, name_en: input.nameEn, parent_code: input.parentCode });
    await record(tx, { actor: ctx.actor, action: 'region.created', targetType: 'region', targetId: row.code, requestId: ctx.requestId, at: ctx.app.clock.now(), details: { name: row.name } });
    return { code: row.code, name: row.name, nameEn: row.name_en, parentCode: row.parent_code };
  });
}

/** Lists departments; every signed-in person sees all of them (the directory is public to departments). */
export async function listDepartments(ctx: Ctx, f: { q?: string | undefined; regionCode?: string | undefined }) {
  return (await repo.listDepartments(ctx.app.database.db, f)).map(presentDepartment);
}

/** One department, or DEPARTMENT_NOT_FOUND. */
export async function getDepartment(ctx: Ctx, id: string) {
  const d = await repo.findDepartment(ctx.app.database.db, id);
  if (!d) throw orgsError('ORGS_DEPARTMENT_NOT_FOUND');
  return presentDepartment(d);
}

async function checkDepartmentInput(
  tx: Parameters<typeof repo.findRegion>[0],
  input: TDepartmentInput,
  exceptId?: string,
): Promise<string> {
  const uscc = validateUscc(input.uscc);
  if (!uscc.ok) {
    throw orgsError('ORGS_INVALID_USCC', uscc.message, { errors: [{ field: 'uscc', rule: uscc.rule, message: uscc.message }] });
  }
  if (!(await repo.findRegion(tx, input.regionCode))) {
    throw orgsError('ORGS_REGION_NOT_FOUND', `Region ${input.regionCode} does not exist.`, {
      errors: [{ field: 'regionCode', rule: 'exists', message: 'unknown region 行政区划不存在' }],
    });
  }
  if (input.parentId) {
    // Walk up from the new parent: meeting this department means a cycle.
    let cursor: string | null = input.parentId;
    for (let depth = 0; cursor; depth++) {
      if (cursor === exceptId || depth > 50) throw orgsError('ORGS_PARENT_CYCLE');
      const parent: repo.DepartmentRow | undefined = await repo.findDepartment(tx, cursor);
      if (!parent) {
        throw orgsError('ORGS_DEPARTMENT_NOT_FOUND', 'The parent department does not exist.', {
          errors: [{ field: 'parentId', rule: 'exists', message: 'unknown department 上级部门不存在' }],
        });
      }
      cursor = parent.parent_id;
    }
  }
  const clash = await repo.findDepartmentClash(tx, input.name, uscc.normalized, exceptId);
  if (clash) {
    const field = clash.name === input.name ? 'name' : 'uscc';
    throw orgsError('ORGS_DEPARTMENT_EXISTS', `A department with this ${field} exists: ${clash.name}.`, {
      errors: [{ field, rule: 'unique', message: `already used by ${clash.name} 已被使用` }],
    });
  }
  return uscc.normalized;
}

/** Registers a department (platform administrator). */
export async function createDepartment(ctx: Ctx, input: TDepartmentInput) {
  return inTransaction(ctx.app.database.db, async (tx) => {
    const uscc = await checkDepartmentInput(tx, input);
    const now = ctx.app.clock.now();
    const row = await repo.insertDepartment(tx, {
      id: uuidv7(),
      name: input.name,
      name_en: input.nameEn,
      uscc,
      region_code: input.regionCode,
      parent_id: input.parentId,
      kind: input.kind,
      is_authority: false,
      created_at: now,
      updated_at: now,
    });
    await record(tx, { actor: ctx.actor, action: 'department.created', targetType: 'department', targetId: row.id, requestId: ctx.requestId, at: now, details: { name: row.name } });
    return presentDepartment(row);
  });
}

/** Changes a department's registration data (platform administrator). */
export async function updateDepartment(ctx: Ctx, id: string, patch: Partial<TDepartmentInput>) {
  return inTransaction(ctx.app.database.db, async (tx) => {
    const current = await repo.findDepartment(tx, id);
    if (!current) throw orgsError('ORGS_DEPARTMENT_NOT_FOUND');
    const merged: TDepartmentInput = {
      name: patch.name ?? current.name,
      nameEn: patch.nameEn ?? current.name_en,
      uscc: patch.uscc ?? current.uscc,
      regionCode: patch.regionCode ?? current.region_code,
      parentId: patch.parentId === undefined ? current.parent_id : patch.parentId,
      kind: (patch.kind ?? current.kind) as TDepartmentInput['kind'],
    };
    const uscc = await checkDepartmentInput(tx, merged, id);
    const now = ctx.app.clock.now();
    const row = await repo.updateDepartment(tx, id, {
      name: merged.name,
      name_en: merged.nameEn,
      uscc,
      region_code: merged.regionCode,
      parent_id: merged.parentId,
      kind: merged.kind,
      updated_at: now,
    });
    await record(tx, { actor: ctx.actor, action: 'department.updated', targetType: 'department', targetId: id, requestId: ctx.requestId, at: now, details: { changed: Object.keys(patch) } });
    return presentDepartment(row);
  });
}

/** The published contact directory: every department's three current contacts. */
export async function listContacts(ctx: Ctx, departmentId?: string) {
  return (await repo.listCurrentContacts(ctx.app.database.db, departmentId)).map(presentContact);
}

/** Every contact change of a department, newest first. */
export async function listContactHistory(ctx: Ctx, departmentId: string) {
  return (await repo.listContactHistory(ctx.app.database.db, departmentId)).map(presentContact);
}

/**
 * Records a change of one of a department's three contacts. The change carries when it took
 * effect; a report more working days after that than the policy allows is flagged late.
 */
export async function changeContact(ctx: Ctx, departmentId: string, role: TContactRole, input: TContactInput) {
  authorize(canManageContacts(ctx.actor, departmentId), 'change contacts of another department 修改其他部门联系人');
  const now = ctx.app.clock.now();
  const today = todayInShanghai(now);
  if (input.effectiveOn > today) {
    throw orgsError('ORGS_CONTACT_INVALID_DATE', 'A change is reported once it has taken effect.', {
      errors: [{ field: 'effectiveOn', rule: 'not_future', message: 'must not be in the future 生效日期不能晚于今天' }],
    });
  }
  let lateBy: number;
  try {
    lateBy = workingDaysBetween(await ctx.app.calendar.get(), input.effectiveOn, today);
  } catch (err) {
    if (!(err instanceof CalendarYearMissingError)) throw err;
    throw orgsError('ORGS_CONTACT_INVALID_DATE', err.message, {
      errors: [{ field: 'effectiveOn', rule: 'calendar_year', message: err.message }],
    });
  }
  return inTransaction(ctx.app.database.db, async (tx) => {
    if (!(await repo.findDepartment(tx, departmentId))) throw orgsError('ORGS_DEPARTMENT_NOT_FOUND');
    const isLate = lateBy > ctx.app.policy.contactReportDays;
    const row = await repo.insertContact(tx, {
      id: uuidv7(),
      department_id: departmentId,
      role,
      name: input.name,
      phone: input.phone,
      email: input.email,
      effective_on: input.effectiveOn,
      reported_at: now,
      reported_by: ctx.actor.id,
      is_late: isLate,
    });
    await record(tx, {
      actor: ctx.actor,
      action: 'contact.changed',
      targetType: 'department',
      targetId: departmentId,
      requestId: ctx.requestId,
      at: now,
      details: { role, effectiveOn: input.effectiveOn, workingDaysToReport: lateBy, isLate },
    });
    const [withName] = await repo.listCurrentContacts(tx, departmentId).then((rows) => rows.filter((r) => r.id === row.id));
    return presentContact(withName ?? { ...row, department_name: '' });
  });
}

/** Users of a department (or all, for the platform administrator). */
export async function listUsers(ctx: Ctx, departmentId?: string) {
  const scope = departmentId ?? (ctx.actor.roles.includes('platform_admin') ? undefined : ctx.actor.departmentId ?? undefined);
  if (scope) authorize(canManageUsersOf(ctx.actor, scope), 'list users of another department 查看其他部门用户');
  return (await repo.listUsers(ctx.app.database.db, scope)).map(presentUser);
}

/** Creates a user account. */
export async function createUser(ctx: Ctx, input: TUserInput) {
  authorize(canManageUsersOf(ctx.actor, input.departmentId), 'create users in another department 在其他部门创建用户');
  authorize(canGrantRoles(ctx.actor, input.roles), 'grant platform-wide roles 授予平台级角色');
  const problems = passwordProblems(input.password);
  if (problems.length) {
    throw orgsError('AUTH_WEAK_PASSWORD', problems.join('; '), { errors: problems.map((message) => ({ field: 'password', rule: 'strength', message })) });
  }
  const hash = await hashPassword(input.password);
  return inTransaction(ctx.app.database.db, async (tx) => {
    if (!(await repo.findDepartment(tx, input.departmentId))) throw orgsError('ORGS_DEPARTMENT_NOT_FOUND');
    if (await repo.findUser(tx, { username: input.username })) {
      throw orgsError('ORGS_USERNAME_TAKEN', undefined, { errors: [{ field: 'username', rule: 'unique', message: 'taken 已被使用' }] });
    }
    const now = ctx.app.clock.now();
    const { id } = await repo.insertUser(tx, {
      id: uuidv7(),
      username: input.username,
      display_name: input.displayName,
      department_id: input.departmentId,
      password_hash: hash,
      roles: [...new Set(input.roles)],
      password_changed_at: now,
      created_at: now,
    });
    await record(tx, { actor: ctx.actor, action: 'user.created', targetType: 'user', targetId: id, requestId: ctx.requestId, at: now, details: { username: input.username, roles: input.roles } });
    const user = await repo.findUser(tx, { id });
    return presentUser(user as repo.UserRow);
  });
}

/** Changes a user's name, roles or disabled flag. */
export async function updateUser(ctx: Ctx, id: string, patch: TUserPatch) {
  return inTransaction(ctx.app.database.db, async (tx) => {
    const user = await repo.findUser(tx, { id });
    if (!user) throw orgsError('ORGS_USER_NOT_FOUND');
    authorize(canManageUsersOf(ctx.actor, user.department_id), 'change users of another department 修改其他部门用户');
    if (patch.roles) authorize(canGrantRoles(ctx.actor, patch.roles), 'grant platform-wide roles 授予平台级角色');
    await repo.updateUser(tx, id, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
      ...(patch.roles !== undefined ? { roles: [...new Set(patch.roles)] } : {}),
      ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
    });
    if (patch.disabled || patch.roles) await repo.deleteUserSessions(tx, id);
    await record(tx, { actor: ctx.actor, action: 'user.updated', targetType: 'user', targetId: id, requestId: ctx.requestId, at: ctx.app.clock.now(), details: patch });
    return presentUser((await repo.findUser(tx, { id })) as repo.UserRow);
  });
}

/** Sets a new password for a user and unlocks the account; the user's sessions end. */
export async function resetPassword(ctx: Ctx, id: string, password: string) {
  const problems = passwordProblems(password);
  if (problems.length) {
    throw orgsError('AUTH_WEAK_PASSWORD', problems.join('; '), { errors: problems.map((message) => ({ field: 'password', rule: 'strength', message })) });
  }
  const hash = await hashPassword(password);
  await inTransaction(ctx.app.database.db, async (tx) => {
    const user = await repo.findUser(tx, { id });
    if (!user) throw orgsError('ORGS_USER_NOT_FOUND');
    authorize(canManageUsersOf(ctx.actor, user.department_id), 'reset passwords in another department 重置其他部门用户密码');
    await repo.updateUser(tx, id, { password_hash: hash, failed_attempts: 0, locked_until: null, password_changed_at: ctx.app.clock.now() });
    await repo.deleteUserSessions(tx, id);
    await record(tx, { actor: ctx.actor, action: 'user.password_reset', targetType: 'user', targetId: id, requestId: ctx.requestId, at: ctx.app.clock.now() });
  });
}

/** Finds a user id by username (CLI). */
export async function findUserIdByUsername(ctx: Ctx, username: string): Promise<string | undefined> {
  return (await repo.findUser(ctx.app.database.db, { username }))?.id;
}
