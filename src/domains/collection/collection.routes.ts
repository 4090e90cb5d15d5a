import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import { QUARANTINE_STATUSES, ZBatchBody, ZBatchQuery, ZIdempotencyHeaders, ZPage, ZQuarantineFix } from './collection.schema.js';
import { collectionError } from './collection.errors.js';
import * as collection from './collection.service.js';
import * as uploads from './use-cases/upload-file.js';
import * as quality from './use-cases/quality.js';
import * as quarantine from './use-cases/quarantine.js';
import * as records from './use-cases/records.js';

/** A resource code (`前段码/后段码`, URL-encoded) or the entry's id. */
const ZCode = z.object({ code: z.string().trim().min(1).max(100) });
// People of the providing department; API clients with 'collection:write' may also send batches. The services check the department.
const providers = { policy: { roles: ['dept_admin', 'catalog_editor'] } } as const;
const tags = ['collection'];
const ZUploadParams = ZCode.extend({ id: z.string().trim().min(1).max(100) });
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const ZQuarantineParams = ZCode.extend({ id: z.string().trim().min(1).max(100) });
// Quality figures: the providers, plus the authority and platform administrators read-only (the service checks the department).
const qualityReaders = { policy: { roles: ['dept_admin', 'catalog_editor', 'authority', 'platform_admin'] } } as const;
// The cross-department overview: the authority, platform administrators and supervisors (002 §10, §51).
const overseers = { policy: { roles: ['authority', 'platform_admin', 'supervisor'] } } as const;

const ZRecordsQuery = ZPage.extend({
  q: z.string().trim().max(200).optional(),
  includeDeleted: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
const ZRecordParams = ZCode.extend({ recordRef: z.string().trim().min(1).max(200) });
/** The body of a reveal: the record's `ref` from the list and why the full number is needed. */
const ZRevealBody = z.strictObject({ key: z.string().trim().min(1).max(200), reason: z.string().trim().min(2).max(200) });
// Revealing a full identifier: only department administrators (the service checks it is the providing department).
const revealers = { policy: { roles: ['dept_admin'] } } as const;

/** Data collection (归集): providers send batches of records to their published datasets. */
export function collectionRoutes(api: Api, app: AppContext): void {
  api.get('/datasets', { config: providers, schema: { tags } }, async (req) => collection.listMyDatasets(ctxOf(req, app)));
  api.post(
    '/datasets/:code/batches',
    { config: { policy: { ...providers.policy, clients: { scope: 'collection:write' } } }, bodyLimit: 32 * 1024 * 1024, schema: { tags, params: ZCode, querystring: ZBatchQuery, headers: ZIdempotencyHeaders, body: ZBatchBody } },
    async (req, reply) => {
      const { response, replayed } = await collection.submitBatch(ctxOf(req, app), {
        code: req.params.code,
        mode: req.query.mode,
        idempotencyKey: req.headers['idempotency-key'],
        records: req.body.records,
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(collection.batchHttpStatus(response)).send(response);
    },
  );
  api.get('/datasets/:code/batches', { config: providers, schema: { tags, params: ZCode, querystring: ZPage } }, async (req) =>
    collection.listDatasetBatches(ctxOf(req, app), req.params.code, req.query),
  );
  api.get(
    '/datasets/:code/quarantine',
    { config: providers, schema: { tags, params: ZCode, querystring: ZPage.extend({ status: z.enum(QUARANTINE_STATUSES).optional() }) } },
    async (req) => collection.listDatasetQuarantine(ctxOf(req, app), req.params.code, req.query),
  );
  api.get('/datasets/:code/quarantine/:id', { config: providers, schema: { tags, params: ZQuarantineParams } }, async (req) =>
    quarantine.getQuarantineRow(ctxOf(req, app), req.params.code, req.params.id),
  );
  api.put('/datasets/:code/quarantine/:id', { config: providers, schema: { tags, params: ZQuarantineParams, body: ZQuarantineFix } }, async (req) =>
    quarantine.fixQuarantineRow(ctxOf(req, app), req.params.code, req.params.id, req.body),
  );
  api.delete('/datasets/:code/quarantine/:id', { config: providers, schema: { tags, params: ZQuarantineParams } }, async (req) =>
    quarantine.discardQuarantineRow(ctxOf(req, app), req.params.code, req.params.id),
  );
  api.get('/datasets/:code/records', { config: providers, schema: { tags, params: ZCode, querystring: ZRecordsQuery } }, async (req) =>
    records.listRecords(ctxOf(req, app), req.params.code, req.query),
  );
  api.get('/datasets/:code/records/:recordRef/history', { config: providers, schema: { tags, params: ZRecordParams } }, async (req) =>
    records.recordHistory(ctxOf(req, app), req.params.code, req.params.recordRef),
  );
  api.post('/datasets/:code/records/reveal', { config: revealers, schema: { tags, params: ZCode, body: ZRevealBody } }, async (req, reply) => {
    const answer = await records.revealRecordIdentifier(ctxOf(req, app), req.params.code, req.body);
    return reply.header('cache-control', 'no-store').send(answer);
  });
  api.get('/datasets/:code/quality', { config: qualityReaders, schema: { tags, params: ZCode } }, async (req) => quality.datasetQuality(ctxOf(req, app), req.params.code));
  api.get('/collection/overview', { config: overseers, schema: { tags } }, async (req) => quality.collectionOverview(ctxOf(req, app)));
  api.post(
    '/datasets/:code/uploads',
    { config: providers, schema: { tags, params: ZCode, querystring: ZBatchQuery, consumes: ['multipart/form-data'] } },
    async (req, reply) => {
      if (!req.isMultipart()) throw collectionError('COLLECTION_UPLOAD_NO_FILE', 'Upload the file as multipart/form-data in the field “file”. 请以 multipart/form-data 上传文件（字段 file）。');
      // Data files get their own, larger limit than the server-wide one for workbooks.
      const file = await req.file({ limits: { fileSize: app.config.HUITONG_UPLOAD_MAX_BYTES, files: 1 } });
      const format = file ? uploads.formatOfFilename(file.filename) : undefined;
      if (file?.fieldname !== 'file' || !format) {
        file?.file.resume(); // drain the upload so the connection is not left half-read
        throw collectionError('COLLECTION_UPLOAD_NO_FILE', 'Send one .csv or .xlsx file in the field “file”. 请在字段 file 中上传一个 .csv 或 .xlsx 文件。', {
          errors: [{ field: 'file', rule: 'required', message: 'choose a .csv or .xlsx file 请选择 csv 或 xlsx 文件' }],
        });
      }
      const answer = await uploads.receiveUpload(ctxOf(req, app), {
        code: req.params.code,
        mode: req.query.mode,
        filename: file.filename,
        format,
        file: file.file,
        isTruncated: () => file.file.truncated,
      });
      return reply.code(202).send(answer);
    },
  );
  api.get('/datasets/:code/uploads', { config: providers, schema: { tags, params: ZCode, querystring: ZPage } }, async (req) =>
    uploads.listUploads(ctxOf(req, app), req.params.code, req.query),
  );
  api.get('/datasets/:code/uploads/:id', { config: providers, schema: { tags, params: ZUploadParams } }, async (req) =>
    uploads.getUpload(ctxOf(req, app), req.params.code, req.params.id),
  );
  api.get('/datasets/:code/uploads/:id/errors.xlsx', { config: providers, schema: { tags, params: ZUploadParams } }, async (req, reply) => {
    const stream = await uploads.uploadErrorReport(ctxOf(req, app), req.params.code, req.params.id);
    return reply
      .header('content-type', XLSX_TYPE)
      .header('content-disposition', `attachment; filename="upload-${req.params.id.replace(/[^0-9a-zA-Z-]/g, '_')}-errors.xlsx"`)
      .header('cache-control', 'no-store')
      .send(stream);
  });
}
