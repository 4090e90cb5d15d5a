import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of disputes about shared data. */
export const DISPUTE_ERRORS = {
  /** No such dispute, or the caller is neither a party to it nor the platform. */
  DISPUTE_NOT_FOUND: { status: 404, title: 'Dispute not found 异议不存在' },
  /** The dataset named is not a published catalog entry. */
  DISPUTE_UNKNOWN_DATASET: { status: 422, title: 'Unknown dataset 数据资源不存在' },
  /** A department disputes its own dataset: it corrects its own data instead. */
  DISPUTE_OWN_DATASET: { status: 422, title: 'Own dataset 本部门提供的数据' },
  /** The step is not allowed in the dispute's current status. */
  DISPUTE_ILLEGAL_TRANSITION: { status: 409, title: 'Step not allowed now 当前状态下不能执行该操作' },
  /** The verification report exists only once the dispute is resolved. */
  DISPUTE_REPORT_NOT_READY: { status: 409, title: 'Report not ready 核查报告尚未生成' },
  /** No CJK font is installed for the PDF report; the operator installs one (the detail says how). */
  DISPUTE_REPORT_FONT_MISSING: { status: 503, title: 'No CJK font for the report 缺少中文字体，无法生成核查报告' },
} as const satisfies Record<string, ErrorSpec>;

export type DisputeErrorCode = keyof typeof DISPUTE_ERRORS;

export const disputeError = errorFactory(DISPUTE_ERRORS);
