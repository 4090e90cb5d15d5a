import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, TEST_NOW, type TestPlatform } from '../../../../test/harness.js';
import { DIBAO_ITEMS, DIBAO_RECIPIENTS, type DibaoItem, dibaoCitizenId, dibaoEntry, dibaoRecipient, makeGrant, makeQueryClient, revokeGrantInTable } from '../../../../test/sharing-fixtures.js';

/**
 * The query API's one promise, checked on random grants and random queries: no answer ever holds
 * an item outside the caller's serving grants, items are masked unless a serving grant says
 * otherwise, and a revoked, lapsed, expired or not yet valid grant serves nothing.
 */

let t: TestPlatform;
let entryId = '';
let consumer: Awaited<ReturnType<typeof makeQueryClient>>;

beforeAll(async () => {
  t = await startTestPlatform();
  entryId = (await dibaoEntry(t)).id;
  consumer = await makeQueryClient(t);
});
afterAll(async () => {
  await t.close();
});

const GRANT_STATES = ['active', 'revoked', 'lapsed', 'expired', 'not_yet_valid', 'revoked_while_cached'] as const;
type GrantState = (typeof GRANT_STATES)[number];

const arbGrant = fc.record({
  items: fc.uniqueArray(fc.record({ nameEn: fc.constantFrom(...DIBAO_ITEMS), masking: fc.constantFrom('none' as const, 'partial' as const) }), { minLength: 1, maxLength: DIBAO_ITEMS.length, selector: (i) => i.nameEn }),
  state: fc.constantFrom(...GRANT_STATES),
});

const arbQuery = fc.record({
  subject: fc.integer({ min: 0, max: DIBAO_RECIPIENTS - 1 }),
  fields: fc.option(fc.uniqueArray(fc.constantFrom<string>(...DIBAO_ITEMS, 'spouse_name'), { minLength: 1, maxLength: 5 }), { nil: undefined }),
  batch: fc.boolean(),
});

/** Writes the grants of one run (after revoking the previous run's), in the state asked for. */
async function setGrants(grants: { items: { nameEn: DibaoItem; masking: 'none' | 'partial' }[]; state: GrantState }[]) {
  await t.app.database.db
    .updateTable('grants')
    .set({ status: 'revoked', revoked_at: t.clock.now(), revoke_reason: '测试轮换' })
    .where('consumer_department_id', '=', consumer.departmentId)
    .where('status', '=', 'active')
    .execute();
  const now = Date.parse(TEST_NOW);
  const ids: string[] = [];
  for (const g of grants) {
    const base = { consumerDepartmentId: consumer.departmentId, entryId, items: g.items };
    const state = g.state;
    const id = await makeGrant(t, {
      ...base,
      ...(state === 'revoked' || state === 'lapsed' ? { status: state } : {}),
      ...(state === 'expired' ? { validUntil: '2026-11-22' } : {}),
      ...(state === 'not_yet_valid' ? { validFrom: new Date(now + 60_000) } : {}),
    });
    ids.push(id);
  }
  // Revoked after the grants were read into the cache: only the per-call status check can notice.
  if (grants.some((g) => g.state === 'revoked_while_cached')) {
    await t.call({ method: 'GET', url: `/api/v1/subjects/citizen_id/${dibaoCitizenId(0)}`, headers: { authorization: consumer.authorization, purpose: 'warm-up' } });
    for (const [i, g] of grants.entries()) if (g.state === 'revoked_while_cached') await revokeGrantInTable(t, ids[i] as string);
  }
  return ids;
}

describe('the query API never serves more than was granted', () => {
  it('holds for random grants and random queries', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arbGrant, { minLength: 1, maxLength: 3 }), arbQuery, async (grants, q) => {
        const ids = await setGrants(grants);
        const serving = grants.map((g, i) => ({ ...g, id: ids[i] as string })).filter((g) => g.state === 'active');
        const granted = new Map<string, 'none' | 'partial'>();
        for (const g of serving) for (const i of g.items) if (granted.get(i.nameEn) !== 'none') granted.set(i.nameEn, i.masking);

        const id = dibaoCitizenId(q.subject);
        const headers = { authorization: consumer.authorization, purpose: 'property' };
        const res = q.batch
          ? await t.call({ method: 'POST', url: '/api/v1/subjects:query', headers, body: { idType: 'citizen_id', subjects: [{ id }], ...(q.fields ? { fields: q.fields } : {}) } })
          : await t.call({ method: 'GET', url: `/api/v1/subjects/citizen_id/${id}${q.fields ? `?fields=${q.fields.join(',')}` : ''}`, headers });

        if (!serving.length) {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json().code).toBe('SHARING_NO_GRANT');
          return;
        }
        if (q.fields?.some((f) => !granted.has(f))) {
          expect(res.statusCode, res.body).toBe(403);
          expect(res.json().code).toBe('SHARING_FIELD_NOT_GRANTED');
          return;
        }
        expect(res.statusCode, res.body).toBe(200);
        const answer = q.batch ? res.json().results[0] : res.json();
        expect(answer.datasets).toHaveLength(1);
        const ds = answer.datasets[0];
        const expectedKeys = [...granted.keys()].filter((k) => !q.fields || q.fields.includes(k)).sort();
        expect(Object.keys(ds.values).sort()).toEqual(expectedKeys);
        expect(ds.grantIds.every((g: string) => serving.some((s) => s.id === g))).toBe(true);
        const raw = dibaoRecipient(q.subject);
        for (const k of expectedKeys) {
          const value = ds.values[k];
          if (granted.get(k) === 'none') expect(value, k).toEqual(raw[k as DibaoItem]);
          else expect(value, k).not.toEqual(raw[k as DibaoItem]);
        }
        // No value of an item left out appears anywhere among the served values.
        const served = JSON.stringify(ds.values);
        for (const k of DIBAO_ITEMS) {
          const v = raw[k];
          if (!expectedKeys.includes(k) && typeof v === 'string' && !expectedKeys.some((e) => String(raw[e as DibaoItem]).includes(v))) expect(served, k).not.toContain(v);
        }
      }),
      { numRuns: 100 },
    );
  });
});
