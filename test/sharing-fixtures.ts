import type { LightMyRequestResponse } from 'fastify';
import { invalidateGrantCache } from '../src/domains/sharing/query/index.js';
import { DEMO_RECIPIENTS, demoCitizenId, demoRecipient } from '../src/domains/demo/demo-collection.js';
import { uuidv7 } from '../src/platform/crypto/ids.js';
import type { TestPlatform } from './harness.js';

/**
 * Grants written straight into the tables (a share request row and its grant), for tests of the
 * query API that need a grant without walking the whole request workflow; and the demo city's
 * minimum living allowance recipients (最低生活保障信息), as its generator makes them.
 */

/** The demo dataset's catalog entry name. */
export const DIBAO_ENTRY = '最低生活保障信息';
/** Recipients in the demo dataset (indexes 0 … 239). */
export const DIBAO_RECIPIENTS = DEMO_RECIPIENTS;
/** The data items of the demo dataset, by English name. */
export const DIBAO_ITEMS = [
  'name',
  'citizen_id_number',
  'minimum_living_allowance_certificate_number',
  'assistance_category',
  'household_size',
  'monthly_allowance',
  'approval_date',
  'issuing_authority_name',
  'assistance_status',
] as const;
export type DibaoItem = (typeof DIBAO_ITEMS)[number];

/** The citizen ID number of demo recipient i (as src/domains/demo/demo-collection.ts makes it). */
export const dibaoCitizenId = demoCitizenId;

/** The stored (normalised) values of demo recipient i, by item. */
export function dibaoRecipient(i: number): Record<DibaoItem, string | number> {
  return demoRecipient(i).values;
}

/** The published catalog entry of the demo dataset: id, code, version, provider. */
export async function dibaoEntry(t: TestPlatform) {
  return t.app.database.db
    .selectFrom('catalog_entries as e')
    .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.published_version'))
    .select(['e.id', 'e.code', 'e.published_version as version', 'e.department_id as providerId', 'v.name'])
    .where('v.name', '=', DIBAO_ENTRY)
    .executeTakeFirstOrThrow();
}

export type GrantFixture = {
  consumerDepartmentId: string;
  entryId: string;
  items: { nameEn: string; name?: string; masking: 'none' | 'partial' }[];
  status?: 'active' | 'revoked' | 'lapsed';
  validFrom?: Date | string;
  validUntil?: string;
  dailyQuota?: number;
  purpose?: string;
};

let requestCounter = 0;

/**
 * Writes a provided share request and its grant for the entry (provider = the entry's
 * department), and tells the query API of this process about it. Returns the grant id.
 * Defaults: active, valid from a year before the test clock until the end of 2027, quota 10,000.
 */
export async function makeGrant(t: TestPlatform, g: GrantFixture): Promise<string> {
  const db = t.app.database.db;
  const entry = await db.selectFrom('catalog_entries').select(['id', 'department_id', 'published_version']).where('id', '=', g.entryId).executeTakeFirstOrThrow();
  const now = t.clock.now();
  const requestId = uuidv7();
  const grantId = uuidv7();
  const createdBy = (await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const items = g.items.map((i) => ({ nameEn: i.nameEn, name: i.name ?? i.nameEn, masking: i.masking }));
  const purpose = g.purpose ?? '办理医疗救助时核验低保身份';
  const status = g.status ?? 'active';
  await db
    .insertInto('share_requests')
    .values({
      id: requestId,
      no: `GXT${Date.now() % 1e9}${String(requestCounter++).padStart(5, '0')}`,
      entry_id: entry.id,
      entry_version: entry.published_version ?? 1,
      consumer_department_id: g.consumerDepartmentId,
      provider_department_id: entry.department_id,
      share_type: 'conditional',
      items: JSON.stringify(items.map((i) => ({ nameEn: i.nameEn, name: i.name, duty: '核验救助对象身份' }))),
      purpose,
      scope: '本部门医疗救助业务',
      legal_basis: '《社会救助暂行办法》',
      period_from: '2026-01-01',
      period_until: '2027-12-31',
      status: 'provided',
      decision: JSON.stringify({ items: items.map((i) => ({ nameEn: i.nameEn, granted: true, masking: i.masking })), reason: '', legalBasis: '', dailyQuota: g.dailyQuota ?? 10_000 }),
      grant_id: grantId,
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('grants')
    .values({
      id: grantId,
      request_id: requestId,
      consumer_department_id: g.consumerDepartmentId,
      provider_department_id: entry.department_id,
      entry_id: entry.id,
      items: JSON.stringify(items),
      purpose,
      legal_basis: '《社会救助暂行办法》',
      valid_from: g.validFrom ?? new Date(now.getTime() - 365 * 86_400_000),
      valid_until: g.validUntil ?? '2027-12-31',
      daily_quota: g.dailyQuota ?? 10_000,
      status,
      revoked_at: status === 'revoked' ? now : null,
      revoke_reason: status === 'revoked' ? '测试撤销' : null,
      lapsed_at: status === 'lapsed' ? now : null,
      created_at: now,
    })
    .execute();
  invalidateGrantCache(t.app, g.consumerDepartmentId);
  return grantId;
}

/** Revokes a grant in the table, as the provider would (no cache is told: the query API must notice by itself). */
export async function revokeGrantInTable(t: TestPlatform, grantId: string): Promise<void> {
  await t.app.database.db.updateTable('grants').set({ status: 'revoked', revoked_at: t.clock.now(), revoke_reason: '测试撤销' }).where('id', '=', grantId).execute();
}

/** A new department with an API client holding `share:query`: its id and `Authorization` header value. */
export async function makeQueryClient(t: TestPlatform, opts: { departmentId?: string; scopes?: string[] } = {}): Promise<{ departmentId: string; clientId: string; authorization: string }> {
  const departmentId = opts.departmentId ?? (await t.makeDepartment());
  const admin = await t.login(await t.makeUser({ roles: ['dept_admin'], departmentId }));
  const res: LightMyRequestResponse = await t.call({
    method: 'POST',
    url: '/api/v1/api-clients',
    cookie: admin,
    body: { name: `业务系统${uuidv7().slice(-6)}`, scopes: opts.scopes ?? ['share:query'] },
  });
  if (res.statusCode !== 201) throw new Error(`create API client: ${res.statusCode} ${res.body}`);
  const body = res.json();
  return { departmentId, clientId: body.id, authorization: body.authorization };
}
