import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO, entryFields, startTestPlatform, TEST_NOW, type TestPlatform } from '../../../test/harness.js';

let t: TestPlatform;
/** Session cookies of the demo people. */
const as: Record<'editor' | 'reviewer' | 'deptadmin' | 'authority' | 'supervisor' | 'admin' | 'psbEditor' | 'psbReviewer', string> = {
  editor: '',
  reviewer: '',
  deptadmin: '',
  authority: '',
  supervisor: '',
  admin: '',
  psbEditor: '',
  psbReviewer: '',
};
let civil: string;
let psb: string;

beforeAll(async () => {
  t = await startTestPlatform();
  for (const [k, username] of Object.entries({ editor: 'editor', reviewer: 'reviewer', deptadmin: 'deptadmin', authority: 'authority', supervisor: 'supervisor', admin: 'admin', psbEditor: 'psb.editor', psbReviewer: 'psb.reviewer' })) {
    as[k as keyof typeof as] = await t.login(username);
  }
  civil = await t.departmentId(DEMO.civil);
  psb = await t.departmentId(DEMO.psb);
});
afterAll(async () => {
  await t.close();
});

// ---------------------------------------------------------------------------------------------
// Helpers: the calls a person makes, and factories that drive an entry into a given state.

const call = (method: string, url: string, cookie: string, body?: unknown) => t.call({ method, url: `/api/v1${url}`, cookie, ...(body !== undefined ? { body } : {}) });

type Fields = ReturnType<typeof entryFields>;

/** A draft made by an editor (civil by default); returns its id and the fields it was made from. */
async function makeEntry(overrides: Record<string, unknown> = {}, cookie = as.editor): Promise<{ id: string; fields: Fields }> {
  const fields = entryFields(overrides);
  const res = await call('POST', '/catalog/entries', cookie, fields);
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, fields };
}

const act = (id: string, cookie: string, action: string, reason?: string) =>
  call('POST', `/catalog/entries/${id}/transitions`, cookie, reason === undefined ? { action } : { action, reason });

async function actOk(id: string, cookie: string, action: string, reason?: string) {
  const res = await act(id, cookie, action, reason);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json();
}

/** A civil entry taken through the whole workflow to publication. */
async function makePublished(overrides: Record<string, unknown> = {}, who = { editor: as.editor, reviewer: as.reviewer }) {
  const e = await makeEntry(overrides, who.editor);
  await actOk(e.id, who.editor, 'submit');
  await actOk(e.id, who.reviewer, 'approve');
  await actOk(e.id, as.authority, 'publish');
  return e;
}

async function makeSubmitted(overrides: Record<string, unknown> = {}) {
  const e = await makeEntry(overrides);
  await actOk(e.id, as.editor, 'submit');
  return e;
}

const getEntry = async (id: string, cookie = as.editor) => (await call('GET', `/catalog/entries/${id}`, cookie)).json();

function expectProblem(res: LightMyRequestResponse, status: number, code: string, error?: { field: string; rule?: string }) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
  if (error) expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining(error)]));
}

async function auditOf(requestId: string) {
  return t.app.database.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).execute();
}

/** Row counts of every catalog table and the audit head, to prove a refused request saved nothing. */
async function footprint() {
  const db = t.app.database.db;
  const count = async (table: 'catalog_entries' | 'catalog_versions' | 'catalog_transitions' | 'basic_items' | 'department_lists' | 'catalog_snapshots' | 'catalog_full_reviews') =>
    Number((await db.selectFrom(table).select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const versions = await db.selectFrom('catalog_versions').select(['entry_id', 'version', 'status', 'data', 'updated_at']).orderBy('entry_id').orderBy('version').execute();
  const head = await db.selectFrom('audit_head').select('seq').executeTakeFirstOrThrow();
  return {
    counts: {
      entries: await count('catalog_entries'),
      versions: await count('catalog_versions'),
      transitions: await count('catalog_transitions'),
      basicItems: await count('basic_items'),
      lists: await count('department_lists'),
      snapshots: await count('catalog_snapshots'),
      fullReviews: await count('catalog_full_reviews'),
    },
    versions: JSON.stringify(versions),
    auditSeq: Number(head.seq),
  };
}

/** Nothing but (at most) the audit entry of the refusal itself was written since `before`. */
async function expectNothingSaved(before: Awaited<ReturnType<typeof footprint>>) {
  const after = await footprint();
  expect(after.counts).toEqual(before.counts);
  expect(after.versions).toBe(before.versions);
  const added = await t.app.database.db.selectFrom('audit_log').select(['action', 'outcome']).where('seq', '>', before.auditSeq).execute();
  for (const a of added) expect(a).toEqual({ action: 'access.denied', outcome: 'denied' });
}

// ---------------------------------------------------------------------------------------------

describe('the catalog workflow', () => {
  it('takes an entry from draft through review to publication, recording every step', async () => {
    const { id, fields } = await makeEntry({ name: '城乡低保家庭复核信息' });
    const draft = await getEntry(id);
    expect(draft).toMatchObject({ status: 'draft', latestVersion: 1, publishedVersion: null, departmentId: civil, code: expect.stringMatching(/^301001\/\d{6}$/) });
    expect(draft.current).toMatchObject({ version: 1, name: fields.name, summary: fields.summary, items: fields.items.map((i) => expect.objectContaining(i)) });

    expect((await actOk(id, as.editor, 'submit')).status).toBe('submitted');
    expect((await actOk(id, as.reviewer, 'approve')).status).toBe('approved');
    const published = await actOk(id, as.authority, 'publish');
    expect(published).toMatchObject({ status: 'published', publishedVersion: 1, current: { publishedAt: expect.any(String) } });

    const history = await t.app.database.db.selectFrom('catalog_transitions').selectAll().where('entry_id', '=', id).orderBy('at').orderBy('id').execute();
    expect(history.map((h) => [h.action, h.from_status, h.to_status])).toEqual([
      ['submit', 'draft', 'submitted'],
      ['approve', 'submitted', 'approved'],
      ['publish', 'approved', 'published'],
    ]);
    const audit = await t.app.database.db.selectFrom('audit_log').select(['action']).where('target_id', '=', id).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['catalog.entry_created', 'catalog.submitted', 'catalog.approved', 'catalog.published']);
  });

  it('returns a submitted version to the editor with the reason, and takes it again after a fix', async () => {
    const { id, fields } = await makeSubmitted();
    const returned = await actOk(id, as.reviewer, 'return', '请补充信息项的长度说明。');
    expect(returned).toMatchObject({ status: 'returned', current: { returnReason: '请补充信息项的长度说明。' } });
    const fixed = await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, summary: '补充后的摘要。' });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ status: 'returned', current: { summary: '补充后的摘要。' } });
    const resubmitted = await actOk(id, as.editor, 'submit');
    expect(resubmitted).toMatchObject({ status: 'submitted', current: { returnReason: null } });
    expect((await actOk(id, as.reviewer, 'approve')).status).toBe('approved');
  });

  it('lets the authority return an approved version with a reason instead of publishing it', async () => {
    const { id } = await makeSubmitted();
    await actOk(id, as.reviewer, 'approve');
    const res = await actOk(id, as.authority, 'return', '共享条件与法律依据不一致。');
    expect(res).toMatchObject({ status: 'returned', publishedVersion: null, current: { returnReason: '共享条件与法律依据不一致。' } });
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', id).where('action', '=', 'catalog.returned').executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ from: 'approved', to: 'returned', reason: '共享条件与法律依据不一致。' });
  });

  it('refuses a return without a reason, naming the field, and leaves the version where it was', async () => {
    const { id } = await makeSubmitted();
    const before = await footprint();
    expectProblem(await act(id, as.reviewer, 'return'), 422, 'CATALOG_REASON_REQUIRED', { field: 'reason', rule: 'required' });
    expectProblem(await act(id, as.reviewer, 'return', '   '), 422, 'CATALOG_REASON_REQUIRED', { field: 'reason' });
    await expectNothingSaved(before);
    expect((await getEntry(id)).status).toBe('submitted');
  });

  it('refuses an editor approving their own entry even when they also hold the reviewer role, and audits it', async () => {
    const both = await t.login(await t.makeUser({ roles: ['catalog_editor', 'catalog_reviewer'], departmentId: civil }));
    const { id } = await makeEntry({}, both);
    await actOk(id, both, 'submit');
    const before = await footprint();
    const res = await act(id, both, 'approve');
    expectProblem(res, 403, 'CATALOG_SELF_APPROVAL');
    await expectNothingSaved(before);
    expect((await getEntry(id)).status).toBe('submitted');
    expect(await auditOf(res.json().requestId)).toEqual([expect.objectContaining({ action: 'access.denied', outcome: 'denied' })]);
    // Someone else may approve it.
    expect((await actOk(id, as.reviewer, 'approve')).status).toBe('approved');
  });

  it('refuses a reviewer approving a version they submitted for someone else', async () => {
    const both = await t.login(await t.makeUser({ roles: ['catalog_editor', 'catalog_reviewer'], departmentId: civil }));
    const { id } = await makeEntry();
    await actOk(id, both, 'submit');
    expectProblem(await act(id, both, 'approve'), 403, 'CATALOG_SELF_APPROVAL');
  });

  it("refuses a reviewer approving a colleague's draft they edited themselves", async () => {
    const both = await t.login(await t.makeUser({ roles: ['catalog_editor', 'catalog_reviewer'], departmentId: civil }));
    const { id, fields } = await makeEntry();
    const edit = await call('PUT', `/catalog/entries/${id}/draft`, both, { ...fields, summary: '改写后的摘要。' });
    expect(edit.statusCode, edit.body).toBe(200);
    await actOk(id, as.editor, 'submit');
    expectProblem(await act(id, both, 'approve'), 403, 'CATALOG_SELF_APPROVAL');
    expect((await actOk(id, as.reviewer, 'approve')).status).toBe('approved');
  });

  it('refuses an editor approving, and a reviewer publishing', async () => {
    const { id } = await makeSubmitted();
    expectProblem(await act(id, as.editor, 'approve'), 403, 'FORBIDDEN');
    await actOk(id, as.reviewer, 'approve');
    expectProblem(await act(id, as.reviewer, 'publish'), 403, 'FORBIDDEN');
    expectProblem(await act(id, as.editor, 'publish'), 403, 'FORBIDDEN');
    expect((await getEntry(id)).status).toBe('approved');
  });

  it.each([
    ['approve a draft that was never submitted', 'draft', 'approve', 'reviewer'],
    ['publish a submitted version the reviewer has not approved', 'submitted', 'publish', 'authority'],
    ['submit a version that is already submitted', 'submitted', 'submit', 'editor'],
    ['approve a version twice', 'approved', 'approve', 'reviewer'],
    ['submit a published version', 'published', 'submit', 'editor'],
    ['return a published version', 'published', 'return', 'authority'],
  ] as const)('refuses to %s as an illegal transition, audited, changing nothing', async (_what, state, action, who) => {
    const { id } = await makeEntry();
    if (state !== 'draft') await actOk(id, as.editor, 'submit');
    if (state === 'approved' || state === 'published') await actOk(id, as.reviewer, 'approve');
    if (state === 'published') await actOk(id, as.authority, 'publish');
    const before = await footprint();
    const res = await act(id, as[who], action, action === 'return' ? '理由' : undefined);
    expectProblem(res, 409, 'CATALOG_ILLEGAL_TRANSITION');
    await expectNothingSaved(before);
    expect((await getEntry(id)).status).toBe(state);
    expect(await auditOf(res.json().requestId)).toEqual([expect.objectContaining({ action: 'access.denied' })]);
  });

  it('refuses an unknown workflow action, naming the field', async () => {
    const { id } = await makeEntry();
    expectProblem(await act(id, as.editor, 'withdraw'), 422, 'VALIDATION_FAILED', { field: 'action' });
  });
});

describe("another department's entries", () => {
  it("hides another department's unpublished entry as not found, and refuses acting on it", async () => {
    const { id, fields } = await makeSubmitted();
    const before = await footprint();
    expectProblem(await call('GET', `/catalog/entries/${id}`, as.psbEditor), 404, 'CATALOG_NOT_FOUND');
    expectProblem(await call('GET', `/catalog/entries/${id}/versions/1`, as.psbEditor), 404, 'CATALOG_NOT_FOUND');
    expectProblem(await act(id, as.psbReviewer, 'approve'), 404, 'CATALOG_NOT_FOUND');
    expectProblem(await call('PUT', `/catalog/entries/${id}/draft`, as.psbEditor, fields), 404, 'CATALOG_NOT_FOUND');
    await expectNothingSaved(before);
  });

  it("refuses another department's reviewer and editor acting on a published entry, and audits it", async () => {
    const { id, fields } = await makePublished();
    await call('POST', `/catalog/entries/${id}/versions`, as.editor);
    await actOk(id, as.editor, 'submit');
    const before = await footprint();
    const approve = await act(id, as.psbReviewer, 'approve');
    expectProblem(approve, 403, 'FORBIDDEN');
    expect(await auditOf(approve.json().requestId)).toEqual([expect.objectContaining({ action: 'access.denied' })]);
    expectProblem(await call('PUT', `/catalog/entries/${id}/draft`, as.psbEditor, fields), 403, 'FORBIDDEN');
    expectProblem(await call('POST', `/catalog/entries/${id}/versions`, as.psbEditor), 403, 'FORBIDDEN');
    await expectNothingSaved(before);
  });

  it('shows other departments the published version, never the draft that follows it', async () => {
    const { id, fields } = await makePublished({ summary: '已发布的摘要。' });
    await call('POST', `/catalog/entries/${id}/versions`, as.editor);
    await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, summary: '尚未发布的修订摘要。' });
    const outside = await getEntry(id, as.psbEditor);
    expect(outside).toMatchObject({ status: 'published', latestVersion: 1, publishedVersion: 1, current: { version: 1, summary: '已发布的摘要。' } });
    expect(outside.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    expect(JSON.stringify(outside)).not.toContain('尚未发布');
    expect((await getEntry(id, as.reviewer)).current.summary).toBe('尚未发布的修订摘要。');
    expect((await getEntry(id, as.supervisor)).current.summary).toBe('尚未发布的修订摘要。');
  });

  it("lists other departments' entries by their published version, never a draft that follows it", async () => {
    const list = await call('GET', `/catalog/entries?departmentId=${psb}&pageSize=200`, as.editor);
    expect(list.statusCode).toBe(200);
    const items = list.json().items as { name: string; status: string; summary: string; version: number; publishedVersion: number | null }[];
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) {
      expect(i.status, i.name).toBe('published');
      expect(i.version).toBe(i.publishedVersion);
    }
    // 居民身份证签发信息 has a published version 1 and an unpublished draft 2 in the demo city.
    expect(items.find((i) => i.name === '居民身份证签发信息')?.summary).not.toContain('拟增加更新说明');
    expect(JSON.stringify(items)).not.toContain('违法犯罪记录信息');
    const own = (await call('GET', `/catalog/entries?departmentId=${psb}&pageSize=200`, as.psbEditor)).json().items as { status: string }[];
    expect(own.map((i) => i.status)).toEqual(expect.arrayContaining(['draft', 'submitted']));
  });
});

describe('versions', () => {
  it('changes a published entry only through a new version that runs the same workflow', async () => {
    const { id, fields } = await makePublished({ summary: '第一版摘要。' });
    const before = await footprint();
    const edit = await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, summary: '直接修改已发布版本。' });
    expectProblem(edit, 409, 'CATALOG_NOT_EDITABLE');
    await expectNothingSaved(before);
    expect(await auditOf(edit.json().requestId)).toEqual([expect.objectContaining({ action: 'access.denied' })]);

    const opened = await call('POST', `/catalog/entries/${id}/versions`, as.editor);
    expect(opened.statusCode).toBe(201);
    expect(opened.json()).toMatchObject({ latestVersion: 2, publishedVersion: 1, status: 'draft', current: { version: 2, summary: '第一版摘要。' } });
    expectProblem(await call('POST', `/catalog/entries/${id}/versions`, as.editor), 409, 'CATALOG_OPEN_VERSION_EXISTS');

    await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, summary: '第二版摘要。' });
    // While version 2 is under way, version 1 stays in force for everyone else and in search.
    expect((await getEntry(id, as.psbEditor)).current).toMatchObject({ version: 1, summary: '第一版摘要。' });
    const found = (await call('GET', `/catalog/search?q=${encodeURIComponent(fields.name)}`, as.psbEditor)).json().items;
    expect(found[0]).toMatchObject({ id, version: 1, summary: '第一版摘要。' });

    await actOk(id, as.editor, 'submit');
    expectProblem(await act(id, as.editor, 'approve'), 403, 'FORBIDDEN');
    await actOk(id, as.reviewer, 'approve');
    const republished = await actOk(id, as.authority, 'publish');
    expect(republished).toMatchObject({ status: 'published', publishedVersion: 2, latestVersion: 2, current: { summary: '第二版摘要。' } });
    expect(republished.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
    ]);
    expect((await call('GET', `/catalog/entries/${id}/versions/1`, as.psbEditor)).json()).toMatchObject({ version: 1, status: 'superseded', summary: '第一版摘要。' });
    expect((await getEntry(id, as.psbEditor)).current.summary).toBe('第二版摘要。');
  });

  it('refuses a new version before the entry was ever published', async () => {
    const { id } = await makeEntry();
    expectProblem(await call('POST', `/catalog/entries/${id}/versions`, as.editor), 409, 'CATALOG_OPEN_VERSION_EXISTS');
  });

  it('keeps every version and compares any two field by field', async () => {
    const { id, fields } = await makePublished({
      keywords: ['救助'],
      items: [
        { name: '姓名', nameEn: 'name', dataType: 'C', length: 50, required: true, isIdentifier: false },
        { name: '身份证号', nameEn: 'id_number', dataType: 'C', length: 18, required: true, isIdentifier: true },
      ],
    });
    await call('POST', `/catalog/entries/${id}/versions`, as.editor);
    const v2 = {
      ...fields,
      summary: '第二版摘要。',
      keywords: ['救助', '低保'],
      items: [
        { name: '姓名', nameEn: 'name', dataType: 'C', length: 100, required: true, isIdentifier: false },
        { name: '身份证号', nameEn: 'id_number', dataType: 'C', length: 18, required: true, isIdentifier: true },
        { name: '救助金额', nameEn: 'amount', dataType: 'Y', length: 12, required: false, isIdentifier: false },
      ],
    };
    await call('PUT', `/catalog/entries/${id}/draft`, as.editor, v2);
    await actOk(id, as.editor, 'submit');
    await actOk(id, as.reviewer, 'approve');
    await actOk(id, as.authority, 'publish');
    await call('POST', `/catalog/entries/${id}/versions`, as.editor);
    const v3 = { ...v2, updateFrequency: 'monthly', items: v2.items.filter((i) => i.name !== '身份证号') };
    await call('PUT', `/catalog/entries/${id}/draft`, as.editor, v3);

    const entry = await getEntry(id);
    expect(entry.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [1, 'superseded'],
      [2, 'published'],
      [3, 'draft'],
    ]);
    for (const [n, summary] of [[1, fields.summary], [2, '第二版摘要。'], [3, '第二版摘要。']] as const) {
      expect((await call('GET', `/catalog/entries/${id}/versions/${n}`, as.editor)).json()).toMatchObject({ version: n, summary });
    }

    const diff12 = (await call('GET', `/catalog/entries/${id}/diff?from=1&to=2`, as.editor)).json();
    expect(diff12.from).toBe(1);
    expect(diff12.changes).toEqual(
      expect.arrayContaining([
        { field: 'summary', before: fields.summary, after: '第二版摘要。' },
        { field: 'keywords', before: ['救助'], after: ['救助', '低保'] },
        { field: 'items.姓名.length', before: 50, after: 100 },
        { field: 'items.救助金额', before: null, after: expect.objectContaining({ name: '救助金额', dataType: 'Y' }) },
      ]),
    );
    expect(diff12.changes).toHaveLength(4);

    const diff13 = (await call('GET', `/catalog/entries/${id}/diff?from=1&to=3`, as.editor)).json().changes as { field: string }[];
    expect(diff13.map((c) => c.field).sort()).toEqual(['items.姓名.length', 'items.救助金额', 'items.身份证号', 'keywords', 'summary', 'updateFrequency'].sort());
    const diff31 = (await call('GET', `/catalog/entries/${id}/diff?from=3&to=1`, as.editor)).json().changes;
    expect(diff31).toEqual(expect.arrayContaining([{ field: 'updateFrequency', before: 'monthly', after: fields.updateFrequency }]));
    expect((await call('GET', `/catalog/entries/${id}/diff?from=2&to=2`, as.editor)).json().changes).toEqual([]);

    // Outsiders compare published versions but not the draft.
    expect((await call('GET', `/catalog/entries/${id}/diff?from=1&to=2`, as.psbEditor)).statusCode).toBe(200);
    expectProblem(await call('GET', `/catalog/entries/${id}/diff?from=2&to=3`, as.psbEditor), 404, 'CATALOG_NOT_FOUND');
    expectProblem(await call('GET', `/catalog/entries/${id}/diff?from=1&to=9`, as.editor), 404, 'CATALOG_NOT_FOUND');
  });

  it('does not count a reordering of data items as a change', async () => {
    const { id, fields } = await makePublished();
    await call('POST', `/catalog/entries/${id}/versions`, as.editor);
    await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, items: [...fields.items].reverse() });
    expect((await call('GET', `/catalog/entries/${id}/diff?from=1&to=2`, as.editor)).json().changes).toEqual([]);
  });

  it('refuses changing the classification code of an entry, naming the field', async () => {
    const { id, fields } = await makeEntry();
    const before = await footprint();
    expectProblem(await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, classCode: '301002' }), 422, 'VALIDATION_FAILED', { field: 'classCode', rule: 'immutable' });
    await expectNothingSaved(before);
  });
});

describe('one data, one source', () => {
  const claim = (cookie: string, body: Record<string, unknown>) => call('POST', '/catalog/basic-items', cookie, body);

  it('lets a department take responsibility for a new basic data item, audited', async () => {
    const res = await claim(as.deptadmin, { subject: 'population', category: '社会救助信息', categoryEn: 'Social assistance', name: '低保证编号', nameEn: 'dibao_number' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ departmentId: civil, name: '低保证编号' });
    const items = (await call('GET', '/catalog/basic-items?q=低保证编号', as.psbEditor)).json().items;
    expect(items).toEqual([expect.objectContaining({ name: '低保证编号', departmentId: civil, departmentName: DEMO.civil })]);
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', res.json().id).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'basic_item.claimed', target_type: 'basic_item' })]);
  });

  it('refuses a second department claiming an item that already has one, naming the responsible department', async () => {
    const before = await footprint();
    const res = await claim(as.editor, { subject: 'population', category: '户籍登记信息', name: '公民身份号码' });
    expectProblem(res, 409, 'CATALOG_BASIC_ITEM_TAKEN', { field: 'name', rule: 'one_source' });
    expect(res.json().detail).toContain(DEMO.psb);
    await expectNothingSaved(before);
    expect(await auditOf(res.json().requestId)).toEqual([expect.objectContaining({ action: 'access.denied', outcome: 'denied' })]);
    const owner = (await call('GET', '/catalog/basic-items?q=公民身份号码', as.editor)).json().items;
    expect(owner).toEqual([expect.objectContaining({ departmentId: psb })]);
  });

  it('refuses the same department claiming its own item twice', async () => {
    expectProblem(await claim(as.psbEditor, { subject: 'population', category: '户籍登记信息', name: '姓名' }), 409, 'CATALOG_BASIC_ITEM_TAKEN');
  });

  it('refuses claiming for another department by naming one in the body', async () => {
    expectProblem(await claim(as.deptadmin, { subject: 'population', category: '测试', name: '测试项', departmentId: psb }), 422, 'VALIDATION_FAILED', { field: 'departmentId', rule: 'unrecognized_keys' });
  });

  it('lets the authority reassign an item to another department with a reason, audited', async () => {
    const item = (await call('GET', '/catalog/basic-items?q=婚姻状况', as.authority)).json().items[0];
    const res = await call('POST', `/catalog/basic-items/${item.id}/reassign`, as.authority, { departmentId: psb, reason: '按市政府决定调整采集责任。' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: item.id, departmentId: psb, departmentName: DEMO.psb });
    const now = (await call('GET', `/catalog/basic-items?departmentId=${psb}`, as.editor)).json().items;
    expect(now.map((i: { id: string }) => i.id)).toContain(item.id);
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'basic_item.reassigned').where('target_id', '=', item.id).executeTakeFirstOrThrow();
    expect(audit.details).toEqual({ from: item.departmentId, to: psb, reason: '按市政府决定调整采集责任。' });
    // The old department can no longer claim it back.
    expectProblem(await claim(as.editor, { subject: item.subject, category: item.category, name: item.name }), 409, 'CATALOG_BASIC_ITEM_TAKEN');
  });

  it('refuses a reassignment without a reason or to an unknown department, naming the field', async () => {
    const item = (await call('GET', '/catalog/basic-items?q=公民身份号码', as.authority)).json().items[0];
    const before = await footprint();
    expectProblem(await call('POST', `/catalog/basic-items/${item.id}/reassign`, as.authority, { departmentId: civil }), 422, 'VALIDATION_FAILED', { field: 'reason' });
    expectProblem(await call('POST', `/catalog/basic-items/${item.id}/reassign`, as.authority, { departmentId: '01900000-0000-7000-8000-000000000000', reason: '调整' }), 422, 'VALIDATION_FAILED', { field: 'departmentId', rule: 'exists' });
    expectProblem(await call('POST', `/catalog/basic-items/01900000-0000-7000-8000-000000000000/reassign`, as.authority, { departmentId: civil, reason: '调整' }), 404, 'CATALOG_NOT_FOUND');
    await expectNothingSaved(before);
  });

  it('refuses a reassignment by anyone but the authority', async () => {
    const item = (await call('GET', '/catalog/basic-items?q=公民身份号码', as.psbEditor)).json().items[0];
    for (const cookie of [as.psbEditor, as.deptadmin, as.admin, as.supervisor]) {
      expectProblem(await call('POST', `/catalog/basic-items/${item.id}/reassign`, cookie, { departmentId: civil, reason: '我们来管。' }), 403, 'FORBIDDEN');
    }
  });
});

describe('search', () => {
  const search = async (query: string, cookie = as.psbEditor) => {
    const res = await call('GET', `/catalog/search?${query}`, cookie);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: number; items: { id: string; name: string; nameEn: string; departmentId: string; shareType: string; openType: string; classification: string; updateFrequency: string; status: string; score?: number }[] };
  };
  const q = (words: string) => `q=${encodeURIComponent(words)}`;

  it('finds published entries by Chinese words, best match first', async () => {
    const res = await search(q('婚姻'));
    expect(res.items[0]?.name).toBe('婚姻登记信息');
    expect(res.items.every((i) => i.status === 'published')).toBe(true);
  });

  it('finds published entries by English words, ignoring case', async () => {
    expect((await search(q('HOUSEHOLD'))).items.map((i) => i.name)).toContain('人口户籍信息');
    expect((await search(q('marriage registration'))).items[0]?.name).toBe('婚姻登记信息');
  });

  it('finds entries by keyword and by data item name', async () => {
    expect((await search(q('结婚登记'))).items.map((i) => i.name)).toContain('婚姻登记信息');
    expect((await search(q('husband_id_number'))).items.map((i) => i.name)).toEqual(['婚姻登记信息']);
  });

  it('matches a Chinese phrase by its character pairs when the whole phrase is not present', async () => {
    expect((await search(q('登记婚姻'))).items[0]?.name).toBe('婚姻登记信息');
  });

  it('ranks a match in the name above a match elsewhere', async () => {
    const inName = await makePublished({ name: '翡翠湾水质监测信息', summary: '近岸海域水质监测数据。' });
    const inSummary = await makePublished({ name: '近岸海域水质监测信息', summary: '包括翡翠湾在内的近岸海域水质监测数据。' });
    const res = await search(q('翡翠湾'));
    expect(res.items.map((i) => i.id)).toEqual([inName.id, inSummary.id]);
    expect(res.items[0]?.score).toBeGreaterThan(res.items[1]?.score ?? Number.POSITIVE_INFINITY);
  });

  it('never returns drafts, submissions or unpublished new versions', async () => {
    const names = async (words: string) => (await search(`${q(words)}&pageSize=200`)).items.map((i) => i.name);
    expect(await names('高龄老人津贴')).not.toContain('高龄老人津贴发放信息'); // a draft in the demo city
    expect(await names('违法犯罪记录')).not.toContain('违法犯罪记录信息'); // submitted
    expect(await names('收养登记')).not.toContain('收养登记信息'); // approved
    // Text that only unpublished version-2 drafts hold never surfaces through them.
    const revised = await search(`${q('拟增加更新说明')}&pageSize=200`);
    for (const i of revised.items) expect(JSON.stringify(i)).not.toContain('拟增加更新说明');
    expect(revised.items.map((i) => i.name)).not.toContain('居民身份证签发信息');
  });

  it.each(['departmentId', 'shareType', 'openType', 'classification', 'updateFrequency'] as const)('filters by %s', async (name) => {
    const value = { departmentId: psb, shareType: 'conditional', openType: 'unconditional', classification: 'thematic', updateFrequency: 'realtime' }[name];
    const all = await search('pageSize=200');
    const res = await search(`${name}=${value}&pageSize=200`);
    expect(res.total).toBeGreaterThan(0);
    expect(res.total).toBeLessThan(all.total);
    expect(res.items.every((i) => i[name] === value)).toBe(true);
    expect(res.total).toBe(all.items.filter((i) => i[name] === value).length);
  });

  it('combines words with filters', async () => {
    const res = await search(`${q('登记')}&departmentId=${psb}&shareType=conditional`);
    expect(res.total).toBeGreaterThan(0);
    expect(res.items.every((i) => i.departmentId === psb && i.shareType === 'conditional')).toBe(true);
  });

  it('pages through results with a stable total', async () => {
    const first = await search('pageSize=5&page=1');
    const second = await search('pageSize=5&page=2');
    expect(first.items).toHaveLength(5);
    expect(second.total).toBe(first.total);
    expect(second.items.map((i) => i.id)).not.toEqual(expect.arrayContaining(first.items.map((i) => i.id)));
  });

  it('treats LIKE wildcards in the words as plain text', async () => {
    const all = await search('pageSize=200');
    const withPercent = await t.app.database.db
      .selectFrom('catalog_entries as e')
      .innerJoin('catalog_versions as v', (j) => j.onRef('v.entry_id', '=', 'e.id').onRef('v.version', '=', 'e.published_version'))
      .select('e.id')
      .where('v.search_text', 'like', '%\\%%')
      .execute();
    const found = await search(`${q('%')}&pageSize=200`);
    expect(found.total).toBeLessThan(all.total);
    expect(found.items.map((i) => i.id).sort()).toEqual(withPercent.map((r) => r.id).sort());
  });

  it('refuses an unknown filter value, naming the parameter', async () => {
    expectProblem(await call('GET', '/catalog/search?shareType=sometimes', as.editor), 422, 'VALIDATION_FAILED', { field: 'query.shareType' });
    expectProblem(await call('GET', '/catalog/search?pageSize=500', as.editor), 422, 'VALIDATION_FAILED', { field: 'query.pageSize' });
  });

  it('is for signed-in people only', async () => {
    expectProblem(await t.call({ method: 'GET', url: '/api/v1/catalog/search?q=婚姻' }), 401, 'UNAUTHENTICATED');
  });
});

describe('responsibility, demand and negative lists', () => {
  it("shows a department's lists to every signed-in person", async () => {
    const res = await call('GET', `/departments/${civil}/lists`, as.psbEditor);
    expect(res.statusCode).toBe(200);
    expect(new Set(res.json().items.map((i: { kind: string }) => i.kind))).toEqual(new Set(['responsibility', 'demand', 'negative']));
  });

  it('lets a department admin add to and remove from its own lists, audited', async () => {
    const { id: entryId } = await makePublished();
    const added = await call('POST', `/departments/${civil}/lists`, as.deptadmin, { kind: 'responsibility', title: '测试责任事项', entryId });
    expect(added.statusCode).toBe(201);
    const itemId = added.json().id;
    const listed = (await call('GET', `/departments/${civil}/lists`, as.editor)).json().items;
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ id: itemId, kind: 'responsibility', entryId, entryCode: expect.stringMatching(/^301001\//) })]));
    const removed = await call('DELETE', `/departments/${civil}/lists/${itemId}`, as.editor);
    expect(removed.statusCode).toBe(204);
    expect((await call('GET', `/departments/${civil}/lists`, as.editor)).json().items.map((i: { id: string }) => i.id)).not.toContain(itemId);
    const actions = (await t.app.database.db.selectFrom('audit_log').select('action').where('target_id', '=', itemId).orderBy('seq').execute()).map((a) => a.action);
    expect(actions).toEqual(['list.item_added', 'list.item_removed']);
  });

  it("refuses a department admin or editor changing another department's lists, audited", async () => {
    const item = (await call('GET', `/departments/${civil}/lists`, as.editor)).json().items[0];
    const before = await footprint();
    const add = await call('POST', `/departments/${civil}/lists`, as.psbEditor, { kind: 'demand', title: '想要的数据' });
    expectProblem(add, 403, 'FORBIDDEN');
    expect(await auditOf(add.json().requestId)).toEqual([expect.objectContaining({ action: 'access.denied' })]);
    expectProblem(await call('DELETE', `/departments/${civil}/lists/${item.id}`, as.psbEditor), 403, 'FORBIDDEN');
    await expectNothingSaved(before);
  });

  it("refuses removing another department's item through one's own department", async () => {
    const item = (await call('GET', `/departments/${civil}/lists`, as.editor)).json().items[0];
    expectProblem(await call('DELETE', `/departments/${psb}/lists/${item.id}`, as.psbEditor), 404, 'CATALOG_NOT_FOUND');
  });

  it('refuses a list item pointing at an unknown entry or of an unknown kind, naming the field', async () => {
    const before = await footprint();
    expectProblem(await call('POST', `/departments/${civil}/lists`, as.deptadmin, { kind: 'demand', title: 'x', entryId: '01900000-0000-7000-8000-000000000000' }), 422, 'VALIDATION_FAILED', { field: 'entryId', rule: 'exists' });
    expectProblem(await call('POST', `/departments/${civil}/lists`, as.deptadmin, { kind: 'wish', title: 'x' }), 422, 'VALIDATION_FAILED', { field: 'kind' });
    expectProblem(await call('POST', `/departments/${civil}/lists`, as.deptadmin, { kind: 'demand' }), 422, 'VALIDATION_FAILED', { field: 'title' });
    await expectNothingSaved(before);
  });
});

describe('publication snapshots', () => {
  it('keeps a snapshot as it was when made, whatever is published later', async () => {
    const published = await t.app.database.db.selectFrom('catalog_entries').select(({ fn }) => fn.countAll<number>().as('n')).where('published_version', 'is not', null).executeTakeFirstOrThrow();
    const made = await call('POST', '/catalog/snapshots', as.authority, { title: '2026年下半年政务信息资源目录公示', period: '2026-H2' });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ period: '2026-H2', entryCount: Number(published.n) });
    const snapshotId = made.json().id;
    const read = async () => (await call('GET', `/catalog/snapshots/${snapshotId}`, as.psbEditor)).json() as { entries: { entryId: string; version: number; summary: string; name: string }[] };
    const before = await read();

    // 居民身份证签发信息 has an open draft 2 in the demo city: take it to publication.
    const idCard = before.entries.find((e) => e.name === '居民身份证签发信息');
    expect(idCard).toMatchObject({ version: 1 });
    await actOk(idCard?.entryId as string, as.psbEditor, 'submit');
    await actOk(idCard?.entryId as string, as.psbReviewer, 'approve');
    await actOk(idCard?.entryId as string, as.authority, 'publish');
    const later = await makePublished({ name: '公示之后发布的目录' });

    const after = await read();
    expect(after).toEqual(before);
    expect(after.entries.find((e) => e.entryId === idCard?.entryId)).toMatchObject({ version: 1, summary: expect.not.stringContaining('拟增加更新说明') });
    expect(after.entries.map((e) => e.entryId)).not.toContain(later.id);
    expect((await getEntry(idCard?.entryId as string, as.psbEditor)).current).toMatchObject({ version: 2, summary: expect.stringContaining('拟增加更新说明') });

    const list = (await call('GET', '/catalog/snapshots', as.editor)).json().items;
    expect(list).toEqual([expect.objectContaining({ id: snapshotId, period: '2026-H2', entryCount: Number(published.n) })]);
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('target_id', '=', snapshotId).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'catalog.snapshot_created' })]);
  });

  it('refuses a second snapshot for the same half-year, and a malformed period', async () => {
    const before = await footprint();
    expectProblem(await call('POST', '/catalog/snapshots', as.authority, { title: '重复', period: '2026-H2' }), 409, 'CATALOG_SNAPSHOT_EXISTS');
    expectProblem(await call('POST', '/catalog/snapshots', as.authority, { title: '格式', period: '2026-H3' }), 422, 'VALIDATION_FAILED', { field: 'period' });
    await expectNothingSaved(before);
  });

  it('answers an unknown snapshot with 404', async () => {
    expectProblem(await call('GET', '/catalog/snapshots/01900000-0000-7000-8000-000000000000', as.editor), 404, 'CATALOG_NOT_FOUND');
  });
});

describe('tasks on the home page', () => {
  type Task = { kind: string; entryId?: string; departmentId?: string; dueAt?: string | null };
  const tasksOf = async (cookie: string) => {
    const res = await call('GET', '/tasks', cookie);
    expect(res.statusCode).toBe(200);
    return res.json().items as Task[];
  };
  const has = (tasks: Task[], kind: string, entryId: string) => tasks.some((x) => x.kind === kind && x.entryId === entryId);

  it("puts a submission on its department reviewer's home page, then on the authority's once approved", async () => {
    const { id } = await makeSubmitted();
    expect(has(await tasksOf(as.reviewer), 'review', id)).toBe(true);
    expect(has(await tasksOf(as.psbReviewer), 'review', id)).toBe(false);
    expect(has(await tasksOf(as.authority), 'publish', id)).toBe(false);
    await actOk(id, as.reviewer, 'approve');
    expect(has(await tasksOf(as.reviewer), 'review', id)).toBe(false);
    expect(has(await tasksOf(as.authority), 'publish', id)).toBe(true);
    await actOk(id, as.authority, 'publish');
    expect(has(await tasksOf(as.authority), 'publish', id)).toBe(false);
  });

  it("puts a returned version on its department editors' home page until it is resubmitted", async () => {
    const { id } = await makeSubmitted();
    await actOk(id, as.reviewer, 'return', '请补充。');
    expect(has(await tasksOf(as.editor), 'fix_return', id)).toBe(true);
    expect(has(await tasksOf(as.psbEditor), 'fix_return', id)).toBe(false);
    await actOk(id, as.editor, 'submit');
    expect(has(await tasksOf(as.editor), 'fix_return', id)).toBe(false);
  });

  it('reminds a department of the yearly full review until it confirms it, audited', async () => {
    const reminder = (await tasksOf(as.deptadmin)).find((x) => x.kind === 'full_review');
    expect(reminder).toMatchObject({ departmentId: civil, dueAt: '2026-12-31' });
    expect((await tasksOf(as.editor)).some((x) => x.kind === 'full_review')).toBe(true);
    expect((await tasksOf(as.reviewer)).some((x) => x.kind === 'full_review')).toBe(false);
    const done = await call('POST', '/catalog/full-review', as.deptadmin);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ departmentId: civil, year: 2026 });
    expect((await tasksOf(as.deptadmin)).some((x) => x.kind === 'full_review')).toBe(false);
    expect((await tasksOf(as.editor)).some((x) => x.kind === 'full_review')).toBe(false);
    expect((await tasksOf(as.psbEditor)).some((x) => x.kind === 'full_review')).toBe(true);
    const audit = await t.app.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'catalog.full_review_completed').execute();
    expect(audit).toEqual([expect.objectContaining({ target_id: civil, details: { year: 2026 } })]);
  });

  it('reminds the authority of the half-yearly publication snapshot until it is made', async () => {
    t.clock.set('2027-01-05T02:00:00.000Z');
    try {
      // Sessions from November have expired by January: sign in again.
      const [authority, editor] = [await t.login('authority'), await t.login('editor')];
      const reminder = (await tasksOf(authority)).find((x) => x.kind === 'publish_snapshot');
      expect(reminder).toMatchObject({ title: '2027-H1', dueAt: '2027-06-30' });
      expect((await tasksOf(editor)).some((x) => x.kind === 'publish_snapshot')).toBe(false);
      const made = await call('POST', '/catalog/snapshots', authority, { title: '2027年上半年公示', period: '2027-H1' });
      expect(made.statusCode, made.body).toBe(201);
      expect((await tasksOf(authority)).some((x) => x.kind === 'publish_snapshot')).toBe(false);
    } finally {
      t.clock.set(TEST_NOW);
    }
  });

  it('shows nothing to do to someone with no catalog duties', async () => {
    expect(await tasksOf(as.supervisor)).toEqual([]);
  });
});

describe('bad input', () => {
  const create = (body: unknown, cookie = as.editor) => call('POST', '/catalog/entries', cookie, body);

  /** Every case must be a 4xx problem naming the field and rule, and leave no trace. */
  async function expectRefused(body: unknown, status: number, code: string, error?: { field: string; rule?: string }) {
    const before = await footprint();
    const res = await create(body);
    expectProblem(res, status, code, error);
    await expectNothingSaved(before);
    return res;
  }

  it('refuses an entry missing required metadata, naming each missing field', async () => {
    const { summary: _s, classification: _c, ...rest } = entryFields();
    const res = await expectRefused(rest, 422, 'VALIDATION_FAILED', { field: 'summary', rule: 'invalid_type' });
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'classification' })]));
  });

  it('refuses an empty summary and a one-character name', async () => {
    const res = await expectRefused(entryFields({ summary: '  ', name: '甲' }), 422, 'VALIDATION_FAILED', { field: 'summary' });
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'name', rule: 'too_small' })]));
  });

  it('refuses a conditionally shared entry without a legal basis or conditions', async () => {
    const res = await expectRefused(entryFields({ shareType: 'conditional' }), 422, 'VALIDATION_FAILED', { field: 'legalBasis', rule: 'legal_basis_required' });
    expect(res.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'shareConditions', rule: 'share_conditions_required' })]));
  });

  it('refuses a not-shared entry without a legal basis', async () => {
    await expectRefused(entryFields({ shareType: 'none', shareManner: [] }), 422, 'VALIDATION_FAILED', { field: 'legalBasis', rule: 'legal_basis_required' });
  });

  it('accepts a not-shared entry once it states its legal basis', async () => {
    const res = await create(entryFields({ shareType: 'none', shareManner: [], legalBasis: '《中华人民共和国个人信息保护法》第二十八条' }));
    expect(res.statusCode).toBe(201);
  });

  it('refuses conditional opening without its conditions', async () => {
    await expectRefused(entryFields({ openType: 'conditional' }), 422, 'VALIDATION_FAILED', { field: 'openConditions', rule: 'open_conditions_required' });
  });

  it('refuses a shared entry without a share manner', async () => {
    await expectRefused(entryFields({ shareManner: [] }), 422, 'VALIDATION_FAILED', { field: 'shareManner', rule: 'share_manner_required' });
  });

  it('refuses a classification code that does not match the classification', async () => {
    await expectRefused(entryFields({ classification: 'basic', classCode: '301001' }), 422, 'VALIDATION_FAILED', { field: 'classCode', rule: 'class_prefix' });
    await expectRefused(entryFields({ classCode: '30100' }), 422, 'VALIDATION_FAILED', { field: 'classCode' });
  });

  it('refuses an unknown field, naming it', async () => {
    await expectRefused({ ...entryFields(), colour: 'red' }, 422, 'VALIDATION_FAILED', { field: 'colour', rule: 'unrecognized_keys' });
    const nested = entryFields();
    await expectRefused({ ...nested, items: [{ ...nested.items[0], unit: 'kg' }] }, 422, 'VALIDATION_FAILED', { field: 'items[0].unit', rule: 'unrecognized_keys' });
  });

  it('refuses a value of the wrong type, naming the field', async () => {
    await expectRefused(entryFields({ keywords: '测试' }), 422, 'VALIDATION_FAILED', { field: 'keywords', rule: 'invalid_type' });
    const f = entryFields();
    await expectRefused({ ...f, items: [{ ...f.items[0], length: '18' }] }, 422, 'VALIDATION_FAILED', { field: 'items[0].length', rule: 'invalid_type' });
    await expectRefused(entryFields({ shareType: 'sometimes' }), 422, 'VALIDATION_FAILED', { field: 'shareType' });
  });

  it('refuses data items without a needed length or with a repeated name', async () => {
    await expectRefused(entryFields({ items: [{ name: '金额', nameEn: 'amount', dataType: 'N' }] }), 422, 'VALIDATION_FAILED', { field: 'items[0].length', rule: 'length_required' });
    const item = { name: '名称', nameEn: 'name', dataType: 'M' };
    await expectRefused(entryFields({ items: [item, { ...item, nameEn: 'name2' }] }), 422, 'VALIDATION_FAILED', { field: 'items[1].name', rule: 'unique' });
    await expectRefused(entryFields({ items: [{ ...item, nameEn: '名称' }] }), 422, 'VALIDATION_FAILED', { field: 'items[0].nameEn' });
  });

  it('refuses a name another live entry already has', async () => {
    await expectRefused(entryFields({ name: '婚姻登记信息' }), 409, 'CATALOG_NAME_TAKEN', { field: 'name', rule: 'unique' });
  });

  it('refuses a body that is not an object, or not JSON at all', async () => {
    await expectRefused([entryFields()], 422, 'VALIDATION_FAILED', { field: '(root)' });
    const before = await footprint();
    expectProblem(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: as.editor, body: '{"name": "半个', headers: { 'content-type': 'application/json' } }), 400, 'BAD_REQUEST');
    await expectNothingSaved(before);
  });

  it('refuses text the database cannot store, naming the field', async () => {
    await expectRefused(entryFields({ summary: '摘要\u0000' }), 422, 'VALIDATION_FAILED', { field: 'summary', rule: 'no_nul_character' });
  });

  it('refuses a malformed id or version number as 422 and an unknown one as 404', async () => {
    const { id } = await makePublished();
    expectProblem(await call('GET', '/catalog/entries/not-an-id', as.editor), 422, 'VALIDATION_FAILED', { field: 'params.id' });
    expectProblem(await call('GET', `/catalog/entries/${id}/versions/0`, as.editor), 422, 'VALIDATION_FAILED', { field: 'params.n' });
    expectProblem(await call('GET', `/catalog/entries/${id}/versions/99999999999`, as.editor), 422, 'VALIDATION_FAILED', { field: 'params.n' });
    expectProblem(await call('GET', `/catalog/entries/${id}/diff?from=1&to=99999999999`, as.editor), 422, 'VALIDATION_FAILED', { field: 'query.to' });
    expectProblem(await call('GET', `/catalog/entries/${id}/versions/7`, as.editor), 404, 'CATALOG_NOT_FOUND');
    expectProblem(await call('GET', '/catalog/entries/01900000-0000-7000-8000-000000000000', as.editor), 404, 'CATALOG_NOT_FOUND');
    expectProblem(await act('01900000-0000-7000-8000-000000000000', as.editor, 'submit'), 404, 'CATALOG_NOT_FOUND');
  });

  it('refuses a draft update that breaks a rule, keeping the draft as it was', async () => {
    const { id, fields } = await makeEntry();
    const before = await footprint();
    expectProblem(await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, shareType: 'conditional' }), 422, 'VALIDATION_FAILED', { field: 'legalBasis' });
    expectProblem(await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, name: '婚姻登记信息' }), 409, 'CATALOG_NAME_TAKEN', { field: 'name' });
    expectProblem(await call('PUT', `/catalog/entries/${id}/draft`, as.editor, { ...fields, extra: 1 }), 422, 'VALIDATION_FAILED', { field: 'extra' });
    await expectNothingSaved(before);
    expect((await getEntry(id)).current.name).toBe(fields.name);
  });
});
