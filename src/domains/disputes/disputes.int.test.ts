import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../test/harness.js';
import { findRawIdentifiers } from '../../../test/raw-identifier-scan.js';
import { tokenForIdentifier } from '../../platform/vault/index.js';
import { citizenIdCheckChar } from '../../platform/validators/index.js';
import { disputedSubjects, sweepOverdueDisputes } from './index.js';

let t: TestPlatform;
let dibao: { id: string; code: string }; // 最低生活保障信息, provided by civil affairs
const as = { psbAdmin: '', civilAdmin: '', civilReviewer: '', authority: '', operator: '', otherAdmin: '' };
let psb: string;
let civil: string;

/** The demo's made-up citizen ID number of recipient i (src/domains/demo/demo-collection.ts). */
function recipientId(i: number): string {
  const year = 1940 + (i % 60);
  const month = String(1 + (i % 12)).padStart(2, '0');
  const day = String(1 + ((i * 7) % 28)).padStart(2, '0');
  const first17 = `441302${year}${month}${day}${String(100 + i).slice(-3)}`;
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

const sessions = new Map<string, { cookie: string; at: number }>();
/** A session cookie, signing in again when the fake clock has moved away from the last sign-in (sessions expire with it). */
async function login(username: string): Promise<string> {
  const now = t.clock.now().getTime();
  const s = sessions.get(username);
  if (s && now >= s.at && now - s.at < 3_600_000) return s.cookie;
  const cookie = await t.login(username);
  sessions.set(username, { cookie, at: now });
  return cookie;
}
const step = async (id: string, who: string, body: Record<string, unknown>) => ok(await call('POST', `/disputes/${id}/actions`, await login(who), body));
const fileD1 = async (extra: Record<string, unknown> = {}) =>
  ok(await call('POST', '/disputes', await login(as.psbAdmin), { kind: 'department_dispute', dataset: dibao.code, category: 'content', description: '低保状态与户籍死亡登记不一致', ...extra }), 201);
const fileD2 = async (seq: number, who = 'authority') =>
  ok(
    await call('POST', '/disputes', await login(who), {
      kind: 'public_objection',
      dataset: dibao.code,
      category: 'error',
      description: '本人已于2025年退出低保，平台仍显示在保',
      idType: 'citizen_id',
      id: recipientId(seq),
      channel: 'counter',
    }),
    201,
  );
const tasksOf = async (who: string) => (await ok(await call('GET', '/tasks', await login(who)))).items.filter((x: { kind: string }) => x.kind === 'dispute');
const notesOf = async (who: string, id: string) => (await ok(await call('GET', '/notifications?limit=200', await login(who)))).items.filter((n: { link: string }) => n.link === `/disputes/${id}`);
/** The verification report's bytes, as a party downloads them. */
async function pdfOf(id: string, who: string): Promise<Buffer> {
  const res = await call('GET', `/disputes/${id}/report.pdf`, await login(who));
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.rawPayload;
}
const auditOf = (id: string) => t.app.database.db.selectFrom('audit_log').select(['action', 'details']).where('target_id', '=', id).orderBy('seq').execute();

beforeAll(async () => {
  t = await startTestPlatform();
  const db = t.app.database.db;
  dibao = await db
    .selectFrom('catalog_entries as e')
    .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.published_version'))
    .select(['e.id', 'e.code'])
    .where('v.name', '=', '最低生活保障信息')
    .executeTakeFirstOrThrow();
  psb = await t.departmentId(DEMO.psb);
  civil = await t.departmentId(DEMO.civil);
  as.psbAdmin = await t.makeUser({ roles: ['dept_admin'], departmentId: psb });
  as.civilAdmin = 'deptadmin';
  as.civilReviewer = 'reviewer';
  as.authority = 'authority';
  as.operator = 'admin'; // platform_admin of the data management centre
  as.otherAdmin = await t.makeUser({ roles: ['dept_admin', 'catalog_editor'], departmentId: await t.makeDepartment() });
});
afterAll(async () => {
  await t.close();
});

describe('a department disputes shared data (D1, 002 §56)', () => {
  it('is checked by the platform, corrected there for a technical cause, and closed with an archived report', async () => {
    t.clock.set('2026-09-30T10:00:00+08:00');
    try {
      const d = await fileD1({ category: 'freshness', description: '数据更新滞后两个月' });
      // 3 working days from Wed 30 Sep (not counted): 1–7 Oct is the National Day holiday; Thu 8, Fri 9 and the adjusted working Sat 10 Oct.
      expect(d).toMatchObject({ kind: 'department_dispute', status: 'submitted', category: 'freshness', receivedOn: '2026-09-30', dueOn: '2026-10-10', overdue: false, awaiting: 'platform', subject: null, actions: [] });
      expect(d.no).toMatch(/^YY2026\d{6}$/);
      expect(d.dataset).toEqual({ entryId: dibao.id, code: dibao.code, name: '最低生活保障信息', nameEn: 'Minimum living allowance recipients' });
      expect(d.requesterDepartment.name).toBe(DEMO.psb);
      expect(d.responsibleDepartment).toMatchObject({ id: civil, name: DEMO.civil });

      // The platform has it on its to-do list and was notified; the responsible department has nothing to do yet.
      expect(await tasksOf(as.authority)).toContainEqual(expect.objectContaining({ kind: 'dispute', disputeId: d.id, dueAt: '2026-10-10', overdue: false }));
      expect((await notesOf(as.authority, d.id))[0]).toMatchObject({ kind: 'dispute.filed', read: false });
      expect((await tasksOf(as.civilAdmin)).some((x: { disputeId: string }) => x.disputeId === d.id)).toBe(false);
      expect((await ok(await call('GET', `/disputes/${d.id}`, await login(as.authority)))).actions).toEqual(['find_technical', 'transfer']);

      // Fri 9 Oct: a technical cause; corrected within 3 working days of finding it: Sat 10 (adjusted), Mon 12, Tue 13.
      t.clock.set('2026-10-09T15:00:00+08:00');
      const technical = await step(d.id, as.authority, { action: 'find_technical', note: '前置机同步任务中断，平台重新同步' });
      expect(technical).toMatchObject({ status: 'technical', dueOn: '2026-10-13', awaiting: 'platform', actions: ['resolve'] });
      expect(await tasksOf(as.authority)).toContainEqual(expect.objectContaining({ disputeId: d.id, dueAt: '2026-10-13' }));
      expect((await notesOf(as.psbAdmin, d.id)).map((n: { kind: string }) => n.kind)).toEqual(['dispute.technical_found']);

      t.clock.set('2026-10-13T11:00:00+08:00');
      const done = await step(d.id, as.authority, { action: 'resolve', outcome: 'corrected', note: '已重新同步，数据更新至9月' });
      expect(done).toMatchObject({ status: 'resolved', outcome: 'corrected', outcomeNote: '已重新同步，数据更新至9月', dueOn: null, overdue: false, awaiting: null, reportReady: true, actions: [] });
      expect(done.steps.map((s: { action: string; dueOn: string | null; late: boolean; nextDueOn: string | null }) => [s.action, s.dueOn, s.late, s.nextDueOn])).toEqual([
        ['file', null, false, '2026-10-10'],
        ['find_technical', '2026-10-10', false, '2026-10-13'],
        ['resolve', '2026-10-13', false, null],
      ]);
      expect(done.steps[2]).toMatchObject({ actor: { name: '数据局 陈志强' }, department: { name: DEMO.authority }, outcome: 'corrected' });
      expect((await tasksOf(as.authority)).some((x: { disputeId: string }) => x.disputeId === d.id)).toBe(false);

      // The requester is told the report is ready, in-app and by email to its sharing officer.
      const notes = await notesOf(as.psbAdmin, d.id);
      expect(notes[0]).toMatchObject({ kind: 'dispute.resolved' });
      expect(notes[0].title).toContain('核查报告');
      const mail = await t.app.database.db.selectFrom('email_outbox').selectAll().where('kind', '=', 'dispute.resolved').where('department_id', '=', psb).execute();
      expect(mail).toHaveLength(1);
      expect(mail[0]).toMatchObject({ contact_role: 'sharing_officer', link: `/disputes/${d.id}` });
      expect(mail[0]?.subject).toContain(d.no);

      // The report: a PDF with the CJK font embedded, for the parties only.
      const res = await call('GET', `/disputes/${d.id}/report.pdf`, await login(as.psbAdmin));
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      expect(res.headers['content-disposition']).toContain(encodeURIComponent(`核查报告-${d.no}.pdf`));
      const pdf = res.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.includes('NotoSansCJKsc-Regular')).toBe(true);
      expect(pdf.includes('/FontFile3') || pdf.includes('/FontFile2')).toBe(true); // embedded, not merely named
      expect((await pdfOf(d.id, as.civilReviewer)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expectProblem(await call('GET', `/disputes/${d.id}/report.pdf`, await login(as.otherAdmin)), 404, 'DISPUTE_NOT_FOUND');
      const stored = await t.app.database.db.selectFrom('dispute_reports').select(['sm3', 'font']).where('dispute_id', '=', d.id).executeTakeFirstOrThrow();
      expect(stored.font).toBe('NotoSansCJKsc-Regular');

      expect((await auditOf(d.id)).map((a) => a.action)).toEqual(['dispute.filed', 'dispute.technical_found', 'dispute.resolved']);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('goes to the responsible department when the cause is not technical, which checks, corrects and may be late', async () => {
    t.clock.set('2026-09-30T10:00:00+08:00');
    try {
      const seq = 7;
      const d = await fileD1({ category: 'content', idType: 'citizen_id', id: recipientId(seq) });
      expect(d).toMatchObject({ dueOn: '2026-10-10', subject: { kind: 'citizen_id' } });
      expect(d.subject.masked).toContain('*');
      expect(JSON.stringify(d)).not.toContain(recipientId(seq));

      // The adjusted working Sat 10 Oct: transferred; 3 working days from it: Mon 12, Tue 13, Wed 14.
      t.clock.set('2026-10-10T09:30:00+08:00');
      const transferred = await step(d.id, as.authority, { action: 'transfer', note: '非技术原因，请民政局核查' });
      expect(transferred).toMatchObject({ status: 'transferred', dueOn: '2026-10-14', awaiting: 'department', actions: [] });
      expect(await tasksOf(as.civilAdmin)).toContainEqual(expect.objectContaining({ kind: 'dispute', disputeId: d.id, dueAt: '2026-10-14', overdue: false }));
      expect((await tasksOf(as.civilAdmin)).find((x: { disputeId: string }) => x.disputeId === d.id).title).not.toContain(recipientId(seq));
      expect((await tasksOf(as.civilReviewer)).some((x: { disputeId: string }) => x.disputeId === d.id)).toBe(false);
      expect((await notesOf(as.civilAdmin, d.id)).map((n: { kind: string }) => n.kind)).toEqual(['dispute.transferred']);
      expect((await ok(await call('GET', `/disputes?role=assigned&status=transferred`, await login(as.civilAdmin)))).items.map((x: { id: string }) => x.id)).toContain(d.id);
      expect((await ok(await call('GET', `/disputes?role=filed`, await login(as.psbAdmin)))).items.map((x: { id: string }) => x.id)).toContain(d.id);

      // Thu 15 Oct: past the due date, overdue in the list and the task; the answer is recorded as late.
      t.clock.set('2026-10-15T09:00:00+08:00');
      expect((await ok(await call('GET', `/disputes/${d.id}`, await login(as.civilAdmin)))).overdue).toBe(true);
      expect(await tasksOf(as.civilAdmin)).toContainEqual(expect.objectContaining({ disputeId: d.id, overdue: true }));
      const done = await step(d.id, as.civilAdmin, { action: 'resolve', outcome: 'confirmed', note: '经核查，低保档案无误' });
      expect(done).toMatchObject({ status: 'resolved', outcome: 'confirmed', reportReady: true });
      expect(done.steps.at(-1)).toMatchObject({ action: 'resolve', dueOn: '2026-10-14', late: true, department: { name: DEMO.civil } });
      expect((await notesOf(as.psbAdmin, d.id)).map((n: { kind: string }) => n.kind)).toEqual(['dispute.resolved', 'dispute.transferred']);
      expect((await notesOf(as.authority, d.id)).map((n: { kind: string }) => n.kind)).toContain('dispute.resolved');
      const pdf = await pdfOf(d.id, as.authority);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((await auditOf(d.id)).map((a) => a.action)).toEqual(['dispute.filed', 'dispute.transferred', 'dispute.resolved']);
      expect((await auditOf(d.id)).at(-1)?.details).toMatchObject({ late: true, outcome: 'confirmed' });
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('lets each step be taken only by its party, in its turn', async () => {
    const d = await fileD1();
    // The responsible department cannot close a dispute the platform has not checked: 409; the requester never acts: 403.
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.civilAdmin), { action: 'resolve', outcome: 'corrected', note: 'x' }), 409, 'DISPUTE_ILLEGAL_TRANSITION');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.psbAdmin), { action: 'transfer' }), 403, 'FORBIDDEN');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'mark' }), 409, 'DISPUTE_ILLEGAL_TRANSITION');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'resolve', outcome: 'corrected', note: 'x' }), 409, 'DISPUTE_ILLEGAL_TRANSITION');
    await step(d.id, as.authority, { action: 'transfer' });
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'transfer' }), 409, 'DISPUTE_ILLEGAL_TRANSITION');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'find_technical' }), 409, 'DISPUTE_ILLEGAL_TRANSITION');
    // Now it is the department's: the platform may not answer for it, nor may the department's reviewer (no acting role).
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'resolve', outcome: 'corrected', note: 'x' }), 403, 'FORBIDDEN');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.civilReviewer), { action: 'resolve', outcome: 'corrected', note: 'x' }), 403, 'FORBIDDEN');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.psbAdmin), { action: 'resolve', outcome: 'corrected', note: 'x' }), 403, 'FORBIDDEN');
    await step(d.id, as.civilAdmin, { action: 'resolve', outcome: 'corrected', note: '已更正' });
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.civilAdmin), { action: 'resolve', outcome: 'corrected', note: 'x' }), 409, 'DISPUTE_ILLEGAL_TRANSITION');
    // Refusals are audited as denied.
    const denied = await t.app.database.db.selectFrom('audit_log').select('details').where('action', '=', 'access.denied').where('target_id', 'like', 'POST /api/v1/disputes/%').execute();
    expect(denied.length).toBeGreaterThanOrEqual(8);
  });

  it('answers other departments 404, so they never learn a dispute exists', async () => {
    const d = await fileD1();
    const other = await login(as.otherAdmin);
    expectProblem(await call('GET', `/disputes/${d.id}`, other), 404, 'DISPUTE_NOT_FOUND');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, other, { action: 'transfer' }), 404, 'DISPUTE_NOT_FOUND');
    expectProblem(await call('GET', `/disputes/${d.id}/report.pdf`, other), 404, 'DISPUTE_NOT_FOUND');
    expect((await ok(await call('GET', '/disputes', other))).items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    expect((await tasksOf(as.otherAdmin)).length).toBe(0);
    // Both parties and the platform see it.
    for (const who of [as.psbAdmin, as.civilReviewer, as.authority]) await ok(await call('GET', `/disputes/${d.id}`, await login(who)));
    expect((await ok(await call('GET', '/disputes?kind=department_dispute', await login(as.authority)))).items.map((x: { id: string }) => x.id)).toContain(d.id);
    expect((await ok(await call('GET', '/disputes?kind=public_objection', await login(as.authority)))).items.map((x: { id: string }) => x.id)).not.toContain(d.id);
    // A platform administrator of another department is no party to it.
    expectProblem(await call('GET', `/disputes/${d.id}`, await login(as.operator)), 404, 'DISPUTE_NOT_FOUND');
  });

  it('answers bad input with 4xx problem+json, never 500 and never echoing an identifier', async () => {
    const psbCookie = await login(as.psbAdmin);
    const good = { kind: 'department_dispute', dataset: dibao.code, category: 'content', description: '内容有误' };
    const badId = '441302198505050000';
    const cases: [unknown, number, string?][] = [
      [{ ...good, dataset: '999999/000001' }, 422, 'DISPUTE_UNKNOWN_DATASET'],
      [{ ...good, dataset: '01900000-0000-7000-8000-000000000001' }, 422, 'DISPUTE_UNKNOWN_DATASET'],
      [{ ...good, category: 'error' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, kind: 'other' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, description: '  ' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, idType: 'citizen_id' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, id: recipientId(1) }, 422, 'VALIDATION_FAILED'],
      [{ ...good, idType: 'citizen_id', id: badId }, 422, 'VALIDATION_FAILED'],
      [{ ...good, idType: 'passport', id: recipientId(1) }, 422, 'VALIDATION_FAILED'],
      [{ ...good, channel: 'counter' }, 422, 'VALIDATION_FAILED'],
      [{ ...good, extra: 1 }, 422, 'VALIDATION_FAILED'],
      [{ ...good, description: '长'.repeat(4001) }, 422, 'VALIDATION_FAILED'],
      [[], 422, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/disputes', psbCookie, body);
      expectProblem(res, status, code);
      expect(res.body).not.toContain(badId);
    }
    // A department does not dispute its own dataset.
    expectProblem(await call('POST', '/disputes', await login(as.civilAdmin), good), 422, 'DISPUTE_OWN_DATASET');
    // A reviewer has no role to file; a department cannot file a person's objection.
    expectProblem(await call('POST', '/disputes', await login(as.civilReviewer), good), 403, 'FORBIDDEN');
    const objection = { kind: 'public_objection', dataset: dibao.code, category: 'error', description: 'x', idType: 'citizen_id', id: recipientId(2), channel: 'phone' };
    expectProblem(await call('POST', '/disputes', psbCookie, objection), 403, 'FORBIDDEN');
    const authority = await login(as.authority);
    expectProblem(await call('POST', '/disputes', authority, { ...objection, channel: 'web' }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', '/disputes', authority, { ...objection, category: 'content' }), 422, 'VALIDATION_FAILED');
    const { idType: _t, id: _i, ...anonymous } = objection;
    expectProblem(await call('POST', '/disputes', authority, anonymous), 422, 'VALIDATION_FAILED');

    const d = await fileD1();
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, authority, { action: 'transfer', outcome: 'corrected' }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, authority, { action: 'nope' }), 422, 'VALIDATION_FAILED');
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, authority, { action: 'transfer', extra: true }), 422, 'VALIDATION_FAILED');
    await step(d.id, as.authority, { action: 'find_technical' });
    const missing = await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'resolve' });
    expectProblem(missing, 422, 'VALIDATION_FAILED');
    expect(missing.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['note', 'outcome']);
    expectProblem(await call('GET', `/disputes/${d.id}/report.pdf`, psbCookie), 409, 'DISPUTE_REPORT_NOT_READY');
    expectProblem(await call('GET', '/disputes?role=x', psbCookie), 422);
    expectProblem(await call('GET', '/disputes?status=closed', psbCookie), 422);
    expectProblem(await call('GET', '/disputes/not-an-id', psbCookie), 422);
    expectProblem(await call('GET', '/disputes/01900000-0000-7000-8000-000000000001', psbCookie), 404, 'DISPUTE_NOT_FOUND');
    expectProblem(await call('POST', '/disputes/01900000-0000-7000-8000-000000000001/actions', psbCookie, { action: 'transfer' }), 404, 'DISPUTE_NOT_FOUND');
  });

  it('refuses to close without a CJK font, naming what to install, and changes nothing', async () => {
    const d = await fileD1();
    await step(d.id, as.authority, { action: 'find_technical' });
    const config = t.app.config as { HUITONG_CJK_FONT?: string | undefined };
    config.HUITONG_CJK_FONT = '/nonexistent/fonts/missing.ttf';
    try {
      const res = await call('POST', `/disputes/${d.id}/actions`, await login(as.authority), { action: 'resolve', outcome: 'corrected', note: '已更正' });
      expectProblem(res, 503, 'DISPUTE_REPORT_FONT_MISSING');
      expect(res.json().detail).toMatch(/fonts-noto-cjk/);
      expect((await ok(await call('GET', `/disputes/${d.id}`, await login(as.authority)))).status).toBe('technical');
    } finally {
      config.HUITONG_CJK_FONT = undefined;
    }
    expect(await step(d.id, as.authority, { action: 'resolve', outcome: 'corrected', note: '已更正' })).toMatchObject({ status: 'resolved', reportReady: true });
  });
});

describe('a person objects to data about them (D2, 001-data §33)', () => {
  it('is marked within a day, transferred within two, and verified by the department within five', async () => {
    t.clock.set('2026-09-30T10:00:00+08:00');
    try {
      const seq = 5;
      const d = await fileD2(seq);
      // 1 working day from Wed 30 Sep: Thu 8 Oct, after the National Day holiday.
      expect(d).toMatchObject({ kind: 'public_objection', status: 'submitted', channel: 'counter', dueOn: '2026-10-08', awaiting: 'platform', marked: false, actions: ['mark'] });
      expect(d.requesterDepartment.name).toBe(DEMO.authority);
      expect(JSON.stringify(d)).not.toContain(recipientId(seq));
      const tokened = tokenForIdentifier(t.app.vault, 'citizen_id', recipientId(seq));
      if (!tokened.ok) throw new Error(tokened.message);
      const token = tokened.token;
      expect((await disputedSubjects(t.app.database.db, dibao.id, [token])).size).toBe(0);

      // Thu 8 Oct: marked; decided or transferred within 2 working days of receipt: Thu 8, Fri 9.
      t.clock.set('2026-10-08T09:00:00+08:00');
      const marked = await step(d.id, as.authority, { action: 'mark' });
      expect(marked).toMatchObject({ status: 'marked', dueOn: '2026-10-09', marked: true, actions: ['resolve', 'transfer'] });
      expect(await disputedSubjects(t.app.database.db, dibao.id, [token, 'other-token'])).toEqual(new Set([token]));
      expect((await notesOf(as.civilAdmin, d.id)).map((n: { kind: string }) => n.kind)).toEqual(['dispute.marked']);

      // Fri 9 Oct: transferred; the department verifies within 5 working days: Sat 10 (adjusted), Mon 12 … Thu 15.
      t.clock.set('2026-10-09T16:00:00+08:00');
      const transferred = await step(d.id, as.authority, { action: 'transfer', note: '转民政局核实' });
      expect(transferred).toMatchObject({ status: 'transferred', dueOn: '2026-10-15', awaiting: 'department', marked: true });
      expect(await tasksOf(as.civilAdmin)).toContainEqual(expect.objectContaining({ disputeId: d.id, dueAt: '2026-10-15' }));

      t.clock.set('2026-10-15T17:00:00+08:00');
      const done = await step(d.id, as.civilAdmin, { action: 'resolve', outcome: 'corrected', note: '已更正为停保' });
      expect(done).toMatchObject({ status: 'resolved', outcome: 'corrected', marked: false, reportReady: true });
      expect(done.steps.map((s: { action: string; late: boolean }) => [s.action, s.late])).toEqual([
        ['file', false],
        ['mark', false],
        ['transfer', false],
        ['resolve', false],
      ]);
      expect((await disputedSubjects(t.app.database.db, dibao.id, [token])).size).toBe(0);
      expect((await notesOf(as.authority, d.id)).map((n: { kind: string }) => n.kind)).toContain('dispute.resolved');
      const pdf = await pdfOf(d.id, as.authority);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect((await auditOf(d.id)).map((a) => a.action)).toEqual(['dispute.filed', 'dispute.marked', 'dispute.transferred', 'dispute.resolved']);
      expect((await auditOf(d.id))[0]?.details).toMatchObject({ subjectToken: token });
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('may be decided by the authority itself once marked, and is taken by the platform operator too', async () => {
    const d = await fileD2(6, as.operator);
    expect(d.requesterDepartment.name).toBe(DEMO.operator);
    // The operator's department files; the platform (authority) acts.
    expect((await ok(await call('GET', `/disputes/${d.id}`, await login(as.operator)))).actions).toEqual([]);
    expect((await notesOf(as.authority, d.id)).map((n: { kind: string }) => n.kind)).toEqual(['dispute.filed']);
    expectProblem(await call('POST', `/disputes/${d.id}/actions`, await login(as.operator), { action: 'mark' }), 403, 'FORBIDDEN');
    await step(d.id, as.authority, { action: 'mark' });
    const done = await step(d.id, as.authority, { action: 'resolve', outcome: 'confirmed', note: '经核实，记录无误，已告知异议人' });
    expect(done).toMatchObject({ status: 'resolved', outcome: 'confirmed', marked: false });
    expect((await notesOf(as.operator, d.id)).map((n: { kind: string }) => n.kind)).toContain('dispute.resolved');
    expect((await pdfOf(d.id, as.operator)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});

describe('overdue sweep', () => {
  it('notifies the party who must act once per overdue step, however often it runs', async () => {
    t.clock.set('2026-11-23T10:00:00+08:00'); // Mon
    try {
      const d = await fileD1();
      expect(d.dueOn).toBe('2026-11-26'); // Tue, Wed, Thu
      const overdueNotes = async (who: string) => (await notesOf(who, d.id)).filter((n: { kind: string }) => n.kind === 'dispute.overdue');
      const overdueAudit = async () => (await auditOf(d.id)).filter((a) => a.action === 'dispute.overdue');

      // On the due date itself nothing is overdue.
      t.clock.set('2026-11-26T23:00:00+08:00');
      await sweepOverdueDisputes(t.app, t.clock.now());
      expect(await overdueNotes(as.authority)).toHaveLength(0);

      t.clock.set('2026-11-27T08:00:00+08:00');
      expect(await sweepOverdueDisputes(t.app, t.clock.now())).toBeGreaterThanOrEqual(1);
      expect(await sweepOverdueDisputes(t.app, t.clock.now())).toBe(0);
      t.clock.set('2026-11-30T08:00:00+08:00');
      expect(await sweepOverdueDisputes(t.app, t.clock.now())).toBe(0);
      expect(await overdueNotes(as.authority)).toHaveLength(1);
      expect((await overdueNotes(as.authority))[0].title).toContain('2026-11-26');
      expect(await overdueAudit()).toHaveLength(1);

      // The late transfer opens a new step (due Thu 3 Dec); once that is overdue, the department is told, once.
      const transferred = await step(d.id, as.authority, { action: 'transfer' });
      expect(transferred.dueOn).toBe('2026-12-03');
      expect(transferred.steps.at(-1)).toMatchObject({ action: 'transfer', late: true });
      t.clock.set('2026-12-04T08:00:00+08:00');
      await sweepOverdueDisputes(t.app, t.clock.now());
      await sweepOverdueDisputes(t.app, t.clock.now());
      expect(await overdueNotes(as.civilAdmin)).toHaveLength(1);
      expect(await overdueAudit()).toHaveLength(2);
      expect((await overdueAudit()).map((a) => (a.details as { party: string }).party)).toEqual(['platform', 'department']);

      // A resolved dispute is never raised.
      await step(d.id, as.civilAdmin, { action: 'resolve', outcome: 'corrected', note: '已更正' });
      t.clock.set('2026-12-31T08:00:00+08:00');
      await sweepOverdueDisputes(t.app, t.clock.now());
      expect(await overdueAudit()).toHaveLength(2);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });
});

describe('OpenAPI', () => {
  it('documents every dispute route under the disputes tag', async () => {
    const doc = (await t.call({ method: 'GET', url: '/api/openapi.json' })).json();
    const paths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/v1/disputes'));
    expect(paths.sort()).toEqual(['/api/v1/disputes', '/api/v1/disputes/{id}', '/api/v1/disputes/{id}/actions', '/api/v1/disputes/{id}/report.pdf']);
    for (const p of paths) for (const op of Object.values(doc.paths[p]) as { tags: string[] }[]) expect(op.tags).toEqual(['disputes']);
    expect(JSON.stringify(doc.paths['/api/v1/disputes'].post.requestBody)).toContain('public_objection');
  });
});

describe('identifiers', () => {
  it('keeps no raw identifier in any table but subjects, reports included', async () => {
    const needles = [recipientId(5), recipientId(6), recipientId(7)];
    expect(await findRawIdentifiers(t.app.database.db, needles)).toEqual([]);
    const stored = await t.app.database.db.selectFrom('disputes').select(['subject_token', 'subject_masked']).where('subject_token', 'is not', null).execute();
    expect(stored.length).toBeGreaterThanOrEqual(3);
  });
});
