import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../../test/harness.js';
import { findRawIdentifiers } from '../../../../test/raw-identifier-scan.js';
import {
  DIBAO_ITEMS,
  type DibaoItem,
  dibaoCitizenId,
  dibaoEntry,
  dibaoRecipient,
  makeGrant,
  makeQueryClient,
  revokeGrantInTable,
} from '../../../../test/sharing-fixtures.js';
import { verifyChain } from '../../../platform/audit/audit.js';
import { maskIdentifier } from '../../../platform/vault/index.js';

let t: TestPlatform;
let entry: { id: string; code: string; name: string; providerId: string };
const PURPOSE = { purpose: encodeURIComponent('办理医疗救助时核验低保身份') };

beforeAll(async () => {
  t = await startTestPlatform();
  entry = await dibaoEntry(t);
});
afterAll(async () => {
  await t.close();
});

const db = () => t.app.database.db;

type Consumer = Awaited<ReturnType<typeof makeQueryClient>>;

/** A new consumer department with a query client and one grant on the demo dataset. */
async function consumerWith(items: { nameEn: string; masking: 'none' | 'partial' }[], grant: Partial<Parameters<typeof makeGrant>[1]> = {}) {
  const c = await makeQueryClient(t);
  const grantId = await makeGrant(t, { consumerDepartmentId: c.departmentId, entryId: entry.id, items, ...grant });
  return { ...c, grantId };
}

const all = (masking: 'none' | 'partial') => DIBAO_ITEMS.map((nameEn) => ({ nameEn, masking }));

function get(c: Consumer, i: number | string, opts: { fields?: string; headers?: Record<string, string>; idType?: string } = {}) {
  const id = typeof i === 'number' ? dibaoCitizenId(i) : i;
  const q = opts.fields !== undefined ? `?fields=${encodeURIComponent(opts.fields)}` : '';
  return t.call({ method: 'GET', url: `/api/v1/subjects/${opts.idType ?? 'citizen_id'}/${encodeURIComponent(id)}${q}`, headers: { authorization: c.authorization, ...(opts.headers ?? PURPOSE) } });
}

function post(c: Consumer, path: 'query' | 'verify', body: unknown, headers: Record<string, string> = PURPOSE) {
  return t.call({ method: 'POST', url: `/api/v1/subjects:${path}`, body, headers: { authorization: c.authorization, ...headers } });
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().code).toBe(code);
  return res.json();
}

async function auditCount() {
  const r = await db().selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Runs a call and returns it with the audit entries it added (the test file is the only writer). */
async function audited(call: () => Promise<LightMyRequestResponse>) {
  const before = await auditCount();
  const res = await call();
  const entries = await db().selectFrom('audit_log').selectAll().where('seq', '>', before).orderBy('seq').execute();
  return { res, entries: entries.map((e) => ({ ...e, details: (typeof e.details === 'string' ? JSON.parse(e.details) : e.details) as Record<string, unknown> })) };
}

describe('query by subject', () => {
  it('serves exactly the granted items, unmasked where granted so, with entry, provider and as-of time', async () => {
    const granted: DibaoItem[] = ['name', 'citizen_id_number', 'assistance_category', 'monthly_allowance', 'assistance_status'];
    const c = await consumerWith(granted.map((nameEn) => ({ nameEn, masking: 'none' })));
    const res = await get(c, 7);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.subject).toEqual({ idType: 'citizen_id', id: maskIdentifier('citizen_id', dibaoCitizenId(7)) });
    expect(body.datasets).toHaveLength(1);
    const [ds] = body.datasets;
    const expected = dibaoRecipient(7);
    expect(ds.values).toEqual(Object.fromEntries(granted.map((k) => [k, expected[k]])));
    expect(ds.masking).toEqual(Object.fromEntries(granted.map((k) => [k, 'none'])));
    expect(ds.entry).toEqual({ code: entry.code, name: '最低生活保障信息' });
    expect(ds.provider).toEqual({ id: entry.providerId, name: DEMO.civil });
    expect(ds.grantIds).toEqual([c.grantId]);
    const written = await db().selectFrom('dataset_records').select('written_at').orderBy('written_at', 'desc').executeTakeFirstOrThrow();
    expect(new Date(ds.asOf).getTime()).toBeLessThanOrEqual(new Date(written.written_at).getTime());
    expect(Number.isNaN(Date.parse(ds.asOf))).toBe(false);
  });

  it('masks partially granted items by kind: name, identifier, date, other text, numbers', async () => {
    const c = await consumerWith(all('partial'));
    const i = 2; // 黄国强: a three-character name
    const body = (await get(c, i)).json();
    const v = body.datasets[0].values;
    const r = dibaoRecipient(i);
    expect(r.name).toBe('黄国强');
    expect(v.name).toBe('黄*强');
    expect(v.citizen_id_number).toBe(maskIdentifier('citizen_id', dibaoCitizenId(i)));
    expect(v.approval_date).toBe(`${String(r.approval_date).slice(0, 4)}-**-**`);
    expect(v.minimum_living_allowance_certificate_number).toMatch(/^惠\*+\d$/);
    expect(v.household_size).toBe('*');
    expect(v.monthly_allowance).toBe(`${String(r.monthly_allowance)[0]}**${String(r.monthly_allowance).slice(-1)}`);
    expect(Object.values(body.datasets[0].masking)).toEqual(DIBAO_ITEMS.map(() => 'partial'));
    const two = (await get(c, 0)).json().datasets[0].values; // 陈伟
    expect(two.name).toBe('陈*');
  });

  it('narrows to the fields asked for, and refuses a field not granted with 403 naming it (audited)', async () => {
    const c = await consumerWith([
      { nameEn: 'name', masking: 'none' },
      { nameEn: 'assistance_status', masking: 'none' },
      { nameEn: 'household_size', masking: 'none' },
    ]);
    const res = await get(c, 3, { fields: 'assistance_status, name' });
    expect(res.statusCode, res.body).toBe(200);
    expect(Object.keys(res.json().datasets[0].values).sort()).toEqual(['assistance_status', 'name']);
    const { res: refused, entries } = await audited(() => get(c, 3, { fields: 'name,monthly_allowance,spouse_name' }));
    const problem = expectProblem(refused, 403, 'SHARING_FIELD_NOT_GRANTED');
    expect(problem.detail).toContain('monthly_allowance');
    expect(problem.detail).toContain('spouse_name');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'share.query_denied', outcome: 'denied', actor_id: c.clientId });
    expect(entries[0]?.details.code).toBe('SHARING_FIELD_NOT_GRANTED');
    expectProblem(await get(c, 3, { fields: ' , ' }), 422, 'VALIDATION_FAILED');
  });

  it('answers a subject no dataset holds with 200 and no datasets', async () => {
    const c = await consumerWith(all('none'));
    const res = await get(c, 5000);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ subject: { idType: 'citizen_id', id: maskIdentifier('citizen_id', dibaoCitizenId(5000)) }, datasets: [] });
  });

  it('finds the subject however the identifier is typed (lower-case x, spaces, full-width digits)', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
    const withX = Array.from({ length: 240 }, (_, i) => i).find((i) => dibaoCitizenId(i).endsWith('X'));
    expect(withX).toBeDefined();
    const id = dibaoCitizenId(withX as number);
    const typed = ` ${id.slice(0, 6)} ${[...id.slice(6, 10)].map((ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).join('')}${id.slice(10).toLowerCase()} `;
    const res = await get(c, typed);
    expect(res.json().datasets[0]?.values.name).toBe(dibaoRecipient(withX as number).name);
  });

  it('queries up to 100 subjects in one call, answering in order', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
    const res = await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(10) }, { id: dibaoCitizenId(5000) }, { idType: 'citizen_id', id: dibaoCitizenId(11) }] });
    expect(res.statusCode, res.body).toBe(200);
    const { results } = res.json();
    expect(results.map((r: { datasets: { values: { name: string } }[] }) => r.datasets[0]?.values.name ?? null)).toEqual([dibaoRecipient(10).name, null, dibaoRecipient(11).name]);
    const fields = await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(10) }], fields: ['name'] });
    expect(fields.json().results[0].datasets[0].values).toEqual({ name: dibaoRecipient(10).name });
  });
});

describe('what serves and what does not', () => {
  it('stops serving a revoked grant on the very next call, though the grant was cached', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
    expect((await get(c, 1)).statusCode).toBe(200);
    await revokeGrantInTable(t, c.grantId);
    const { res, entries } = await audited(() => get(c, 1));
    expectProblem(res, 403, 'SHARING_NO_GRANT');
    expect(entries.map((e) => [e.action, e.outcome])).toEqual([['share.query_denied', 'denied']]);
  });

  it('serves a grant through its last day (Asia/Shanghai) and nothing after it', async () => {
    const today = '2026-11-23'; // TEST_NOW is 10:00 in Shanghai that day
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }], { validUntil: today });
    try {
      t.clock.set('2026-11-23T15:59:00.000Z'); // 23:59 in Shanghai
      expect((await get(c, 1)).statusCode).toBe(200);
      t.clock.set('2026-11-23T16:00:00.000Z'); // midnight in Shanghai: the next day
      expectProblem(await get(c, 1), 403, 'SHARING_NO_GRANT');
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('serves nothing before a grant starts, nor under a grant marked lapsed or revoked', async () => {
    const future = await consumerWith([{ nameEn: 'name', masking: 'none' }], { validFrom: new Date(Date.parse(TEST_NOW) + 3_600_000) });
    expectProblem(await get(future, 1), 403, 'SHARING_NO_GRANT');
    const lapsed = await consumerWith([{ nameEn: 'name', masking: 'none' }], { status: 'lapsed' });
    expectProblem(await get(lapsed, 1), 403, 'SHARING_NO_GRANT');
    const revoked = await consumerWith([{ nameEn: 'name', masking: 'none' }], { status: 'revoked' });
    expectProblem(await get(revoked, 1), 403, 'SHARING_NO_GRANT');
  });

  it("gives another department's client nothing of this department's grants", async () => {
    await consumerWith(all('none'));
    const other = await makeQueryClient(t);
    const { res, entries } = await audited(() => get(other, 1));
    expectProblem(res, 403, 'SHARING_NO_GRANT');
    expect(entries[0]).toMatchObject({ action: 'share.query_denied', department_id: other.departmentId });
  });

  it('merges two grants of one entry, serving each item as the less masked of them', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'partial' }]);
    const second = await makeGrant(t, { consumerDepartmentId: c.departmentId, entryId: entry.id, items: [{ nameEn: 'name', masking: 'none' }, { nameEn: 'household_size', masking: 'partial' }] });
    const ds = (await get(c, 4)).json().datasets;
    expect(ds).toHaveLength(1);
    expect(ds[0].values).toEqual({ name: dibaoRecipient(4).name, household_size: '*' });
    expect(ds[0].grantIds.sort()).toEqual([c.grantId, second].sort());
  });

  it('admits only API clients with the share:query scope', async () => {
    const collector = await makeQueryClient(t, { scopes: ['collection:write'] });
    expectProblem(await get(collector, 1), 403, 'FORBIDDEN');
    const person = await t.login('deptadmin');
    expectProblem(await t.call({ method: 'GET', url: `/api/v1/subjects/citizen_id/${dibaoCitizenId(1)}`, cookie: person, headers: PURPOSE }), 403, 'FORBIDDEN');
    expectProblem(await t.call({ method: 'GET', url: `/api/v1/subjects/citizen_id/${dibaoCitizenId(1)}`, headers: PURPOSE }), 401, 'UNAUTHENTICATED');
  });
});

describe('bad input is a clear 4xx, never 500', () => {
  let c: Consumer;
  beforeAll(async () => {
    c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
  });

  it('requires a Purpose header, audited as denied, and decodes a URL-encoded one', async () => {
    const { res, entries } = await audited(() => get(c, 1, { headers: {} }));
    expectProblem(res, 400, 'SHARING_PURPOSE_REQUIRED');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'share.query_denied', outcome: 'denied' });
    expectProblem(await get(c, 1, { headers: { purpose: '   ' } }), 400, 'SHARING_PURPOSE_REQUIRED');
    expectProblem(await get(c, 1, { headers: { purpose: 'x'.repeat(201) } }), 422, 'VALIDATION_FAILED');
    expectProblem(await get(c, 1, { headers: { purpose: '%E4%B8' } }), 422, 'VALIDATION_FAILED');
    const ok = await audited(() => get(c, 1));
    expect(ok.res.statusCode).toBe(200);
    expect(ok.entries[0]?.details.purpose).toBe('办理医疗救助时核验低保身份');
  });

  it('refuses a malformed identifier with 422 naming the field, and never records it', async () => {
    const bad = `${dibaoCitizenId(1).slice(0, 17)}${dibaoCitizenId(1).endsWith('1') ? '2' : '1'}`;
    const { res, entries } = await audited(() => get(c, bad));
    const problem = expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(problem.errors[0]).toMatchObject({ field: 'id' });
    expect(JSON.stringify(entries)).not.toContain(bad);
    const batch = await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(1) }, { id: 'abc' }] });
    expect(expectProblem(batch, 422, 'VALIDATION_FAILED').errors[0]).toMatchObject({ field: 'subjects[1].id' });
  });

  it('refuses an unknown idType, an oversized or empty batch, duplicates, a missing idType and empty fields', async () => {
    expectProblem(await get(c, 1, { idType: 'passport' }), 422, 'VALIDATION_FAILED');
    const many = Array.from({ length: 101 }, (_, i) => ({ id: dibaoCitizenId(i) }));
    expectProblem(await post(c, 'query', { idType: 'citizen_id', subjects: many }), 422, 'VALIDATION_FAILED');
    expectProblem(await post(c, 'query', { idType: 'citizen_id', subjects: [] }), 422, 'VALIDATION_FAILED');
    const dup = await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(3) }, { id: dibaoCitizenId(3).toLowerCase() }] });
    expect(expectProblem(dup, 422, 'VALIDATION_FAILED').errors[0]).toMatchObject({ field: 'subjects[1].id', rule: 'duplicate' });
    const noType = await post(c, 'query', { subjects: [{ id: dibaoCitizenId(3) }] });
    expect(expectProblem(noType, 422, 'VALIDATION_FAILED').errors[0]).toMatchObject({ field: 'subjects[0].idType', rule: 'required' });
    expectProblem(await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(3) }], fields: [] }), 422, 'VALIDATION_FAILED');
    expectProblem(await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(3) }], extra: 1 }), 422, 'VALIDATION_FAILED');
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/subjects:query', body: '{"subjects":', headers: { authorization: c.authorization, 'content-type': 'application/json', ...PURPOSE } }), 400, 'BAD_REQUEST');
  });
});

describe('daily quota per grant', () => {
  it('refuses with 429 past the quota, counting each subject, and serves again the next day', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }], { dailyQuota: 3 });
    try {
      expect((await get(c, 1)).statusCode).toBe(200);
      expect((await post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(2) }, { id: dibaoCitizenId(3) }] })).statusCode).toBe(200);
      const { res, entries } = await audited(() => get(c, 4));
      expectProblem(res, 429, 'SHARING_QUOTA_EXCEEDED');
      expect(entries[0]).toMatchObject({ action: 'share.query_denied', outcome: 'denied' });
      expect(entries[0]?.details.grants).toEqual([c.grantId]);
      const usage = await db().selectFrom('grant_usage').selectAll().where('grant_id', '=', c.grantId).execute();
      expect(usage.map((u) => [u.day, Number(u.calls)])).toEqual([['2026-11-23', 3]]);
      t.clock.set('2026-11-24T02:00:00.000Z');
      expect((await get(c, 4)).statusCode).toBe(200);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('counts calls that serve no record too, but not refused ones', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }], { dailyQuota: 2 });
    expect((await get(c, 5000)).statusCode).toBe(200);
    expectProblem(await get(c, 'bad'), 422, 'VALIDATION_FAILED');
    expect((await get(c, 1)).statusCode).toBe(200);
    expectProblem(await get(c, 2), 429, 'SHARING_QUOTA_EXCEEDED');
  });
});

describe('verification mode', () => {
  it('answers match / no_match / no_data per item without returning any value', async () => {
    const c = await consumerWith([
      { nameEn: 'name', masking: 'partial' },
      { nameEn: 'citizen_id_number', masking: 'partial' },
      { nameEn: 'approval_date', masking: 'partial' },
      { nameEn: 'monthly_allowance', masking: 'partial' },
      { nameEn: 'assistance_status', masking: 'partial' },
    ]);
    const r = dibaoRecipient(12);
    const res = await post(c, 'verify', {
      idType: 'citizen_id',
      id: dibaoCitizenId(12),
      claims: {
        name: ` ${r.name} `,
        citizen_id_number: String(r.citizen_id_number).toLowerCase(),
        approval_date: String(r.approval_date).replace(/-/g, '/'),
        monthly_allowance: String(Number(r.monthly_allowance) + 1),
        assistance_status: r.assistance_status,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(Object.fromEntries(body.results.map((x: { item: string; result: string }) => [x.item, x.result]))).toEqual({
      name: 'match',
      citizen_id_number: 'match',
      approval_date: 'match',
      monthly_allowance: 'no_match',
      assistance_status: 'match',
    });
    expect(res.body).not.toContain(String(r.name));
    expect(res.body).not.toContain(String(r.monthly_allowance));
    const missing = await post(c, 'verify', { idType: 'citizen_id', id: dibaoCitizenId(5000), claims: { name: '张三' } });
    expect(missing.json().results).toEqual([{ item: 'name', result: 'no_data', datasets: [{ entryCode: entry.code, result: 'no_data' }] }]);
  });

  it('refuses a claim on an item not granted (403) and audits every verification once', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
    const refused = await audited(() => post(c, 'verify', { idType: 'citizen_id', id: dibaoCitizenId(1), claims: { name: 'x', monthly_allowance: 1 } }));
    expect(expectProblem(refused.res, 403, 'SHARING_FIELD_NOT_GRANTED').detail).toContain('monthly_allowance');
    expect(refused.entries.map((e) => e.action)).toEqual(['share.query_denied']);
    const served = await audited(() => post(c, 'verify', { idType: 'citizen_id', id: dibaoCitizenId(1), claims: { name: dibaoRecipient(1).name } }));
    expect(served.entries.map((e) => [e.action, e.outcome])).toEqual([['share.verified', 'allowed']]);
    expect(served.entries[0]?.details).toMatchObject({ items: ['name'], grants: [c.grantId], results: { name: 'match' } });
    expectProblem(await post(c, 'verify', { idType: 'citizen_id', id: dibaoCitizenId(1), claims: {} }), 422, 'VALIDATION_FAILED');
  });
});

describe('audit', () => {
  it('writes exactly one entry per call with caller, subject token, items, purpose, grants and outcome', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }, { nameEn: 'assistance_status', masking: 'partial' }]);
    const { res, entries } = await audited(() => get(c, 20));
    expect(res.statusCode).toBe(200);
    expect(entries).toHaveLength(1);
    const e = entries[0];
    expect(e).toMatchObject({ action: 'share.queried', outcome: 'allowed', actor_id: c.clientId, department_id: c.departmentId, target_type: 'subject' });
    expect(e?.target_id).toMatch(/^[0-9a-f]{64}$/);
    expect(e?.details).toMatchObject({ purpose: '办理医疗救助时核验低保身份', subjectTokens: [e?.target_id], items: ['assistance_status', 'name'], grants: [c.grantId], found: 1 });
    const calls: (() => Promise<LightMyRequestResponse>)[] = [
      () => get(c, 21),
      () => get(c, 22, { fields: 'monthly_allowance' }),
      () => get(c, 'x'),
      () => get(c, 23, { headers: {} }),
      () => post(c, 'query', { idType: 'citizen_id', subjects: [{ id: dibaoCitizenId(24) }, { id: dibaoCitizenId(25) }] }),
      () => post(c, 'verify', { idType: 'citizen_id', id: dibaoCitizenId(26), claims: { name: 'x' } }),
      () => post(c, 'query', { nonsense: true }),
    ];
    for (const call of calls) {
      const r = await audited(call);
      expect(r.entries, r.res.body).toHaveLength(1);
      expect(r.entries[0]?.outcome).toBe(r.res.statusCode === 200 ? 'allowed' : 'denied');
    }
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it('keeps every identifier it was asked for out of every table but the vault, even one typed into the purpose or a field name', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
    const typed = dibaoCitizenId(31);
    expect((await get(c, 31, { headers: { purpose: encodeURIComponent(`核验${typed}的低保身份`) } })).statusCode).toBe(200);
    expectProblem(await get(c, 32, { fields: `name,${typed}` }), 403, 'SHARING_FIELD_NOT_GRANTED');
    const asked = [dibaoCitizenId(21), dibaoCitizenId(5000), typed];
    expect(await findRawIdentifiers(db(), asked)).toEqual([]);
  });

  it('answers concurrent calls with one chained, verifiable entry each', async () => {
    const c = await consumerWith([{ nameEn: 'name', masking: 'none' }]);
    const before = await auditCount();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => get(c, 100 + i)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    expect((await auditCount()) - before).toBe(40);
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });
});
