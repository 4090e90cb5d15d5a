import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { createPlatform, type Platform } from '../src/app.js';
import { hashPassword } from '../src/domains/orgs/index.js';
import type { Role } from '../src/platform/actor.js';
import { fakeClock } from '../src/platform/clock.js';
import { uuidv7 } from '../src/platform/crypto/ids.js';
import { type Database, openPGlite, openPostgres } from '../src/platform/db/index.js';
import { usccCheckChar } from '../src/platform/validators/index.js';
import { withDatabase } from './global-setup.js';
import { TEST_NOW, TEST_PASSWORD, testConfig } from './harness-config.js';

export { TEST_NOW, TEST_PASSWORD } from './harness-config.js';

let cloneCounter = 0;

/** A fresh database cloned from a template made by the global setup. */
export async function cloneDatabase(kind: 'empty' | 'demo'): Promise<Database> {
  const prefix = inject('templatePrefix');
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const admin = await openPostgres(serverUrl, 1);
    const name = `${prefix}_${process.pid}_${Date.now() % 1e8}_${cloneCounter++}`;
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE ${prefix}_${kind}`);
    await admin.close();
    const database = await openPostgres(withDatabase(serverUrl, name), 5);
    const close = database.close;
    database.close = async () => {
      await close();
      const a = await openPostgres(serverUrl, 1);
      await a.exec(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
      await a.close();
    };
    return database;
  }
  const tar = fs.readFileSync(path.join(prefix, `${kind}.tar`));
  return openPGlite({ loadDataDir: new Blob([tar]) });
}

/** A running platform for one test file, with a fake clock and helpers to act as people. */
export type TestPlatform = Platform & {
  server: FastifyInstance;
  clock: ReturnType<typeof fakeClock>;
  /** Signs in and returns the session cookie header. */
  login(username: string, password?: string): Promise<string>;
  /** Calls the API as someone (cookie) or anonymously. */
  call(opts: { method: string; url: string; cookie?: string; body?: unknown; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Adds a user with roles in a department; returns its username. */
  makeUser(opts: { roles: Role[]; departmentId: string; username?: string }): Promise<string>;
  /** Adds a department; returns its id. */
  makeDepartment(opts?: { name?: string }): Promise<string>;
  /** The id of a department by name. */
  departmentId(name: string): Promise<string>;
};

/** Starts a platform on a cloned database ('demo' holds the demo city). */
export async function startTestPlatform(opts: { template?: 'empty' | 'demo'; config?: Record<string, string> } = {}): Promise<TestPlatform> {
  const database = await cloneDatabase(opts.template ?? 'demo');
  const clock = fakeClock(TEST_NOW);
  const platform = await createPlatform({ config: testConfig(opts.config), database, clock, seedDemo: false });
  const db = platform.app.database.db;
  let passwordHash: string | undefined;
  const call: TestPlatform['call'] = ({ method, url, cookie, body, headers }) =>
    platform.server.inject({
      method: method as 'GET',
      url,
      headers: { ...(cookie ? { cookie } : {}), ...(headers ?? {}) },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
  return {
    ...platform,
    clock,
    call,
    async login(username, password = TEST_PASSWORD) {
      const res = await call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password } });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'ht_session');
      return `ht_session=${cookie?.value}`;
    },
    async makeUser({ roles, departmentId, username }) {
      passwordHash ??= await hashPassword(TEST_PASSWORD);
      const name = username ?? `u${uuidv7().replace(/-/g, '').slice(-12)}`;
      const now = clock.now();
      await db
        .insertInto('users')
        .values({ id: uuidv7(), username: name, display_name: name, department_id: departmentId, password_hash: passwordHash, roles, password_changed_at: now, created_at: now })
        .execute();
      return name;
    },
    async makeDepartment({ name } = {}) {
      const id = uuidv7();
      const now = clock.now();
      const region = await db.selectFrom('regions').select('code').executeTakeFirst();
      let regionCode = region?.code;
      if (!regionCode) {
        regionCode = '441300';
        await db.insertInto('regions').values({ code: regionCode, name: '惠州市', name_en: 'Huizhou', parent_code: null }).execute();
      }
      // A valid code: authority and type, region, organisation code with its check, then the check character.
      const org = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
      const first17 = `11${regionCode}${org}${gb11714Check(org)}`;
      await db
        .insertInto('departments')
        .values({ id, name: name ?? `测试部门${id.slice(-6)}`, name_en: '', uscc: first17 + usccCheckChar(first17), region_code: regionCode, parent_id: null, kind: 'government', is_authority: false, created_at: now, updated_at: now })
        .execute();
      return id;
    },
    async departmentId(name) {
      const row = await db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow();
      return row.id;
    },
  };
}

/** GB 11714 check character of an 8-digit organisation code body. */
function gb11714Check(body: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, ch, i) => s + Number.parseInt(ch, 36) * (weights[i] as number), 0);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Demo department names used across tests. */
export const DEMO = {
  civil: '惠州市民政局',
  psb: '惠州市公安局',
  authority: '惠州市政务服务数据管理局',
  operator: '惠州市政务服务和数据管理中心',
} as const;

/**
 * A catalog entry (entryFields with the overrides) taken through the real workflow to
 * publication by its editor, a reviewer and the authority: a dataset collection can write to.
 * Returns its id, resource code and the API path of its dataset.
 */
export async function publishEntry(t: TestPlatform, as: { editor: string; reviewer: string; authority: string }, overrides: Record<string, unknown> = {}) {
  const expectStatus = (res: LightMyRequestResponse, status: number, what: string) => {
    if (res.statusCode !== status) throw new Error(`${what}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const created = expectStatus(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: as.editor, body: entryFields(overrides) }), 201, 'create entry');
  for (const [cookie, action] of [
    [as.editor, 'submit'],
    [as.reviewer, 'approve'],
    [as.authority, 'publish'],
  ] as const) {
    expectStatus(await t.call({ method: 'POST', url: `/api/v1/catalog/entries/${created.id}/transitions`, cookie, body: { action } }), 200, action);
  }
  const entry = expectStatus(await t.call({ method: 'GET', url: `/api/v1/catalog/entries/${created.id}`, cookie: as.editor }), 200, 'read entry');
  return { id: created.id as string, code: entry.code as string, url: `/datasets/${encodeURIComponent(entry.code)}` };
}

/** A complete, valid set of entry fields for tests; override what a test is about. */
export function entryFields(overrides: Record<string, unknown> = {}) {
  return {
    name: `测试目录${uuidv7().slice(-8)}`,
    nameEn: 'Test resource',
    summary: '用于测试的信息资源。',
    classification: 'departmental',
    classCode: '301001',
    keywords: ['测试'],
    formatCategory: 'database',
    formatType: 'PostgreSQL',
    shareType: 'unconditional',
    shareManner: ['api'],
    openType: 'none',
    updateFrequency: 'daily',
    items: [
      { name: '统一社会信用代码', nameEn: 'uscc', dataType: 'C', length: 18, required: true, isIdentifier: true },
      { name: '名称', nameEn: 'name', dataType: 'C', length: 200, required: true, isIdentifier: false },
    ],
    ...overrides,
  };
}
