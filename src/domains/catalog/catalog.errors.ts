import { type ErrorSpec, errorFactory } from '../../platform/errors.js';

/** Error codes of the resource catalog. */
export const CATALOG_ERRORS = {
  /** No such entry, version or snapshot. */
  CATALOG_NOT_FOUND: { status: 404, title: 'Catalog entry not found 目录不存在' },
  /** The action is not allowed from the version's current status. */
  CATALOG_ILLEGAL_TRANSITION: { status: 409, title: 'Not allowed in this status 当前状态不允许此操作' },
  /** Only draft and returned versions can be edited; a published one changes by a new version. */
  CATALOG_NOT_EDITABLE: { status: 409, title: 'Version not editable 该版本不可编辑' },
  /** An entry already has an open (unpublished) version. */
  CATALOG_OPEN_VERSION_EXISTS: { status: 409, title: 'An open version exists 已有未发布的新版本' },
  /** Another live entry has this name. */
  CATALOG_NAME_TAKEN: { status: 409, title: 'Name already used 目录名称已存在' },
  /** A reviewer cannot approve a version they edited or submitted themselves. */
  CATALOG_SELF_APPROVAL: { status: 403, title: 'Cannot approve own entry 不能审核自己编制的目录' },
  /** Returning needs a reason. */
  CATALOG_REASON_REQUIRED: { status: 422, title: 'Reason required 请填写退回理由' },
  /** The basic data item already has a responsible department (one data, one source). */
  CATALOG_BASIC_ITEM_TAKEN: { status: 409, title: 'Basic data item already assigned 该基准数据项已有责任部门' },
  /** A spreadsheet import had invalid rows; nothing was saved. */
  CATALOG_IMPORT_INVALID: { status: 422, title: 'Import rejected 导入校验未通过' },
  /** The uploaded file is not a readable xlsx workbook. */
  CATALOG_IMPORT_UNREADABLE: { status: 422, title: 'Unreadable spreadsheet 无法读取的表格文件' },
  /** A snapshot for this half-year exists already. */
  CATALOG_SNAPSHOT_EXISTS: { status: 409, title: 'Snapshot exists 该期公示已存在' },
} as const satisfies Record<string, ErrorSpec>;

export const catalogError = errorFactory(CATALOG_ERRORS);
