/**
 * The authorization matrix of disputes (异议): every dispute route × the consumer department that
 * disputes shared data, the provider department responsible for it, a third department, the
 * overseers, nobody and the consumer's systems, with the status each cell must answer. The route
 * list is read from the running server, so a new dispute route without a row here fails the test.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect } from 'vitest';
import { BLIND, type Cast, makeCast, type Row, row as matrixRow, runMatrix, SEES } from '../../../test/authz-matrix.js';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { dibaoCitizenId, dibaoEntry } from '../../../test/sharing-fixtures.js';

// ---------------------------------------------------------------------------------------------
// Fixtures: disputes about the civil-affairs bureau's demo dataset (最低生活保障信息), driven
// through the real API into the state a row needs: fresh for rows that change them (and for
// lists), once for rows that only read.

type Fixtures = {
  code: string;
  /** A department dispute the consumer department filed, waiting for the platform's check. */
  filed(): Promise<string>;
  /** Transferred to the responsible department (the provider). */
  transferred(): Promise<string>;
  /** A person's objection taken by the authority's staff, waiting to be marked. */
  objection(): Promise<string>;
  readFiled(): Promise<string>;
  readTransferred(): Promise<string>;
  readResolved(): Promise<string>;
  readObjection(): Promise<string>;
};

const once = <T>(make: () => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
};

const departmentDispute = (code: string) => ({ kind: 'department_dispute', dataset: code, category: 'content', description: '低保状态与户籍死亡登记不一致。' });
const publicObjection = (code: string) => ({
  kind: 'public_objection',
  dataset: code,
  category: 'error',
  description: '本人已于2025年退出低保，平台仍显示在保。',
  idType: 'citizen_id',
  id: dibaoCitizenId(3),
  channel: 'counter',
});

// ---------------------------------------------------------------------------------------------
// The matrix.                    consumer provider third  c.editor authority supervisor admin  anon   share:query collection:write

const row = matrixRow<Fixtures>;
/** The requesting and the responsible department and the platform (the authority) see a department's dispute; nobody else learns it exists. */
const PARTIES = [200, 200, 404, 200, 200, 404, 404, 401, 403, 403] as const;
/** A step the consumer department's dispute is waiting for from the platform. */
const PLATFORM_STEP = [403, 403, 404, 403, 200, 403, 404, 401, 403, 403] as const;
/** A step the dispute is waiting for from the responsible department. */
const DEPARTMENT_STEP = [403, 200, 404, 403, 403, 403, 404, 401, 403, 403] as const;

const MATRIX: readonly Row<Fixtures>[] = [
  row('POST /api/v1/disputes', "dispute another department's dataset", async (fx) => ({ url: '/api/v1/disputes', body: departmentDispute(fx.code) }),
    [201, 422, 201, 201, 403, 403, 403, 401, 403, 403]),
  row('POST /api/v1/disputes', "take a person's objection at the counter", async (fx) => ({ url: '/api/v1/disputes', body: publicObjection(fx.code) }),
    [403, 403, 403, 403, 201, 403, 201, 401, 403, 403]),
  row('GET /api/v1/disputes', 'list disputes', async (fx) => ({ url: '/api/v1/disputes', find: await fx.filed() }),
    [SEES, SEES, BLIND, SEES, SEES, BLIND, BLIND, 401, 403, 403]),
  row('GET /api/v1/disputes/:id', "read a department's dispute", async (fx) => ({ url: `/api/v1/disputes/${await fx.readFiled()}` }), PARTIES),
  row('GET /api/v1/disputes/:id', "read a person's objection", async (fx) => ({ url: `/api/v1/disputes/${await fx.readObjection()}` }),
    [404, 200, 404, 404, 200, 404, 404, 401, 403, 403]),
  row('POST /api/v1/disputes/:id/actions', 'transfer a submitted dispute', async (fx) => ({ url: `/api/v1/disputes/${await fx.filed()}/actions`, body: { action: 'transfer', note: '请核查更正。' } }),
    PLATFORM_STEP),
  row('POST /api/v1/disputes/:id/actions', 'transfer a dispute transferred already', async (fx) => ({ url: `/api/v1/disputes/${await fx.readTransferred()}/actions`, body: { action: 'transfer' } }),
    [403, 403, 404, 403, 409, 403, 404, 401, 403, 403]),
  row('POST /api/v1/disputes/:id/actions', 'resolve a transferred dispute', async (fx) => ({
    url: `/api/v1/disputes/${await fx.transferred()}/actions`,
    body: { action: 'resolve', outcome: 'confirmed', note: '经核查，数据无误。' },
  }), DEPARTMENT_STEP),
  row('POST /api/v1/disputes/:id/actions', "mark the record of a person's objection", async (fx) => ({ url: `/api/v1/disputes/${await fx.objection()}/actions`, body: { action: 'mark' } }),
    [404, 403, 404, 404, 200, 403, 404, 401, 403, 403]),
  row('GET /api/v1/disputes/:id/report.pdf', 'download the report of a resolved dispute', async (fx) => ({ url: `/api/v1/disputes/${await fx.readResolved()}/report.pdf` }), PARTIES),
  row('GET /api/v1/disputes/:id/report.pdf', 'download the report of an open dispute', async (fx) => ({ url: `/api/v1/disputes/${await fx.readFiled()}/report.pdf` }),
    [409, 409, 404, 409, 409, 404, 404, 401, 403, 403]),
];

// ---------------------------------------------------------------------------------------------

let t: TestPlatform;
let cast: Cast;
let fx: Fixtures;

beforeAll(async () => {
  t = await startTestPlatform();
  cast = await makeCast(t);
  const { as } = cast;
  const send = async (cookie: string, method: string, url: string, body?: unknown, status = 200) => {
    const res: LightMyRequestResponse = await t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}) });
    expect(res.statusCode, `fixture ${method} ${url}: ${res.body}`).toBe(status);
    return res.json();
  };
  const { code } = await dibaoEntry(t);
  const filed = async () => (await send(as.consumerOfficer, 'POST', '/disputes', departmentDispute(code), 201)).id as string;
  const transferred = async () => {
    const id = await filed();
    await send(as.authority, 'POST', `/disputes/${id}/actions`, { action: 'transfer', note: '请核查更正。' });
    return id;
  };
  const objection = async () => (await send(as.authority, 'POST', '/disputes', publicObjection(code), 201)).id as string;
  fx = {
    code,
    filed,
    transferred,
    objection,
    readFiled: once(filed),
    readTransferred: once(transferred),
    readResolved: once(async () => {
      const id = await transferred();
      await send(as.providerOfficer, 'POST', `/disputes/${id}/actions`, { action: 'resolve', outcome: 'corrected', note: '已更正死亡人员的低保状态。' });
      return id;
    }),
    readObjection: once(objection),
  };
});
afterAll(async () => {
  await t?.close();
});

runMatrix({ rows: MATRIX, prefix: / \/api\/v1\/disputes(\/|$)/, minRoutes: 5, env: () => ({ t, cast, fx }) });
