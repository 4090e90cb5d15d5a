import { record } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/index.js';
import { orgsService } from '../orgs/index.js';
import { buildCatalogWorkbook, ENTRY_SHEET, type ImportFieldError, parseCatalogWorkbook, sortImportErrors } from './catalog-xlsx.js';
import { catalogError } from './catalog.errors.js';
import { canEdit } from './catalog.policy.js';
import { presentVersion, type TVersion } from './catalog.present.js';
import * as repo from './catalog.repo.js';
import type { TEntryFields, TSearchQuery } from './catalog.schema.js';
import { insertNewEntry } from './catalog.service.js';
import { type DcatAgent, type DcatDocument, toDcatJsonLd } from './dcat.js';

/** Enough problems to fix a file in one go without a megabyte-sized answer. */
const MAX_REPORTED_ERRORS = 1_000;
/** Rows fetched per query while collecting an export. */
const EXPORT_PAGE_SIZE = 500;

/** The search filters an export accepts: those of the catalog search, without paging. */
export type TExportQuery = Omit<TSearchQuery, 'page' | 'pageSize'>;

function capErrors(errors: ImportFieldError[]): ImportFieldError[] {
  if (errors.length <= MAX_REPORTED_ERRORS) return errors;
  return [
    ...errors.slice(0, MAX_REPORTED_ERRORS),
    { field: '(file)', rule: 'too_many_errors', message: `${errors.length - MAX_REPORTED_ERRORS} more problems not listed 另有 ${errors.length - MAX_REPORTED_ERRORS} 处错误未列出` },
  ];
}

/**
 * Imports a department's workbook as new drafts, all or nothing: every row is checked first
 * (cells, rules, names against the catalog and within the file) and one problem anywhere saves
 * nothing, so a department never has to work out which half of a file went in.
 */
export async function importCatalogXlsx(ctx: Ctx, buffer: Buffer): Promise<{ created: number; entryIds: string[] }> {
  const departmentId = ctx.actor.departmentId;
  if (!departmentId || !canEdit(ctx.actor, departmentId)) {
    throw platformError('FORBIDDEN', "Only a catalog editor of a department imports into that department's catalog. 仅部门目录编目员可导入目录。");
  }
  const parsed = await parseCatalogWorkbook(buffer);
  const now = ctx.app.clock.now();
  // The embedded database has a single connection: inside this transaction only `tx` is used.
  return inTransaction(ctx.app.database.db, async (tx) => {
    const errors = [...parsed.errors];
    for (const e of parsed.entries) {
      if (e.name.length < 2 || !(await repo.findLiveName(tx, e.name))) continue;
      errors.push({ field: `${ENTRY_SHEET}!R${e.row}.name`, row: e.row, rule: 'unique', message: `“${e.name}” is already used in the catalog 目录名称已存在` });
    }
    if (errors.length) {
      const sorted = sortImportErrors(errors);
      throw catalogError('CATALOG_IMPORT_INVALID', `${errors.length} problem(s) in the file; nothing was saved. 文件中有 ${errors.length} 处错误，未保存任何数据。`, {
        errors: capErrors(sorted),
      });
    }
    const entryIds: string[] = [];
    // No errors means every entry parsed; fields is null only for rows that reported errors.
    for (const e of parsed.entries) entryIds.push(await insertNewEntry(tx, ctx, e.fields as TEntryFields));
    await record(tx, {
      actor: ctx.actor,
      action: 'catalog.imported',
      targetType: 'department',
      targetId: departmentId,
      requestId: ctx.requestId,
      at: now,
      details: { count: entryIds.length, items: parsed.entries.reduce((n, e) => n + (e.fields?.items.length ?? 0), 0) },
    });
    return { created: entryIds.length, entryIds };
  });
}

/** Every published entry matching the filters, across all pages of the search. */
async function collectPublished(ctx: Ctx, query: TExportQuery): Promise<TVersion[]> {
  const out: TVersion[] = [];
  for (let page = 1; ; page++) {
    const { rows, total } = await repo.searchPublished(ctx.app.database.db, { ...query, page, pageSize: EXPORT_PAGE_SIZE });
    out.push(...rows.map(presentVersion));
    if (rows.length < EXPORT_PAGE_SIZE || out.length >= total) return out;
  }
}

async function auditExport(ctx: Ctx, details: Record<string, unknown>): Promise<void> {
  await inTransaction(ctx.app.database.db, (tx) =>
    record(tx, { actor: ctx.actor, action: 'catalog.exported', targetType: 'catalog', requestId: ctx.requestId, at: ctx.app.clock.now(), details }),
  );
}

/** The published entries matching the search filters as a workbook in the import layout. */
export async function exportCatalogXlsx(ctx: Ctx, query: TExportQuery): Promise<{ filename: string; buffer: Buffer }> {
  const versions = await collectPublished(ctx, query);
  const buffer = await buildCatalogWorkbook(versions);
  const filters = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== ''));
  await auditExport(ctx, { format: 'xlsx', count: versions.length, filters });
  return { filename: `catalog-${todayInShanghai(ctx.app.clock.now())}.xlsx`, buffer };
}

/**
 * The whole published catalog as DCAT-AP JSON-LD. The authority is the catalog's publisher
 * (001-data §14); providing departments are the datasets' publishers.
 */
export async function exportDcat(ctx: Ctx, baseUrl: string): Promise<DcatDocument> {
  const versions = (await repo.listPublished(ctx.app.database.db)).map(presentVersion);
  const departments = await orgsService.listDepartments(ctx, {});
  const agents = new Map<string, DcatAgent>(departments.map((d) => [d.id, { id: d.id, name: d.name, nameEn: d.nameEn }]));
  const authority = departments.find((d) => d.isAuthority);
  const publisher: DcatAgent = authority ? { id: authority.id, name: authority.name, nameEn: authority.nameEn } : { id: 'platform', name: '汇通平台', nameEn: 'Huitong platform' };
  const city = /^(.+?[市州盟])/.exec(publisher.name)?.[1] ?? '';
  const doc = toDcatJsonLd(versions, {
    baseUrl,
    publisher,
    agents,
    title: { zh: `${city}政务信息资源目录`, en: 'Government information resource catalog' },
  });
  await auditExport(ctx, { format: 'dcat-ap-jsonld', count: versions.length });
  return doc;
}
