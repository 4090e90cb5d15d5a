import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { DEMO, type TestPlatform } from './harness.js';

/**
 * The authorization matrices of sharing and disputes (src/domains/sharing/sharing.authz.int.test.ts,
 * src/domains/disputes/disputes.authz.int.test.ts): who calls (the columns), the routes the running
 * server answers, and the runner that checks every cell of a table of rows.
 */

// ---------------------------------------------------------------------------------------------
// The columns: the two departments of a share request, a third one, the overseers, nobody, and
// the consumer department's two kinds of system.

export const COLUMNS = [
  { key: 'consumer', who: "the consumer department's sharing officer" },
  { key: 'provider', who: "the provider department's sharing officer" },
  { key: 'third', who: "a third department's sharing officer" },
  { key: 'consumerEditor', who: "the consumer department's catalog editor" },
  { key: 'authority', who: 'the authority' },
  { key: 'supervisor', who: 'the supervisor' },
  { key: 'admin', who: 'the platform administrator' },
  { key: 'anonymous', who: 'an anonymous caller' },
  { key: 'queryClient', who: "the consumer department's API client with share:query" },
  { key: 'collectClient', who: "the consumer department's API client with only collection:write" },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]['key'];

/** 200, and the row's resource is in the answer (lists). */
export const SEES = 'sees';
/** 200, and the row's resource is not in the answer (lists). */
export const BLIND = 'blind';
export type Expected = number | typeof SEES | typeof BLIND;

/** A cell's request; `find` is the id a list row looks for in the answer. */
export type Req = { url: string; body?: unknown; headers?: Record<string, string>; find?: string };
export type Row<F> = { route: string; label: string; request: (fx: F) => Promise<Req>; expect: readonly Expected[] };

/** One row: `route` as the server prints it (method and path), a label, how to build the request, one expectation per column. */
export const row = <F>(route: string, label: string, request: (fx: F) => Promise<Req>, expected: readonly Expected[]): Row<F> => ({ route, label, request, expect: expected });

// ---------------------------------------------------------------------------------------------
// The cast: departments, the columns' credentials, and the people who prepare fixtures (none of
// them a column, so no cell acts on its own work).

export type Cast = {
  /** Department ids: the consumer (a new department), the provider (the demo civil-affairs bureau), a third (new). */
  consumer: string;
  provider: string;
  third: string;
  callers: Record<ColumnKey, { cookie?: string; authorization?: string }>;
  /** Session cookies of the fixture people. */
  as: { consumerOfficer: string; providerOfficer: string; editor: string; reviewer: string; authority: string };
};

/** Makes the departments, the columns' people and API clients, and the fixture people. */
export async function makeCast(t: TestPlatform): Promise<Cast> {
  const provider = await t.departmentId(DEMO.civil);
  const consumer = await t.makeDepartment({ name: '矩阵测试申请局' });
  const third = await t.makeDepartment({ name: '矩阵测试旁观局' });
  const person = async (roles: Parameters<TestPlatform['makeUser']>[0]['roles'], departmentId: string) => t.login(await t.makeUser({ roles, departmentId }));
  const consumerAdmin = await person(['dept_admin'], consumer);
  const client = async (scopes: string[]) => {
    const res = await t.call({ method: 'POST', url: '/api/v1/api-clients', cookie: consumerAdmin, body: { name: `矩阵测试前置机-${scopes.join('-')}`, scopes } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().authorization as string;
  };
  const callers: Cast['callers'] = {
    consumer: { cookie: await person(['sharing_officer'], consumer) },
    provider: { cookie: await person(['sharing_officer'], provider) },
    third: { cookie: await person(['sharing_officer'], third) },
    consumerEditor: { cookie: await person(['catalog_editor'], consumer) },
    authority: { cookie: await t.login('authority') },
    supervisor: { cookie: await t.login('supervisor') },
    admin: { cookie: await t.login('admin') },
    anonymous: {},
    queryClient: { authorization: await client(['share:query']) },
    collectClient: { authorization: await client(['collection:write']) },
  };
  return {
    consumer,
    provider,
    third,
    callers,
    as: {
      consumerOfficer: await person(['sharing_officer'], consumer),
      providerOfficer: await person(['sharing_officer'], provider),
      editor: await t.login('editor'),
      reviewer: await t.login('reviewer'),
      authority: await person(['authority'], await t.departmentId(DEMO.authority)),
    },
  };
}

// ---------------------------------------------------------------------------------------------

/** Every method + path the running server answers, read from `printRoutes` (HEAD twins left out). */
export function servedRoutes(server: FastifyInstance): string[] {
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

/** What a cell expects, as its test name says it. */
const outcome = (e: Expected) => (e === SEES ? 'gets 200 listing it' : e === BLIND ? 'gets 200 without it' : `gets ${e}`);

/**
 * The matrix's own checks (a row for every served route under `prefix`, none for a route not
 * served, one expectation per column) and one test per cell: the exact status, problem+json for
 * every refusal, and one denied audit entry naming the person and the route for every 403.
 */
export function runMatrix<F>(opts: { rows: readonly Row<F>[]; prefix: RegExp; minRoutes: number; env: () => { t: TestPlatform; cast: Cast; fx: F } }): void {
  const { rows, prefix } = opts;

  describe('the matrix itself', () => {
    it('gives every row one expected status per column', () => {
      for (const r of rows) expect(r.expect, `${r.route} (${r.label})`).toHaveLength(COLUMNS.length);
    });

    it('has a row for every route of its domains the running server answers, and none for a route it does not', () => {
      const served = servedRoutes(opts.env().t.server).filter((r) => prefix.test(r));
      expect(served.length).toBeGreaterThanOrEqual(opts.minRoutes);
      const covered = new Set(rows.map((r) => r.route));
      expect(served.filter((r) => !covered.has(r)), 'routes without a matrix row').toEqual([]);
      expect([...covered].filter((r) => !served.includes(r)), 'rows for routes the server does not answer').toEqual([]);
    });
  });

  for (const r of rows) {
    describe(`${r.route} — ${r.label}`, () => {
      COLUMNS.forEach((c, i) => {
        const expected = r.expect[i] as Expected;
        it(`${c.who} ${outcome(expected)}`, async () => {
          const { t, cast, fx } = opts.env();
          const req = await r.request(fx);
          const [method, path] = r.route.split(' ') as [string, string];
          const { cookie, authorization } = cast.callers[c.key];
          const res = await t.call({
            method,
            url: req.url,
            ...(cookie ? { cookie } : {}),
            headers: { ...(req.headers ?? {}), ...(authorization ? { authorization } : {}) },
            ...(req.body !== undefined ? { body: req.body } : {}),
          });
          const seen = `${res.statusCode} ${res.body.slice(0, 300)}`;
          if (expected === SEES || expected === BLIND) {
            expect(res.statusCode, seen).toBe(200);
            expect(req.find, 'a list row names the id it looks for').toBeTruthy();
            expect(res.body.includes(req.find as string), `${req.find} in ${seen}`).toBe(expected === SEES);
          } else {
            expect(res.statusCode, seen).toBe(expected);
          }
          if (res.statusCode >= 400) expect(res.headers['content-type'], seen).toMatch(/^application\/problem\+json/);
          if (res.statusCode === 403) {
            // Every refusal leaves one audit entry naming the caller and the route.
            const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', res.json().requestId).execute();
            expect(audit, seen).toEqual([expect.objectContaining({ action: expect.stringMatching(/^(access\.denied|share\.query_denied)$/), outcome: 'denied', target_type: 'route' })]);
            // The route as registered, where Fastify writes a literal colon as '::' (POST /api/v1/subjects::query).
            expect(String(audit[0]?.target_id).replaceAll('::', ':'), seen).toBe(`${method} ${path}`);
            expect(audit[0]?.actor_id ?? null, seen).not.toBeNull();
          }
        });
      });
    });
  }
}
