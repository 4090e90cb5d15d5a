import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../../../test/harness.js';
import { notify } from './notifications.js';

let t: TestPlatform;
let civil: string;
let psb: string;
// Fresh departments, so nothing else the platform notifies (sweeps, other domains) is counted.
const as = { editor: '', reviewer: '' };
beforeAll(async () => {
  t = await startTestPlatform();
  civil = await t.makeDepartment();
  psb = await t.makeDepartment();
  as.editor = await t.makeUser({ roles: ['catalog_editor'], departmentId: civil });
  as.reviewer = await t.makeUser({ roles: ['catalog_reviewer'], departmentId: civil });
});
afterAll(async () => {
  await t.close();
});

const list = async (cookie: string) => (await t.call({ method: 'GET', url: '/api/v1/notifications', cookie })).json();

describe('notifications', () => {
  it('reaches everyone of the department, or only the holders of a role, and nobody elsewhere', async () => {
    const db = t.app.database.db;
    const at = t.clock.now();
    await notify(db, { departmentId: civil, role: null, kind: 'test.all', title: '全体通知 For everyone', link: '/home', at });
    await notify(db, { departmentId: civil, role: 'catalog_reviewer', kind: 'test.reviewers', title: '审核员通知 For reviewers', at: new Date(at.getTime() + 1000) });
    await notify(db, { departmentId: psb, role: null, kind: 'test.other', title: '其他部门 Another department', at });

    const editor = await list(await t.login(as.editor));
    expect(editor.items.map((n: { kind: string }) => n.kind)).toEqual(['test.all']);
    expect(editor.unread).toBe(1);
    expect(editor.items[0]).toMatchObject({ title: '全体通知 For everyone', link: '/home', read: false });

    const reviewer = await list(await t.login(as.reviewer));
    // Newest first.
    expect(reviewer.items.map((n: { kind: string }) => n.kind)).toEqual(['test.reviewers', 'test.all']);
    expect(reviewer.unread).toBe(2);
  });

  it('marks one read for the reader only, and all read at once', async () => {
    const reviewerCookie = await t.login(as.reviewer);
    const before = await list(reviewerCookie);
    const first = before.items[0].id as string;
    const res = await t.call({ method: 'POST', url: `/api/v1/notifications/${first}/read`, cookie: reviewerCookie });
    expect(res.statusCode).toBe(200);
    const after = await list(reviewerCookie);
    expect(after.unread).toBe(before.unread - 1);
    expect(after.items.find((n: { id: string }) => n.id === first).read).toBe(true);
    // The editor's own copy of the shared notification is untouched.
    const editorCookie = await t.login(as.editor);
    expect((await list(editorCookie)).unread).toBe(1);

    const all = await t.call({ method: 'POST', url: '/api/v1/notifications/read-all', cookie: reviewerCookie });
    expect(all.statusCode).toBe(200);
    expect((await list(reviewerCookie)).unread).toBe(0);
    expect((await list(editorCookie)).unread).toBe(1);
  });

  it("answers 404 for another department's notification and 422 for a malformed id", async () => {
    const other = await t.call({ method: 'GET', url: '/api/v1/notifications', cookie: await t.login(as.editor) });
    const id = other.json().items[0].id as string;
    const psbUser = await t.makeUser({ roles: ['dept_admin'], departmentId: psb });
    const cookie = await t.login(psbUser);
    const res = await t.call({ method: 'POST', url: `/api/v1/notifications/${id}/read`, cookie });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await t.call({ method: 'POST', url: '/api/v1/notifications/nope/read', cookie })).statusCode).toBe(422);
    expect((await t.call({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
  });
});
