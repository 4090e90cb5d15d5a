import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of multi-source verification. */
export const VERIFICATION_ERRORS = {
  /** No such report, or the caller's department is neither the reporter nor the responsible one. */
  VERIFICATION_NOT_FOUND: { status: 404, title: 'Verification report not found 校核报告不存在' },
  /** The basic data item named in the report does not exist. */
  VERIFICATION_UNKNOWN_ITEM: { status: 422, title: 'Unknown basic data item 基准信息项不存在' },
  /** The reporting department is itself responsible for the item: it corrects its own data instead. */
  VERIFICATION_OWN_ITEM: { status: 422, title: 'Own basic data item 本部门为该数据项责任部门' },
  /** The report was answered already. */
  VERIFICATION_ALREADY_ANSWERED: { status: 409, title: 'Already answered 校核报告已答复' },
} as const satisfies Record<string, ErrorSpec>;

export type VerificationErrorCode = keyof typeof VERIFICATION_ERRORS;

export const verificationError = errorFactory(VERIFICATION_ERRORS);
