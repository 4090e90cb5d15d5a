import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of sharing: requests, agreements, grants. */
export const SHARING_ERRORS = {
  /** No such request, or the caller's department is not a party and not the authority. */
  SHARING_REQUEST_NOT_FOUND: { status: 404, title: 'Share request not found 共享申请不存在' },
  /** The catalog entry does not exist or is not published. */
  SHARING_ENTRY_NOT_FOUND: { status: 404, title: 'Catalog entry not found 目录不存在或未发布' },
  /** A department applied for its own data. */
  SHARING_OWN_ENTRY: { status: 422, title: 'Own data 不能申请本部门的数据' },
  /** A requested or answered item is not a data item of the entry or of the request. */
  SHARING_UNKNOWN_ITEM: { status: 422, title: 'Unknown data item 信息项不在目录或申请中' },
  /** Not-shared data needs the consumer's legal basis; a refusal needs reasons and a legal basis. */
  SHARING_LEGAL_BASIS_REQUIRED: { status: 422, title: 'Legal basis required 须注明理由和法律依据' },
  /** The step is not allowed in the request's current state. */
  SHARING_REQUEST_NOT_PENDING: { status: 409, title: 'Step not allowed now 当前状态不允许此操作' },
  /** The provider has no data for the entry yet: collect it first. */
  SHARING_NO_DATA: { status: 409, title: 'No data collected yet 尚未归集数据' },
  /** The confidentiality agreement is not accepted by both departments yet. */
  SHARING_AGREEMENT_PENDING: { status: 409, title: 'Agreement not accepted by both 保密协议尚未双方确认' },
  /** No such agreement, or not the caller's. */
  SHARING_AGREEMENT_NOT_FOUND: { status: 404, title: 'Agreement not found 保密协议不存在' },
  /** No such grant, or the caller's department is neither its consumer nor its provider. */
  SHARING_GRANT_NOT_FOUND: { status: 404, title: 'Grant not found 授权不存在' },
  /** The grant is revoked or lapsed already. */
  SHARING_GRANT_NOT_ACTIVE: { status: 409, title: 'Grant not active 授权已失效' },
  /** The grant has a subscription already: change it instead. */
  SHARING_SUBSCRIPTION_EXISTS: { status: 409, title: 'Subscription exists 该授权已有订阅' },
  /** The grant has no subscription. */
  SHARING_SUBSCRIPTION_NOT_FOUND: { status: 404, title: 'Subscription not found 订阅不存在' },
  /** No such delivery of this subscription. */
  SHARING_DELIVERY_NOT_FOUND: { status: 404, title: 'Delivery not found 推送记录不存在' },
  /** Only a dead delivery is replayed. */
  SHARING_DELIVERY_NOT_DEAD: { status: 409, title: 'Delivery not dead 仅可重发失败的推送' },
} as const satisfies Record<string, ErrorSpec>;

export type SharingErrorCode = keyof typeof SHARING_ERRORS;

export const sharingError = errorFactory(SHARING_ERRORS);
