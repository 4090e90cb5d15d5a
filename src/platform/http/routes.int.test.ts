import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { ROUTE_MODULES } from '../../app.js';
import { ANONYMOUS_ACTOR, type Actor, CLIENT_SCOPES, ROLES } from '../actor.js';
import type { RoutePolicy } from './policy.js';
import { buildServer, type RouteModule } from './server.js';

type Route = { method: string; url: string };
type DeclaredRoute = Route & { policy: RoutePolicy | undefined };

/** Every method + path the running server answers, read from `printRoutes` (HEAD twins left out). */
function servedRoutes(server: FastifyInstance): Route[] {
  const out: Route[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    const url = (depth > 0 ? (stack[depth - 1] ?? '') : '') + (m[2] ?? '');
    stack[depth] = url;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) if (method !== 'HEAD') out.push({ method, url });
  }
  return out;
}

/** A concrete URL for a route pattern: a fresh-looking uuid for ids, something plausible for the rest. */
function fillPath(url: string, id = '01900000-0000-7000-8000-000000000000'): string {
  // `::` is a literal colon (`/subjects::query` serves `/subjects:query`), not a parameter.
  return url
    .split('::')
    .map((part) => part.replace(/:(\w+)/g, (_m, name: string) => ({ n: '1', role: 'leader', year: '2030' })[name] ?? id))
    .join(':');
}

/** A declared route's path as the server prints and serves it (`::` unescaped). */
const literalPath = (url: string) => url.replace(/::/g, ':');

/** True when a route's policy admits API clients only (no person's role). */
const clientsOnly = (p: RoutePolicy | undefined) => !!p && 'roles' in p && p.roles.length === 0 && !!p.clients;

const key = (r: Route) => `${r.method} ${r.url}`;

let t: TestPlatform;
let declared: DeclaredRoute[] = [];
let everything: string; // a user holding every role, so no route policy stands in the way
beforeAll(async () => {
  t = await startTestPlatform();
  // A second server built from the same route modules, with an onRoute hook in front of them.
  const collector: RouteModule = (api) => {
    api.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') declared.push({ method, url: route.url, policy: route.config?.policy });
      }
    });
  };
  declared = [];
  const probe = await buildServer({ app: t.app, routes: [collector, ...ROUTE_MODULES], resolveActor: async () => ANONYMOUS_ACTOR });
  await probe.ready();
  await probe.close();
  everything = await t.login(await t.makeUser({ roles: [...ROLES], departmentId: await t.departmentId(DEMO.civil) }));
});
afterAll(async () => {
  await t.close();
});

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, `${res.statusCode} ${res.body.slice(0, 300)}`).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ type: 'about:blank', status, requestId: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  if (code) expect(body.code).toBe(code);
}

describe('route policies', () => {
  it('declares a policy of a known kind on every route under /api/v1', () => {
    expect(declared.length).toBeGreaterThan(30);
    for (const r of declared) {
      expect(r.url.startsWith('/api/v1/'), key(r)).toBe(true);
      const p = r.policy as Record<string, unknown> | undefined;
      expect(p, `${key(r)} has no policy`).toBeDefined();
      // One kind; a roles policy may also admit API clients by a known scope.
      const kinds = Object.keys(p ?? {}).filter((k) => !('roles' in (p ?? {}) && k === 'clients'));
      expect(kinds, key(r)).toHaveLength(1);
      if (p && 'clients' in p) {
        expect(Object.keys(p), key(r)).toContain('roles');
        expect(CLIENT_SCOPES, key(r)).toContain((p.clients as { scope?: string } | undefined)?.scope);
      }
      if ('public' in (p ?? {})) expect(p?.public).toBe(true);
      else if ('signedIn' in (p ?? {})) expect(p?.signedIn).toBe(true);
      else {
        const roles = p?.roles as string[];
        expect(Array.isArray(roles), key(r)).toBe(true);
        // A route for department systems only admits API clients by scope and no person.
        if (!('clients' in (p ?? {}))) expect(roles.length, key(r)).toBeGreaterThan(0);
        for (const role of roles) expect(ROLES, key(r)).toContain(role);
      }
    }
  });

  it('refuses an API client with 403 on every route that does not admit its scope, and admits it where one does', async () => {
    const client: Actor = { kind: 'client', id: '01900000-0000-7000-8000-0000000000c1', name: 'client:probe', departmentId: null, roles: [], scopes: [...CLIENT_SCOPES] };
    const server = await buildServer({ app: t.app, routes: ROUTE_MODULES, resolveActor: async () => client });
    try {
      for (const r of declared) {
        const p = r.policy as Record<string, unknown> | undefined;
        if (!p || 'public' in p) continue;
        const res = await server.inject({ method: r.method as 'GET', url: fillPath(r.url) });
        // Past the route policy (the service may still refuse, e.g. another department's dataset).
        if ('clients' in p) expect(res.body, key(r)).not.toContain('API clients may call this only');
        else expect(res.statusCode, `${key(r)}: ${res.body.slice(0, 200)}`).toBe(403);
      }
    } finally {
      await server.close();
    }
  });

  it('sees through the onRoute hook exactly the API routes the running server answers', () => {
    const served = servedRoutes(t.server).filter((r) => r.url.startsWith('/api/v1/')).map(key).sort();
    expect(served.length).toBeGreaterThan(30);
    expect(declared.map((r) => key({ ...r, url: literalPath(r.url) })).sort()).toEqual(served);
  });

  it('refuses to build a server with an API route that declares no policy', async () => {
    const careless: RouteModule = (api) => {
      api.get('/careless', async () => ({ ok: true }));
    };
    await expect(buildServer({ app: t.app, routes: [careless], resolveActor: async () => ANONYMOUS_ACTOR })).rejects.toThrow(/GET \/api\/v1\/careless declares no policy/);
  });

  it('checks who is asking before reading the body', async () => {
    const bad = { body: '{"name":', headers: { 'content-type': 'application/json' } };
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', ...bad }), 401, 'UNAUTHENTICATED');
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: await t.login('reviewer'), ...bad }), 403, 'FORBIDDEN');
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: await t.login('editor'), ...bad }), 400, 'BAD_REQUEST');
  });
});

describe('errors as problem+json', () => {
  it.each([
    ['GET', '/api/v1/nothing-here'],
    ['POST', '/api/v1/catalog/nothing-here'],
    ['DELETE', '/api/v1/catalog/search'],
    ['GET', '/api/v2/catalog/search'],
    ['GET', '/nothing-here'],
  ])('answers %s %s with 404 problem+json', async (method, url) => {
    const res = await t.call({ method, url, cookie: everything });
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.json().instance).toBe(url);
  });

  it('answers malformed JSON on every route that takes a body with 400 problem+json, never 500', async () => {
    const writes = declared.filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(15);
    for (const r of writes) {
      for (const body of ['{"name":', '{"a":1}}', "{'a':1}", '\u0000']) {
        const res = await t.call({ method: r.method, url: fillPath(r.url), cookie: everything, body, headers: { 'content-type': 'application/json' } });
        // A person never gets past the policy of a route for API clients only: refused before the body is read.
        const [status, code] = clientsOnly(r.policy) ? [403, 'FORBIDDEN'] : [400, 'BAD_REQUEST'];
        expect(res.statusCode, `${key(r)} with ${JSON.stringify(body)}: ${res.body.slice(0, 200)}`).toBe(status);
        expectProblem(res, status, code);
      }
    }
  });

  it('answers an unsupported content type with 415 problem+json', async () => {
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: everything, body: '<entry/>', headers: { 'content-type': 'application/xml' } }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an oversized body with 413 problem+json', async () => {
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: everything, body: entryFields({ summary: '长'.repeat(1_200_000) }) }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('never answers 500 to a GET with placeholder or nonsense path values', async () => {
    const reads = declared.filter((r) => r.method === 'GET');
    for (const r of reads) {
      for (const url of [fillPath(r.url), fillPath(r.url, 'not-an-id'), `${fillPath(r.url)}?page=0&pageSize=x&from=x&to=x&q=%25_%5C`]) {
        const res = await t.call({ method: 'GET', url, cookie: everything });
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      }
    }
  });

  it('refuses the NUL character in a body or a query as 422 naming the field, instead of failing in the database', async () => {
    const body = await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: everything, body: entryFields({ summary: 'a\u0000b' }) });
    expectProblem(body, 422, 'VALIDATION_FAILED');
    expect(body.json().errors).toEqual([expect.objectContaining({ field: 'summary', rule: 'no_nul_character' })]);
    const nested = await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: everything, body: entryFields({ items: [{ name: 'x\u0000', nameEn: 'x', dataType: 'M' }] }) });
    expect(nested.json().errors).toEqual([expect.objectContaining({ field: 'items[0].name' })]);
    const query = await t.call({ method: 'GET', url: '/api/v1/catalog/search?q=%00', cookie: everything });
    expectProblem(query, 422, 'VALIDATION_FAILED');
    expect(query.json().errors).toEqual([expect.objectContaining({ field: 'query.q' })]);
    const deep = await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: everything, body: `${'['.repeat(100_000)}${']'.repeat(100_000)}`, headers: { 'content-type': 'application/json' } });
    expect(deep.statusCode).toBeLessThan(500);
  });
});

describe('operations endpoints', () => {
  it('reports liveness on /healthz', async () => {
    const res = await t.call({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('reports readiness with the database kind on /readyz', async () => {
    const res = await t.call({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', database: t.app.database.kind });
  });

  it('exposes Prometheus metrics including request durations by route', async () => {
    await t.call({ method: 'GET', url: '/healthz' });
    const res = await t.call({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/huitong_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"/);
    expect(res.body).toMatch(/process_cpu_user_seconds_total/);
  });

  it('serves an OpenAPI 3.1 document that lists every API route', async () => {
    const res = await t.call({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info).toMatchObject({ title: expect.stringContaining('Huitong'), version: expect.any(String) });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie' });
    for (const r of declared) {
      const path = r.url
        .split('::')
        .map((part) => part.replace(/:(\w+)/g, '{$1}'))
        .join(':');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${key(r)} is missing from the OpenAPI document`).toBeDefined();
    }
    expect(doc.paths['/api/openapi.json']).toBeUndefined();
  });

  it('describes request bodies and parameters from the same schemas that validate them', async () => {
    const doc = (await t.call({ method: 'GET', url: '/api/openapi.json' })).json();
    const create = doc.paths['/api/v1/catalog/entries'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['name', 'summary', 'classification', 'classCode', 'shareType', 'openType']));
    expect(schema.additionalProperties).toBe(false);
    const version = doc.paths['/api/v1/catalog/entries/{id}/versions/{n}'].get;
    expect(version.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(['path:id', 'path:n']));
  });

  it('puts security headers on every answer', async () => {
    const res = await t.call({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
  });
});
