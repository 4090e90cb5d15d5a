import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../test/harness.js';
import { canonicalJson } from '../crypto/canonical-json.js';
import { sm3Hex } from '../crypto/sm3.js';
import { verifyChain } from './audit.js';

let t: TestPlatform;
let supervisor: string;
beforeAll(async () => {
  t = await startTestPlatform();
  supervisor = await t.login('supervisor');
  // Some ordinary activity on top of the demo city: sign-ins, a draft, its submission, a refusal.
  const editor = await t.login('editor');
  const created = await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: editor, body: entryFields({ name: '审计测试目录' }) });
  await t.call({ method: 'POST', url: `/api/v1/catalog/entries/${created.json().id}/transitions`, cookie: editor, body: { action: 'submit' } });
  await t.call({ method: 'POST', url: '/api/v1/catalog/snapshots', cookie: editor, body: { title: 'x', period: '2026-H2' } });
});
afterAll(async () => {
  await t.close();
});

type AuditRow = { seq: number; at: Date; actor_id: string | null; actor_name: string; department_id: string | null; action: string; target_type: string; target_id: string | null; outcome: string; request_id: string | null; details: unknown; prev_hash: string; hash: string };

const db = () => t.app.database.db;

async function rows(): Promise<AuditRow[]> {
  return (await db().selectFrom('audit_log').selectAll().orderBy('seq').execute()).map((r) => ({ ...r, seq: Number(r.seq) })) as AuditRow[];
}

/** Restores the whole log and head after a tampering test, so each test starts from an intact chain. */
let saved: { log: AuditRow[]; head: { seq: number; hash: string } } | undefined;
async function saveChain() {
  const head = await db().selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  saved = { log: await rows(), head: { seq: Number(head.seq), hash: head.hash } };
}
afterEach(async () => {
  if (!saved) return;
  const { log, head } = saved;
  saved = undefined;
  await db().deleteFrom('audit_log').execute();
  for (let i = 0; i < log.length; i += 200) {
    await db()
      .insertInto('audit_log')
      .values(log.slice(i, i + 200).map((r) => ({ ...r, details: JSON.stringify(r.details) })))
      .execute();
  }
  await db().updateTable('audit_head').set(head).where('id', '=', 1).execute();
  expect(await verifyChain(db())).toMatchObject({ ok: true });
});

/** A seq in the middle of the chain, with entries on both sides. */
async function middleSeq(): Promise<number> {
  const all = await rows();
  return (all[Math.floor(all.length / 2)] as AuditRow).seq;
}

function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
}

describe('the hash chain', () => {
  it('stays intact after ordinary activity', async () => {
    const all = await rows();
    expect(all.length).toBeGreaterThan(100);
    expect(await verifyChain(db())).toEqual({ ok: true, checked: all.length });
    const res = await t.call({ method: 'GET', url: '/api/v1/audit/verify', cookie: supervisor });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, checked: all.length });
  });

  it('links each entry to the one before by SM3 over the previous hash and the canonical entry', async () => {
    const all = await rows();
    expect(all[0]?.prev_hash).toBe('0'.repeat(64));
    for (const [i, r] of all.entries()) {
      expect(r.seq).toBe(i + 1);
      if (i > 0) expect(r.prev_hash).toBe(all[i - 1]?.hash);
      const fields = {
        seq: r.seq,
        at: new Date(r.at).toISOString(),
        actorId: r.actor_id,
        actorName: r.actor_name,
        departmentId: r.department_id,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        outcome: r.outcome,
        requestId: r.request_id,
        details: r.details,
      };
      expect(r.hash).toBe(sm3Hex(r.prev_hash + canonicalJson(fields)));
      expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
    }
    const head = await db().selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: all.at(-1)?.seq, hash: all.at(-1)?.hash });
  });

  it('stays linear when many audited requests arrive at once', async () => {
    const editor = await t.login('psb.editor');
    await Promise.all(Array.from({ length: 12 }, () => t.call({ method: 'POST', url: '/api/v1/catalog/snapshots', cookie: editor, body: { title: 'x', period: '2026-H2' } })));
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });
});

describe('tampering', () => {
  it('fails at the entry whose details were altered in SQL', async () => {
    await saveChain();
    const seq = await middleSeq();
    await sql`UPDATE audit_log SET details = jsonb_set(details, '{tampered}', 'true') WHERE seq = ${seq}`.execute(db());
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq, checked: seq - 1 });
    const res = await t.call({ method: 'GET', url: '/api/v1/audit/verify', cookie: supervisor });
    expect(res.json()).toMatchObject({ ok: false, firstBadSeq: seq });
  });

  it('fails at the entry whose actor was altered', async () => {
    await saveChain();
    const seq = await middleSeq();
    await sql`UPDATE audit_log SET actor_name = 'someone else' WHERE seq = ${seq}`.execute(db());
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq });
  });

  it('fails at the entry whose actor id was altered', async () => {
    await saveChain();
    const seq = (await rows()).find((r) => r.actor_id !== null && r.seq > 50)?.seq as number;
    await sql`UPDATE audit_log SET actor_id = ${'00000000-0000-7000-8000-000000000000'} WHERE seq = ${seq}`.execute(db());
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq });
  });

  it('fails at the entry whose time or outcome was altered', async () => {
    await saveChain();
    const seq = await middleSeq();
    await sql`UPDATE audit_log SET at = at - interval '1 day' WHERE seq = ${seq}`.execute(db());
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq });
    await sql`UPDATE audit_log SET at = at + interval '1 day', outcome = 'denied' WHERE seq = ${seq + 1}`.execute(db());
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq });
  });

  it('fails at the missing seq when an entry in the middle is deleted', async () => {
    await saveChain();
    const seq = await middleSeq();
    await db().deleteFrom('audit_log').where('seq', '=', seq).execute();
    const result = await verifyChain(db());
    expect(result).toMatchObject({ ok: false, firstBadSeq: seq });
    expect(result.ok === false && result.reason).toMatch(/missing/);
  });

  it('fails when the newest entry is deleted, naming it', async () => {
    await saveChain();
    const newest = (await rows()).at(-1)?.seq as number;
    await db().deleteFrom('audit_log').where('seq', '=', newest).execute();
    const result = await verifyChain(db());
    expect(result).toMatchObject({ ok: false, firstBadSeq: newest });
    expect(result.ok === false && result.reason).toMatch(/newest/);
  });

  it('fails when the first entry is deleted', async () => {
    await saveChain();
    await db().deleteFrom('audit_log').where('seq', '=', 1).execute();
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: 1 });
  });

  it('fails at the first of two entries whose seq were swapped', async () => {
    await saveChain();
    const seq = await middleSeq();
    await sql`UPDATE audit_log SET seq = -1 WHERE seq = ${seq}`.execute(db());
    await sql`UPDATE audit_log SET seq = ${seq} WHERE seq = ${seq + 1}`.execute(db());
    await sql`UPDATE audit_log SET seq = ${seq + 1} WHERE seq = -1`.execute(db());
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq });
  });

  it('fails at the next entry when a forger also recomputes the altered entry’s own hash', async () => {
    await saveChain();
    const seq = await middleSeq();
    const r = (await rows()).find((x) => x.seq === seq) as AuditRow;
    const forged = { ...(r.details as object), forged: true };
    const fields = {
      seq,
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      departmentId: r.department_id,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      outcome: r.outcome,
      requestId: r.request_id,
      details: forged,
    };
    const hash = sm3Hex(r.prev_hash + canonicalJson(fields));
    await db().updateTable('audit_log').set({ details: JSON.stringify(forged), hash }).where('seq', '=', seq).execute();
    expect(await verifyChain(db())).toMatchObject({ ok: false, firstBadSeq: seq + 1 });
  });

  it('checks across page boundaries', async () => {
    await saveChain();
    const seq = await middleSeq();
    await sql`UPDATE audit_log SET action = 'auth.login' WHERE seq = ${seq}`.execute(db());
    expect(await verifyChain(db(), 7)).toMatchObject({ ok: false, firstBadSeq: seq });
  });
});

describe('denied attempts', () => {
  it('records a refused attempt with who, what and the request id', async () => {
    const editor = await t.login('editor');
    const res = await t.call({ method: 'POST', url: '/api/v1/catalog/snapshots', cookie: editor, body: { title: 'x', period: '2026-H2' } });
    expectProblem(res, 403, 'FORBIDDEN');
    const me = (await t.call({ method: 'GET', url: '/api/v1/auth/me', cookie: editor })).json();
    const entry = await db().selectFrom('audit_log').selectAll().where('request_id', '=', res.json().requestId).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      action: 'access.denied',
      outcome: 'denied',
      actor_id: me.id,
      department_id: me.departmentId,
      target_type: 'route',
      target_id: 'POST /api/v1/catalog/snapshots',
    });
    expect(entry.details).toMatchObject({ code: 'FORBIDDEN' });
    expect(await verifyChain(db())).toMatchObject({ ok: true });
  });

  it("records a refusal decided by a service, such as changing another department's lists", async () => {
    const res = await t.call({ method: 'POST', url: `/api/v1/departments/${await t.departmentId(DEMO.psb)}/lists`, cookie: await t.login('deptadmin'), body: { kind: 'demand', title: 'x' } });
    expectProblem(res, 403, 'FORBIDDEN');
    const entry = await db().selectFrom('audit_log').selectAll().where('request_id', '=', res.json().requestId).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'access.denied', outcome: 'denied', target_id: 'POST /api/v1/departments/:id/lists' });
  });
});

describe('browsing the trail', () => {
  const browse = (query: string, cookie = supervisor) => t.call({ method: 'GET', url: `/api/v1/audit${query}`, cookie });

  it('lists entries newest first with their hashes, a page at a time', async () => {
    const res = await browse('?pageSize=5');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(5);
    expect(body.total).toBe((await rows()).length);
    const seqs = body.items.map((i: { seq: number }) => i.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    expect(body.items[0]).toMatchObject({ seq: body.total, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const page2 = (await browse('?pageSize=5&page=2')).json();
    expect(page2.items[0].seq).toBe(seqs[4] - 1);
  });

  it('filters by exact action, including names with an underscore', async () => {
    const body = (await browse('?action=catalog.entry_created&pageSize=200')).json();
    expect(body.total).toBeGreaterThan(50);
    expect(body.items.every((i: { action: string }) => i.action === 'catalog.entry_created')).toBe(true);
  });

  it('filters by action prefix', async () => {
    const body = (await browse('?action=catalog.&pageSize=200')).json();
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every((i: { action: string }) => i.action.startsWith('catalog.'))).toBe(true);
    expect((await browse('?action=auth.login_failed')).json().items.every((i: { action: string }) => i.action === 'auth.login_failed')).toBe(true);
  });

  it('filters by outcome, actor and department', async () => {
    const denied = (await browse('?outcome=denied&pageSize=200')).json();
    expect(denied.total).toBeGreaterThan(0);
    expect(denied.items.every((i: { outcome: string }) => i.outcome === 'denied')).toBe(true);

    const me = (await t.call({ method: 'GET', url: '/api/v1/auth/me', cookie: await t.login('editor') })).json();
    const mine = (await browse(`?actorId=${me.id}&pageSize=200`)).json();
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((i: { actorId: string }) => i.actorId === me.id)).toBe(true);

    const civil = await t.departmentId(DEMO.civil);
    const dept = (await browse(`?departmentId=${civil}&pageSize=200`)).json();
    expect(dept.total).toBeGreaterThanOrEqual(mine.total);
    expect(dept.items.every((i: { departmentId: string }) => i.departmentId === civil)).toBe(true);
  });

  it('filters by target', async () => {
    const entry = await db().selectFrom('audit_log').select(['target_id']).where('action', '=', 'catalog.submitted').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const body = (await browse(`?targetType=catalog_entry&targetId=${entry.target_id}`)).json();
    expect(body.items.map((i: { action: string }) => i.action)).toEqual(expect.arrayContaining(['catalog.entry_created', 'catalog.submitted']));
    expect(body.items.every((i: { targetId: string }) => i.targetId === entry.target_id)).toBe(true);
  });

  it('filters by time, reading plain dates as whole days in Asia/Shanghai', async () => {
    // 2026-11-23T17:30Z is 01:30 on 24 November in Shanghai.
    t.clock.set('2026-11-23T17:30:00.000Z');
    try {
      const overseer = await t.login('supervisor');
      const res = await t.call({ method: 'POST', url: '/api/v1/catalog/snapshots', cookie: await t.login('reviewer'), body: { title: 'x', period: '2026-H2' } });
      const seq = Number((await db().selectFrom('audit_log').select('seq').where('request_id', '=', res.json().requestId).executeTakeFirstOrThrow()).seq);
      const seqsOf = async (q: string) => (await browse(`${q}&pageSize=200`, overseer)).json().items.map((i: { seq: number }) => i.seq) as number[];
      const all = await rows();
      const between = (from: string, to: string) =>
        all.filter((r) => new Date(r.at) >= new Date(from) && new Date(r.at) < new Date(to)).map((r) => r.seq).reverse();
      const the24th = between('2026-11-23T16:00:00Z', '2026-11-24T16:00:00Z');
      expect(the24th).toContain(seq);
      expect(await seqsOf('?from=2026-11-24&to=2026-11-24')).toEqual(the24th);
      const the23rd = await seqsOf('?from=2026-11-23&to=2026-11-23');
      expect(the23rd).not.toContain(seq);
      expect(the23rd).toEqual(between('2026-11-22T16:00:00Z', '2026-11-23T16:00:00Z').slice(0, 200));
      expect(await seqsOf('?from=2026-11-23T17:00:00Z&to=2026-11-23T18:00:00Z')).toEqual(the24th);
      expect(await seqsOf('?from=2026-11-24T01:00:00%2B08:00&to=2026-11-24T02:00:00%2B08:00')).toEqual(the24th);
      expect(await seqsOf('?from=2026-11-25')).toEqual([]);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('refuses an unknown filter value, naming the parameter', async () => {
    const res = await browse('?outcome=maybe');
    expectProblem(res, 422, 'VALIDATION_FAILED');
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'query.outcome' })]));
    const page = await browse('?pageSize=1000');
    expectProblem(page, 422, 'VALIDATION_FAILED');
    expect(page.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'query.pageSize' })]));
  });

  it.each(['supervisor', 'admin', 'authority'])('lets %s browse and verify the trail', async (username) => {
    const cookie = await t.login(username);
    expect((await browse('?pageSize=1', cookie)).statusCode).toBe(200);
    expect((await t.call({ method: 'GET', url: '/api/v1/audit/verify', cookie })).statusCode).toBe(200);
  });

  it.each(['deptadmin', 'editor', 'reviewer', 'psb.editor'])('refuses %s browsing or verifying the trail', async (username) => {
    const cookie = await t.login(username);
    expectProblem(await browse('', cookie), 403, 'FORBIDDEN');
    expectProblem(await t.call({ method: 'GET', url: '/api/v1/audit/verify', cookie }), 403, 'FORBIDDEN');
  });

  it('refuses an anonymous caller', async () => {
    expectProblem(await t.call({ method: 'GET', url: '/api/v1/audit' }), 401, 'UNAUTHENTICATED');
    expectProblem(await t.call({ method: 'GET', url: '/api/v1/audit/verify' }), 401, 'UNAUTHENTICATED');
  });
});
