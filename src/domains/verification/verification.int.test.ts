import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../test/harness.js';
import { findRawIdentifiers } from '../../../test/raw-identifier-scan.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';

let t: TestPlatform;
let psbName: string; // 户籍登记信息 / 姓名: the public security bureau is responsible
let civilMarital: string; // 婚姻登记和收养登记信息 / 婚姻状况: civil affairs is responsible
let psbAdmin: string;
let psbReviewer: string;
let otherAdmin: string;

/** A valid citizen ID number with a sequence number; check character computed. */
function citizenId(seq: number): string {
  const first17 = `44130219850505${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

const call = (method: string, url: string, cookie: string, body?: unknown) => t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}) });

async function ok(res: LightMyRequestResponse, status = 200) {
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
}

function expectProblem(res: LightMyRequestResponse, status: number, code?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (code) expect(res.json().code).toBe(code);
}

async function basicItemId(category: string, name: string) {
  const row = await t.app.database.db.selectFrom('basic_items').select('id').where('category', '=', category).where('name', '=', name).executeTakeFirstOrThrow();
  return row.id;
}

/** Civil affairs (the editor) reports that its copy of a person's name differs. */
const report = async (seq: number, extra: Record<string, unknown> = {}) =>
  ok(await call('POST', '/verifications', await t.login('editor'), { basicItemId: psbName, idType: 'citizen_id', id: citizenId(seq), reportedValue: '张三丰', note: '婚姻登记档案为张三丰', ...extra }), 201);

beforeAll(async () => {
  t = await startTestPlatform();
  psbName = await basicItemId('户籍登记信息', '姓名');
  civilMarital = await basicItemId('婚姻登记和收养登记信息', '婚姻状况');
  const psb = await t.departmentId(DEMO.psb);
  psbAdmin = await t.makeUser({ roles: ['dept_admin'], departmentId: psb });
  psbReviewer = await t.makeUser({ roles: ['catalog_reviewer'], departmentId: psb });
  otherAdmin = await t.makeUser({ roles: ['dept_admin'], departmentId: await t.departmentId(DEMO.authority) });
});
afterAll(async () => {
  await t.close();
});

describe('multi-source verification (多源校核)', () => {
  it('makes a report a task of the responsible department, due after the National Day holiday', async () => {
    t.clock.set('2026-09-30T10:00:00+08:00');
    try {
      const r = await report(1);
      // 3 working days from Wed 30 Sep: 1–7 Oct is the holiday; Thu 8, Fri 9 and the adjusted Sat 10 Oct.
      expect(r).toMatchObject({ status: 'open', dueOn: '2026-10-10', overdue: false, subjectKind: 'citizen_id', reportedValue: '张三丰', canAnswer: false });
      expect(r.responsibleDepartment.name).toBe(DEMO.psb);
      expect(r.reporterDepartment.name).toBe(DEMO.civil);
      expect(r.subjectMasked).not.toBe(citizenId(1));
      expect(r.subjectMasked).toContain('*');
      expect(JSON.stringify(r)).not.toContain(citizenId(1));

      const admin = await t.login(psbAdmin);
      const tasks = (await ok(await call('GET', '/tasks', admin))).items.filter((x: { kind: string }) => x.kind === 'verify');
      expect(tasks).toEqual([expect.objectContaining({ kind: 'verify', verificationId: r.id, dueAt: '2026-10-10', overdue: false })]);
      expect(JSON.stringify(tasks)).not.toContain(citizenId(1));
      // The holder of a role that does not answer gets no task; the reporter neither.
      expect((await ok(await call('GET', '/tasks', await t.login(psbReviewer)))).items.some((x: { kind: string }) => x.kind === 'verify')).toBe(false);
      expect((await ok(await call('GET', '/tasks', await t.login('editor')))).items.some((x: { kind: string }) => x.kind === 'verify')).toBe(false);
      // The responsible department was notified.
      const notes = await ok(await call('GET', '/notifications', admin));
      expect(notes.items.find((n: { link: string }) => n.link === `/verifications/${r.id}`)).toMatchObject({ kind: 'verification.reported', read: false });

      // Past the due date it shows as overdue, in the list and in the task.
      t.clock.set('2026-10-12T09:00:00+08:00');
      const admin2 = await t.login(psbAdmin);
      const assigned = await ok(await call('GET', '/verifications?role=assigned&status=open', admin2));
      expect(assigned.items.find((x: { id: string }) => x.id === r.id)).toMatchObject({ overdue: true, canAnswer: true });
      const later = (await ok(await call('GET', '/tasks', admin2))).items.find((x: { verificationId?: string }) => x.verificationId === r.id);
      expect(later.overdue).toBe(true);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('notifies the reporter of the answer and audits both steps', async () => {
    const r = await report(2);
    const admin = await t.login(psbAdmin);
    const answered = await ok(await call('POST', `/verifications/${r.id}/answer`, admin, { outcome: 'corrected', value: '张三丰', note: '已按婚姻登记档案更正' }));
    expect(answered).toMatchObject({ status: 'answered', outcome: 'corrected', answerValue: '张三丰', canAnswer: false });

    const editor = await t.login('editor');
    const notes = await ok(await call('GET', '/notifications', editor));
    expect(notes.items.find((n: { link: string }) => n.link === `/verifications/${r.id}`)).toMatchObject({ kind: 'verification.answered', read: false });
    const reported = await ok(await call('GET', '/verifications?role=reported&status=answered', editor));
    expect(reported.items.map((x: { id: string }) => x.id)).toContain(r.id);
    // The answered report left the to-do list.
    expect((await ok(await call('GET', '/tasks', admin))).items.some((x: { verificationId?: string }) => x.verificationId === r.id)).toBe(false);

    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', r.id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['verification.reported', 'verification.answered']);
    expect(JSON.stringify(audit)).not.toContain(citizenId(2));

    // A second answer is an illegal transition: 409, audited as denied.
    expectProblem(await call('POST', `/verifications/${r.id}/answer`, admin, { outcome: 'confirmed', value: 'x' }), 409, 'VERIFICATION_ALREADY_ANSWERED');
  });

  it('shows a report to both parties and answers 404 to other departments', async () => {
    const r = await report(3);
    await ok(await call('GET', `/verifications/${r.id}`, await t.login('editor')));
    await ok(await call('GET', `/verifications/${r.id}`, await t.login(psbReviewer)));
    const other = await t.login(otherAdmin);
    expectProblem(await call('GET', `/verifications/${r.id}`, other), 404, 'VERIFICATION_NOT_FOUND');
    expectProblem(await call('POST', `/verifications/${r.id}/answer`, other, { outcome: 'confirmed', value: '张三' }), 404, 'VERIFICATION_NOT_FOUND');
    expect((await ok(await call('GET', '/verifications', other))).items.map((x: { id: string }) => x.id)).not.toContain(r.id);
    // The reporter cannot answer its own report; a reviewer of the responsible department neither.
    expectProblem(await call('POST', `/verifications/${r.id}/answer`, await t.login('deptadmin'), { outcome: 'confirmed', value: '张三' }), 403, 'FORBIDDEN');
    expectProblem(await call('POST', `/verifications/${r.id}/answer`, await t.login(psbReviewer), { outcome: 'confirmed', value: '张三' }), 403, 'FORBIDDEN');
  });

  it('answers bad input with 4xx problem+json, never 500', async () => {
    const editor = await t.login('editor');
    const good = { basicItemId: psbName, idType: 'citizen_id', id: citizenId(4), reportedValue: '李四' };
    const cases: [unknown, number, string?][] = [
      [{ ...good, id: '441302198505050000' }, 422, 'VALIDATION_FAILED'], // wrong check character
      [{ ...good, idType: 'passport' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, basicItemId: 'nope' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, basicItemId: '01900000-0000-7000-8000-000000000001' }, 422, 'VERIFICATION_UNKNOWN_ITEM'],
      [{ ...good, basicItemId: civilMarital }, 422, 'VERIFICATION_OWN_ITEM'],
      [{ ...good, reportedValue: '' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, extra: 1 }, 422, 'VALIDATION_FAILED'],
      [{ ...good, id: 'x'.repeat(5000) }, 422, 'VALIDATION_FAILED'],
      [[], 422, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/verifications', editor, body);
      expectProblem(res, status, code);
      expect(res.body).not.toContain('441302198505050000');
    }
    expectProblem(await call('GET', '/verifications?role=x', editor), 422);
    expectProblem(await call('GET', '/verifications/not-an-id', editor), 422);
    expectProblem(await call('POST', '/verifications/01900000-0000-7000-8000-000000000001/answer', editor, { outcome: 'maybe', value: 'x' }), 422);
    expectProblem(await call('POST', '/verifications/01900000-0000-7000-8000-000000000001/answer', editor, { outcome: 'confirmed', value: 'x' }), 404);
    // A reviewer has no role to report.
    expectProblem(await call('POST', '/verifications', await t.login('reviewer'), good), 403, 'FORBIDDEN');
  });

  it('shows the responsible department the value its dataset holds for the subject, and nobody else', async () => {
    const psb = await t.departmentId(DEMO.psb);
    const editor = await t.login(await t.makeUser({ roles: ['catalog_editor'], departmentId: psb }));
    const items = [
      { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
      { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, basicItemId: psbName },
    ];
    const created = await ok(await call('POST', '/catalog/entries', editor, entryFields({ items })), 201);
    for (const [who, action] of [
      [editor, 'submit'],
      [await t.login(psbReviewer), 'approve'],
      [await t.login('authority'), 'publish'],
    ] as const) {
      await ok(await call('POST', `/catalog/entries/${created.id}/transitions`, who, { action }));
    }
    const code = (await ok(await call('GET', `/catalog/entries/${created.id}`, editor))).code as string;
    const batch = await t.call({
      method: 'POST',
      url: `/api/v1/datasets/${encodeURIComponent(code)}/batches`,
      cookie: editor,
      body: { records: [{ values: { citizenId: citizenId(5), name: '张三' } }] },
      headers: { 'idempotency-key': 'verification-platform-value' },
    });
    await ok(batch);
    const r = await report(5);
    const seen = await ok(await call('GET', `/verifications/${r.id}`, await t.login(psbAdmin)));
    expect(seen.platformValues).toEqual([expect.objectContaining({ dataset: code, itemEn: 'name', value: '张三' })]);
    expect((await ok(await call('GET', `/verifications/${r.id}`, await t.login('editor')))).platformValues).toBeNull();
  });

  it('keeps no raw identifier in any table but subjects', async () => {
    const needles = [citizenId(1), citizenId(2), citizenId(3), citizenId(5)];
    expect(await findRawIdentifiers(t.app.database.db, needles)).toEqual([]);
    const stored = await t.app.database.db.selectFrom('verification_reports').select(['subject_token', 'subject_masked']).execute();
    expect(stored.length).toBeGreaterThanOrEqual(3);
  });
});
