import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of departments, people and sign-in. */
export const ORGS_ERRORS = {
  /** Username or password wrong, or the account does not exist or is disabled. */
  AUTH_INVALID_CREDENTIALS: { status: 401, title: 'Wrong username or password 用户名或密码错误' },
  /** Too many failed sign-ins; the account is locked for a while. */
  AUTH_LOCKED: { status: 423, title: 'Account locked 账户已锁定' },
  /** The current password given for a change is wrong. */
  AUTH_WRONG_PASSWORD: { status: 422, title: 'Current password is wrong 原密码错误' },
  /** A new password is too weak. */
  AUTH_WEAK_PASSWORD: { status: 422, title: 'Password too weak 密码强度不足' },
  /** No such department. */
  ORGS_DEPARTMENT_NOT_FOUND: { status: 404, title: 'Department not found 部门不存在' },
  /** A department with this name or credit code exists already. */
  ORGS_DEPARTMENT_EXISTS: { status: 409, title: 'Department exists 部门已存在' },
  /** The unified social credit code fails GB 32100. */
  ORGS_INVALID_USCC: { status: 422, title: 'Invalid unified social credit code 统一社会信用代码无效' },
  /** No such region. */
  ORGS_REGION_NOT_FOUND: { status: 422, title: 'Unknown region 行政区划不存在' },
  /** A department cannot be its own ancestor. */
  ORGS_PARENT_CYCLE: { status: 422, title: 'Parent would form a cycle 上级部门形成循环' },
  /** No such user. */
  ORGS_USER_NOT_FOUND: { status: 404, title: 'User not found 用户不存在' },
  /** The username is taken. */
  ORGS_USERNAME_TAKEN: { status: 409, title: 'Username taken 用户名已被使用' },
  /** A contact's effective date lies in the future or in a year the calendar does not know. */
  ORGS_CONTACT_INVALID_DATE: { status: 422, title: 'Invalid effective date 生效日期无效' },
} as const satisfies Record<string, ErrorSpec>;

export const orgsError = errorFactory(ORGS_ERRORS);
