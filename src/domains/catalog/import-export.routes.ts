import { platformError } from '../../platform/errors.js';
import { type Api, type AppContext, ctxOf, attachment } from '../../platform/http/index.js';
import { ZSearchQuery } from './catalog.schema.js';
import { exportCatalogXlsx, exportDcat, importCatalogXlsx } from './import-export.service.js';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/**
 * Upload types that may hold an xlsx: browsers without Office installed send octet-stream or a
 * zip type. The bytes are checked anyway; this only turns away what is plainly something else.
 */
const UPLOAD_TYPES = new Set([XLSX_TYPE, 'application/octet-stream', 'application/zip', 'application/x-zip-compressed', '']);
const tags = ['catalog'];

const ZExportQuery = ZSearchQuery.omit({ page: true, pageSize: true });

/** Spreadsheet import and export of the catalog, and its DCAT-AP feed. */
export function catalogTransferRoutes(api: Api, app: AppContext): void {
  api.post(
    '/catalog/import',
    { config: { policy: { roles: ['catalog_editor'] } }, schema: { tags, consumes: ['multipart/form-data'] } },
    async (req, reply) => {
      if (!req.isMultipart()) {
        throw platformError('UNSUPPORTED_MEDIA_TYPE', 'Upload the workbook as multipart/form-data in the field “file”. 请以 multipart/form-data 上传文件（字段 file）。');
      }
      const file = await req.file();
      if (file?.fieldname !== 'file') {
        file?.file.resume();
        throw platformError('VALIDATION_FAILED', 'No file in the field “file”. 未收到上传文件。', { errors: [{ field: 'file', rule: 'required', message: 'choose an .xlsx file 请选择 xlsx 文件' }] });
      }
      const extension = /\.([^.]+)$/.exec(file.filename)?.[1]?.toLowerCase();
      if (!UPLOAD_TYPES.has(file.mimetype) || (extension !== undefined && extension !== 'xlsx')) {
        file.file.resume(); // drain the upload so the connection is not left half-read
        throw platformError('UNSUPPORTED_MEDIA_TYPE', `Only .xlsx workbooks are accepted, not ${file.mimetype || 'this file'}. 仅支持 .xlsx 文件。`);
      }
      const buffer = await file.toBuffer();
      return reply.code(201).send(await importCatalogXlsx(ctxOf(req, app), buffer));
    },
  );

  api.get('/catalog/export.xlsx', { config: { policy: { signedIn: true } }, schema: { tags, querystring: ZExportQuery } }, async (req, reply) => {
    const { filename, buffer } = await exportCatalogXlsx(ctxOf(req, app), req.query);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', attachment(filename)).header('cache-control', 'no-store').send(buffer);
  });

  // Public: the published catalog is public metadata (公示), and harvesters call without a session.
  api.get('/catalog/export.jsonld', { config: { policy: { public: true } }, schema: { tags } }, async (req, reply) => {
    const doc = await exportDcat(ctxOf(req, app), (app.config.HUITONG_PUBLIC_URL ?? `${req.protocol}://${req.host}`).replace(/\/$/, ''));
    return reply.header('content-type', 'application/ld+json; charset=utf-8').send(JSON.stringify(doc));
  });
}
