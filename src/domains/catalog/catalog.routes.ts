import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import * as basicItems from './basic-items.service.js';
import { ENTRY_STATUSES, ZBasicItemClaim, ZEntryFields, ZListItemInput, ZSearchQuery, ZSnapshotInput, ZTransition } from './catalog.schema.js';
import * as catalog from './catalog.service.js';
import * as lists from './lists.service.js';
import * as snapshots from './snapshots.service.js';
import * as tasks from './tasks.service.js';

const ZId = z.object({ id: z.uuid() });
/** A version number; bounded by the database integer so a huge number is a 422, not a failed query. */
const ZVersionNo = z.coerce.number().int().min(1).max(2_147_483_647);
const signedIn = { policy: { signedIn: true } } as const;
const editors = { policy: { roles: ['catalog_editor'] } } as const;
const listKeepers = { policy: { roles: ['dept_admin', 'catalog_editor', 'authority'] } } as const;
const tags = ['catalog'];

/** The resource catalog: entries and their workflow, search, snapshots, basic items, lists. */
export function catalogRoutes(api: Api, app: AppContext): void {
  // GET /tasks is the platform's aggregator (platform/tasks); catalog provides catalogTaskProvider.
  api.post('/catalog/full-review', { config: { policy: { roles: ['dept_admin', 'catalog_editor'] } }, schema: { tags } }, async (req) =>
    tasks.completeFullReview(ctxOf(req, app)),
  );

  api.get('/catalog/search', { config: signedIn, schema: { tags, querystring: ZSearchQuery } }, async (req) => catalog.searchCatalog(ctxOf(req, app), req.query));
  api.get(
    '/catalog/entries',
    {
      config: signedIn,
      schema: {
        tags,
        querystring: z.object({
          departmentId: z.uuid().optional(),
          status: z.enum(ENTRY_STATUSES).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(20),
        }),
      },
    },
    async (req) => catalog.listEntries(ctxOf(req, app), req.query),
  );
  api.post('/catalog/entries', { config: editors, schema: { tags, body: ZEntryFields } }, async (req, reply) =>
    reply.code(201).send(await catalog.createEntry(ctxOf(req, app), req.body)),
  );
  api.get('/catalog/entries/:id', { config: signedIn, schema: { tags, params: ZId } }, async (req) => catalog.getEntry(ctxOf(req, app), req.params.id));
  api.put('/catalog/entries/:id/draft', { config: editors, schema: { tags, params: ZId, body: ZEntryFields } }, async (req) =>
    catalog.updateDraft(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/catalog/entries/:id/versions', { config: editors, schema: { tags, params: ZId } }, async (req, reply) =>
    reply.code(201).send(await catalog.openNewVersion(ctxOf(req, app), req.params.id)),
  );
  api.post(
    '/catalog/entries/:id/transitions',
    { config: { policy: { roles: ['catalog_editor', 'catalog_reviewer', 'authority'] } }, schema: { tags, params: ZId, body: ZTransition } },
    async (req) => catalog.transitionEntry(ctxOf(req, app), req.params.id, req.body),
  );
  api.get('/catalog/entries/:id/versions/:n', { config: signedIn, schema: { tags, params: z.object({ id: z.uuid(), n: ZVersionNo }) } }, async (req) =>
    catalog.getVersion(ctxOf(req, app), req.params.id, req.params.n),
  );
  api.get(
    '/catalog/entries/:id/diff',
    { config: signedIn, schema: { tags, params: ZId, querystring: z.object({ from: ZVersionNo, to: ZVersionNo }) } },
    async (req) => catalog.diffVersions(ctxOf(req, app), req.params.id, req.query.from, req.query.to),
  );
  api.get('/catalog/review-queue', { config: { policy: { roles: ['catalog_reviewer', 'authority'] } }, schema: { tags } }, async (req) => catalog.reviewQueue(ctxOf(req, app)));

  api.get('/catalog/snapshots', { config: signedIn, schema: { tags } }, async (req) => ({ items: await snapshots.listSnapshots(ctxOf(req, app)) }));
  api.post('/catalog/snapshots', { config: { policy: { roles: ['authority'] } }, schema: { tags, body: ZSnapshotInput } }, async (req, reply) =>
    reply.code(201).send(await snapshots.createSnapshot(ctxOf(req, app), req.body)),
  );
  api.get('/catalog/snapshots/:id', { config: signedIn, schema: { tags, params: ZId } }, async (req) => snapshots.getSnapshot(ctxOf(req, app), req.params.id));

  api.get(
    '/catalog/basic-items',
    {
      config: signedIn,
      schema: {
        tags,
        querystring: z.object({
          subject: z.enum(['population', 'legal_person', 'natural_resources']).optional(),
          departmentId: z.uuid().optional(),
          q: z.string().max(100).optional(),
        }),
      },
    },
    async (req) => ({ items: await basicItems.listBasicItems(ctxOf(req, app), req.query) }),
  );
  api.post('/catalog/basic-items', { config: { policy: { roles: ['dept_admin', 'catalog_editor'] } }, schema: { tags, body: ZBasicItemClaim } }, async (req, reply) =>
    reply.code(201).send(await basicItems.claimBasicItem(ctxOf(req, app), req.body)),
  );
  api.post(
    '/catalog/basic-items/:id/reassign',
    { config: { policy: { roles: ['authority'] } }, schema: { tags, params: ZId, body: z.strictObject({ departmentId: z.uuid(), reason: z.string().trim().min(2).max(1000) }) } },
    async (req) => basicItems.reassignBasicItem(ctxOf(req, app), req.params.id, req.body),
  );

  api.get('/departments/:id/lists', { config: signedIn, schema: { tags, params: ZId } }, async (req) => ({ items: await lists.listDepartmentLists(ctxOf(req, app), req.params.id) }));
  api.post('/departments/:id/lists', { config: listKeepers, schema: { tags, params: ZId, body: ZListItemInput } }, async (req, reply) =>
    reply.code(201).send(await lists.addListItem(ctxOf(req, app), req.params.id, req.body)),
  );
  api.delete('/departments/:id/lists/:itemId', { config: listKeepers, schema: { tags, params: z.object({ id: z.uuid(), itemId: z.uuid() }) } }, async (req, reply) => {
    await lists.removeListItem(ctxOf(req, app), req.params.id, req.params.itemId);
    return reply.code(204).send();
  });
}
