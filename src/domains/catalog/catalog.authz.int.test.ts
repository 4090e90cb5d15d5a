/**
 * The authorization matrix of the catalog: every catalog route × every role × the department
 * that owns the resource and another one, with the status each cell must answer. The route list
 * is read from the running server, so a new catalog route without a row here fails the test.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entryFields, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { ROLES, type Role } from '../../platform/actor.js';

// ---------------------------------------------------------------------------------------------
// The columns: six roles in the owning department (own) and in another one (other), and nobody.

const ACTOR_ROLES = ['platform_admin', 'authority', 'dept_admin', 'catalog_editor', 'catalog_reviewer', 'sharing_officer', 'supervisor'] as const satisfies readonly Role[];
type Side = 'own' | 'other';
type Column = { role: Role | 'anonymous'; side: Side | null; who: string };
const COLUMNS: readonly Column[] = [
  ...ACTOR_ROLES.flatMap((role) =>
    (['own', 'other'] as const).map((side) => ({ role, side, who: `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} of ${side === 'own' ? 'the owning' : 'another'} department` })),
  ),
  { role: 'anonymous', side: null, who: 'an anonymous caller' },
];

/** Passed the route policy: any answer but 401/403, and never a 5xx (for routes whose body this file does not build). */
const ADMITTED = 'admitted';
type Expected = number | typeof ADMITTED;

type Req = { url: string; body?: unknown; headers?: Record<string, string> };
type Row = { route: string; label: string; optional: boolean; request: (fx: Fixtures) => Promise<Req>; expect: readonly Expected[] };

const row = (route: string, label: string, request: Row['request'], expected: readonly Expected[], optional = false): Row => ({ route, label, optional, request, expect: expected });

// ---------------------------------------------------------------------------------------------
// Fixtures: resources of the owning department in the state a row needs, made fresh for rows
// that change them, once for rows that only read.

type Fixtures = {
  own: string;
  other: string;
  draft(): Promise<string>;
  submitted(): Promise<string>;
  approved(): Promise<string>;
  published(): Promise<{ id: string; fields: ReturnType<typeof entryFields> }>;
  /** Published version 1 and an open draft version 2. */
  publishedWithDraft(): Promise<string>;
  /** Published version 1 and a submitted version 2. */
  publishedWithSubmitted(): Promise<string>;
  snapshot(): Promise<string>;
  basicItem(): Promise<string>;
  listItem(): Promise<string>;
  unique(): number;
};

const once = <T>(make: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
};

// ---------------------------------------------------------------------------------------------
// The matrix.                                         PA own/other  AU own/other  DA own/other  ED own/other  RV own/other  SO own/other  SU own/other  anon

const ALL = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401] as const;
const PUBLIC = [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200] as const;
/** Readable by the owning department and the overseers; hidden (404) from other departments. */
const INSIDERS = [200, 200, 200, 200, 200, 404, 200, 404, 200, 404, 200, 404, 200, 200, 401] as const;

let readDraft: () => Promise<string>;
let readPublished: () => Promise<string>;
let readPublishedWithDraft: () => Promise<string>;

const MATRIX: readonly Row[] = [
  row('GET /api/v1/tasks', 'home page tasks', async () => ({ url: '/api/v1/tasks' }), ALL),
  row('POST /api/v1/catalog/full-review', 'confirm the yearly full review', async () => ({ url: '/api/v1/catalog/full-review' }),
    [403, 403, 403, 403, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 401]),
  row('GET /api/v1/catalog/search', 'search published entries', async () => ({ url: '/api/v1/catalog/search?q=%E7%99%BB%E8%AE%B0' }), ALL),
  row('GET /api/v1/catalog/entries', 'list entries of a department', async (fx) => ({ url: `/api/v1/catalog/entries?departmentId=${fx.own}` }), ALL),
  row('POST /api/v1/catalog/entries', 'draft a new entry', async () => ({ url: '/api/v1/catalog/entries', body: entryFields() }),
    [403, 403, 403, 403, 403, 403, 201, 201, 403, 403, 403, 403, 403, 403, 401]),
  row('GET /api/v1/catalog/entries/:id', 'read a draft entry', async () => ({ url: `/api/v1/catalog/entries/${await readDraft()}` }), INSIDERS),
  row('GET /api/v1/catalog/entries/:id', 'read a published entry', async () => ({ url: `/api/v1/catalog/entries/${await readPublished()}` }), ALL),
  row('PUT /api/v1/catalog/entries/:id/draft', 'edit a draft', async (fx) => {
    const id = await fx.draft();
    return { url: `/api/v1/catalog/entries/${id}/draft`, body: { ...entryFields(), summary: '修改后的摘要。' } };
  }, [403, 403, 403, 403, 403, 403, 200, 404, 403, 403, 403, 403, 403, 403, 401]),
  row('PUT /api/v1/catalog/entries/:id/draft', 'edit a published version', async (fx) => {
    const { id, fields } = await fx.published();
    return { url: `/api/v1/catalog/entries/${id}/draft`, body: { ...fields, summary: '直接修改已发布版本。' } };
  }, [403, 403, 403, 403, 403, 403, 409, 403, 403, 403, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/versions', 'open a new version of a published entry', async (fx) => ({ url: `/api/v1/catalog/entries/${(await fx.published()).id}/versions` }),
    [403, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/transitions', 'submit a draft', async (fx) => ({ url: `/api/v1/catalog/entries/${await fx.draft()}/transitions`, body: { action: 'submit' } }),
    [403, 403, 403, 403, 403, 403, 200, 404, 403, 404, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/transitions', 'approve a submitted version', async (fx) => ({ url: `/api/v1/catalog/entries/${await fx.submitted()}/transitions`, body: { action: 'approve' } }),
    [403, 403, 403, 403, 403, 403, 403, 404, 200, 404, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/transitions', 'return a submitted version', async (fx) => ({ url: `/api/v1/catalog/entries/${await fx.submitted()}/transitions`, body: { action: 'return', reason: '请补充。' } }),
    [403, 403, 403, 403, 403, 403, 403, 404, 200, 404, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/transitions', 'approve a submitted new version of a published entry', async (fx) => ({ url: `/api/v1/catalog/entries/${await fx.publishedWithSubmitted()}/transitions`, body: { action: 'approve' } }),
    [403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/transitions', 'publish an approved version', async (fx) => ({ url: `/api/v1/catalog/entries/${await fx.approved()}/transitions`, body: { action: 'publish' } }),
    [403, 403, 200, 200, 403, 403, 403, 404, 403, 404, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/entries/:id/transitions', 'return an approved version', async (fx) => ({ url: `/api/v1/catalog/entries/${await fx.approved()}/transitions`, body: { action: 'return', reason: '请补充。' } }),
    [403, 403, 200, 200, 403, 403, 403, 404, 403, 404, 403, 403, 403, 403, 401]),
  row('GET /api/v1/catalog/entries/:id/versions/:n', 'read an unpublished draft version', async () => ({ url: `/api/v1/catalog/entries/${await readPublishedWithDraft()}/versions/2` }), INSIDERS),
  row('GET /api/v1/catalog/entries/:id/versions/:n', 'read a published version', async () => ({ url: `/api/v1/catalog/entries/${await readPublishedWithDraft()}/versions/1` }), ALL),
  row('GET /api/v1/catalog/entries/:id/diff', 'compare a published version with a draft', async () => ({ url: `/api/v1/catalog/entries/${await readPublishedWithDraft()}/diff?from=1&to=2` }), INSIDERS),
  row('GET /api/v1/catalog/review-queue', 'the review queue', async () => ({ url: '/api/v1/catalog/review-queue' }),
    [403, 403, 200, 200, 403, 403, 403, 403, 200, 200, 403, 403, 403, 403, 401]),
  row('GET /api/v1/catalog/snapshots', 'list publication snapshots', async () => ({ url: '/api/v1/catalog/snapshots' }), ALL),
  row('POST /api/v1/catalog/snapshots', 'make a publication snapshot', async (fx) => ({ url: '/api/v1/catalog/snapshots', body: { title: '公示', period: `${2100 + fx.unique()}-H1` } }),
    [403, 403, 201, 201, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
  row('GET /api/v1/catalog/snapshots/:id', 'read a publication snapshot', async (fx) => ({ url: `/api/v1/catalog/snapshots/${await fx.snapshot()}` }), ALL),
  row('GET /api/v1/catalog/basic-items', 'list basic data items', async () => ({ url: '/api/v1/catalog/basic-items' }), ALL),
  row('POST /api/v1/catalog/basic-items', 'claim a basic data item', async (fx) => ({ url: '/api/v1/catalog/basic-items', body: { subject: 'legal_person', category: '矩阵测试', name: `矩阵测试项${fx.unique()}` } }),
    [403, 403, 403, 403, 201, 201, 201, 201, 403, 403, 403, 403, 403, 403, 401]),
  row('POST /api/v1/catalog/basic-items/:id/reassign', 'reassign a basic data item', async (fx) => ({ url: `/api/v1/catalog/basic-items/${await fx.basicItem()}/reassign`, body: { departmentId: fx.other, reason: '调整采集责任。' } }),
    [403, 403, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 401]),
  row('GET /api/v1/departments/:id/lists', "read a department's lists", async (fx) => ({ url: `/api/v1/departments/${fx.own}/lists` }), ALL),
  row('POST /api/v1/departments/:id/lists', "add to a department's lists", async (fx) => ({ url: `/api/v1/departments/${fx.own}/lists`, body: { kind: 'demand', title: '矩阵测试需求' } }),
    [403, 403, 201, 201, 201, 403, 201, 403, 403, 403, 403, 403, 403, 403, 401]),
  row('DELETE /api/v1/departments/:id/lists/:itemId', "remove from a department's lists", async (fx) => ({ url: `/api/v1/departments/${fx.own}/lists/${await fx.listItem()}` }),
    [403, 403, 204, 204, 204, 403, 204, 403, 403, 403, 403, 403, 403, 403, 401]),
  // Spreadsheet and linked-data exchange (another module; rows apply once the routes exist).
  row('POST /api/v1/catalog/import', 'import entries from a spreadsheet', async () => ({ url: '/api/v1/catalog/import', body: {} }),
    [403, 403, 403, 403, 403, 403, ADMITTED, ADMITTED, 403, 403, 403, 403, 403, 403, 401], true),
  row('GET /api/v1/catalog/export.xlsx', 'export the catalog as a spreadsheet', async () => ({ url: '/api/v1/catalog/export.xlsx' }), ALL, true),
  row('GET /api/v1/catalog/export.jsonld', 'export the catalog as linked data', async () => ({ url: '/api/v1/catalog/export.jsonld' }), PUBLIC, true),
];

// ---------------------------------------------------------------------------------------------

/** Every method + path the running server answers, read from `printRoutes` (HEAD twins left out). */
function servedRoutes(server: FastifyInstance): string[] {
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const url = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (m[2] ?? '');
    stack[depth] = url;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) if (method !== 'HEAD') out.push(`${method} ${url}`);
  }
  return out;
}

/** The catalog's routes: the catalog itself, the home-page tasks and the department lists. */
const isCatalogRoute = (route: string) => / \/api\/v1\/(catalog(\/|$)|tasks$|departments\/:id\/lists(\/|$))/.test(route);

let t: TestPlatform;
let served: string[] = [];
const cookies = new Map<string, string>();
let fx: Fixtures;

beforeAll(async () => {
  t = await startTestPlatform();
  served = servedRoutes(t.server);
  const own = await t.makeDepartment({ name: '矩阵测试本部门' });
  const other = await t.makeDepartment({ name: '矩阵测试他部门' });
  for (const c of COLUMNS) {
    if (c.role === 'anonymous') continue;
    const username = await t.makeUser({ roles: [c.role], departmentId: c.side === 'own' ? own : other });
    cookies.set(`${c.role}:${c.side}`, await t.login(username));
  }
  // The people who prepare fixtures are not among the columns, so no cell acts on its own work.
  const editor = await t.login(await t.makeUser({ roles: ['catalog_editor'], departmentId: own }));
  const reviewer = await t.login(await t.makeUser({ roles: ['catalog_reviewer'], departmentId: own }));
  const authority = await t.login('authority');

  const send = async (cookie: string, method: string, url: string, body?: unknown, status = 200) => {
    const res = await t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}) });
    expect(res.statusCode, `fixture ${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const move = (id: string, cookie: string, action: string) => send(cookie, 'POST', `/catalog/entries/${id}/transitions`, { action });
  const draft = async () => {
    const fields = entryFields();
    return { id: (await send(editor, 'POST', '/catalog/entries', fields, 201)).id as string, fields };
  };
  const submitted = async () => {
    const e = await draft();
    await move(e.id, editor, 'submit');
    return e;
  };
  const approved = async () => {
    const e = await submitted();
    await move(e.id, reviewer, 'approve');
    return e;
  };
  const published = async () => {
    const e = await approved();
    await move(e.id, authority, 'publish');
    return e;
  };
  const publishedWithDraft = async () => {
    const e = await published();
    await send(editor, 'POST', `/catalog/entries/${e.id}/versions`, undefined, 201);
    await send(editor, 'PUT', `/catalog/entries/${e.id}/draft`, { ...e.fields, summary: '第二版摘要。' });
    return e.id;
  };
  let counter = 0;
  fx = {
    own,
    other,
    draft: async () => (await draft()).id,
    submitted: async () => (await submitted()).id,
    approved: async () => (await approved()).id,
    published,
    publishedWithDraft,
    publishedWithSubmitted: async () => {
      const id = await publishedWithDraft();
      await move(id, editor, 'submit');
      return id;
    },
    snapshot: once(async () => (await send(authority, 'POST', '/catalog/snapshots', { title: '矩阵测试公示', period: '2099-H2' }, 201)).id as string),
    basicItem: async () => (await send(editor, 'POST', '/catalog/basic-items', { subject: 'legal_person', category: '矩阵测试', name: `矩阵改派项${++counter}` }, 201)).id as string,
    listItem: async () => (await send(editor, 'POST', `/departments/${own}/lists`, { kind: 'negative', title: `矩阵负面清单${++counter}` }, 201)).id as string,
    unique: () => ++counter,
  };
  readDraft = once(fx.draft);
  readPublished = once(async () => (await fx.published()).id);
  readPublishedWithDraft = once(fx.publishedWithDraft);
});
afterAll(async () => {
  await t.close();
});

describe('the matrix itself', () => {
  it('has a column for every role, in the owning and in another department, and one for anonymous callers', () => {
    expect([...ACTOR_ROLES].sort()).toEqual([...ROLES].sort());
    expect(COLUMNS).toHaveLength(ROLES.length * 2 + 1);
  });

  it('gives every row one expected status per column', () => {
    for (const r of MATRIX) expect(r.expect, `${r.route} (${r.label})`).toHaveLength(COLUMNS.length);
  });

  it('has a row for every catalog route the running server answers', () => {
    const catalogRoutes = served.filter(isCatalogRoute);
    expect(catalogRoutes.length).toBeGreaterThanOrEqual(20);
    const covered = new Set(MATRIX.map((r) => r.route));
    expect(catalogRoutes.filter((r) => !covered.has(r)), 'catalog routes without a matrix row').toEqual([]);
  });

  it('has no row for a route the server does not answer, except the optional exchange routes', () => {
    const missing = MATRIX.filter((r) => !r.optional && !served.includes(r.route)).map((r) => r.route);
    expect(missing).toEqual([]);
  });
});

for (const r of MATRIX) {
  describe(`${r.route} — ${r.label}`, () => {
    COLUMNS.forEach((c, i) => {
      const expected = r.expect[i] as Expected;
      const outcome = expected === ADMITTED ? 'is admitted' : `gets ${expected}`;
      it(`${c.who} ${outcome}`, async (ctx) => {
        if (r.optional && !served.includes(r.route)) ctx.skip();
        const req = await r.request(fx);
        const [method] = r.route.split(' ');
        const cookie = c.role === 'anonymous' ? undefined : cookies.get(`${c.role}:${c.side}`);
        const res = await t.call({ method: method as string, url: req.url, ...(cookie ? { cookie } : {}), ...(req.body !== undefined ? { body: req.body } : {}), ...(req.headers ? { headers: req.headers } : {}) });
        const seen = `${res.statusCode} ${res.body.slice(0, 300)}`;
        if (expected === ADMITTED) {
          expect([401, 403], seen).not.toContain(res.statusCode);
          expect(res.statusCode, seen).toBeLessThan(500);
        } else {
          expect(res.statusCode, seen).toBe(expected);
        }
        if (res.statusCode >= 400) {
          expect(res.headers['content-type'], seen).toMatch(/^application\/problem\+json/);
        }
        if (res.statusCode === 403) {
          // Every refusal leaves an audit entry naming the person and the route.
          const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', res.json().requestId).execute();
          expect(audit, seen).toEqual([expect.objectContaining({ action: 'access.denied', outcome: 'denied', target_type: 'route', target_id: `${method} ${r.route.split(' ')[1]}` })]);
        }
      });
    });
  });
}

// An API client (machine credential) of the owning department holding every scope reaches no
// catalog route that people must sign in for: 403, audited; public rows stay open to it.
describe('an API client of the owning department', () => {
  let authorization = '';
  beforeAll(async () => {
    const res = await t.call({
      method: 'POST',
      url: '/api/v1/api-clients',
      cookie: cookies.get('dept_admin:own') as string,
      body: { name: '矩阵测试前置机', scopes: ['collection:write'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    authorization = res.json().authorization;
  });
  for (const r of MATRIX) {
    const isPublic = r.expect[r.expect.length - 1] !== 401;
    it(`${isPublic ? 'is admitted to' : 'gets 403 on'} ${r.route} — ${r.label}`, async (ctx) => {
      if (r.optional && !served.includes(r.route)) ctx.skip();
      const req = await r.request(fx);
      const [method] = r.route.split(' ');
      const res = await t.call({ method: method as string, url: req.url, headers: { ...(req.headers ?? {}), authorization }, ...(req.body !== undefined ? { body: req.body } : {}) });
      const seen = `${res.statusCode} ${res.body.slice(0, 300)}`;
      if (isPublic) {
        expect([401, 403], seen).not.toContain(res.statusCode);
        expect(res.statusCode, seen).toBeLessThan(500);
        return;
      }
      expect(res.statusCode, seen).toBe(403);
      const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', res.json().requestId).execute();
      expect(audit, seen).toEqual([expect.objectContaining({ action: 'access.denied', outcome: 'denied', target_type: 'route' })]);
    });
  }
});
