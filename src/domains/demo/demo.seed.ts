import { type Actor, type Role, SYSTEM_ACTOR } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { isWorkingDay, todayInShanghai } from '../../platform/calendar/calendar.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { inTransaction } from '../../platform/db/index.js';
import type { AppContext, Ctx } from '../../platform/http/index.js';
import { addListItem, claimBasicItem, createEntry, openNewVersion, parseEntryFields, transitionEntry, updateDraft } from '../catalog/index.js';
import { hashPassword, orgsService } from '../orgs/index.js';
import basicItems from './data/basic-information.json' with { type: 'json' };
import catalogEntries from './data/catalog-entries.json' with { type: 'json' };
import departments from './data/departments.json' with { type: 'json' };
import { seedDemoCollection } from './demo-collection.js';
import regions from './data/regions.json' with { type: 'json' };

/** The demo accounts printed on first start, one per role. */
export const DEMO_USERS: readonly { username: string; displayName: string; role: Role; departmentKey: string }[] = [
  { username: 'admin', displayName: '平台管理员 王敏', role: 'platform_admin', departmentKey: 'gsdc' },
  { username: 'authority', displayName: '数据局 陈志强', role: 'authority', departmentKey: 'gsdb' },
  { username: 'supervisor', displayName: '监察 刘洋', role: 'supervisor', departmentKey: 'justice' },
  { username: 'deptadmin', displayName: '民政局管理员 黄丽', role: 'dept_admin', departmentKey: 'civil' },
  { username: 'editor', displayName: '民政局编目员 李娜', role: 'catalog_editor', departmentKey: 'civil' },
  { username: 'reviewer', displayName: '民政局审核员 张伟', role: 'catalog_reviewer', departmentKey: 'civil' },
  // Sharing: the civil affairs bureau answers requests for its data; the public security bureau applies for it.
  { username: 'sharer', displayName: '民政局共享专员 周婷', role: 'sharing_officer', departmentKey: 'civil' },
  { username: 'psbsharer', displayName: '公安局共享专员 郭峰', role: 'sharing_officer', departmentKey: 'psb' },
];

export type DemoSeedResult = { seeded: boolean; users: { username: string; role: Role; department: string }[] };

type DemoState = 'draft' | 'submitted' | 'approved' | 'returned' | 'published' | 'published_with_new_draft';

const CONTACT_ROLES = [
  ['leader', 'leader'],
  ['sharingOfficer', 'sharing_officer'],
  ['technicalOfficer', 'technical_officer'],
] as const;

function ctxFor(app: AppContext, actor: Actor): Ctx {
  return { app, actor, requestId: 'demo-seed' };
}

/** Loads the demo city when the database has no departments yet; otherwise does nothing. */
export async function seedDemoIfEmpty(app: AppContext): Promise<DemoSeedResult> {
  const any = await app.database.db.selectFrom('departments').select('id').limit(1).executeTakeFirst();
  if (any) return { seeded: false, users: [] };
  await seedDemo(app);
  return {
    seeded: true,
    users: DEMO_USERS.map((u) => ({
      username: u.username,
      role: u.role,
      department: departments.find((d) => d.key === u.departmentKey)?.name ?? '',
    })),
  };
}

/**
 * The demo city: 惠州 with its districts, its departments and their contacts, one user per role
 * (plus an editor and a reviewer in every department), the basic-information catalog and about
 * sixty catalog entries driven through the real workflow into every state, and one dataset of
 * collected records with a few rows in quarantine.
 */
export async function seedDemo(app: AppContext): Promise<void> {
  const db = app.database.db;
  const now = app.clock.now();
  const system = ctxFor(app, SYSTEM_ACTOR);
  const deptIds = new Map<string, string>();

  // Registration data goes in directly: the demo city is the platform's own starting state.
  await inTransaction(db, async (tx) => {
    for (const r of regions) await tx.insertInto('regions').values({ code: r.code, name: r.name, name_en: r.nameEn, parent_code: r.parentCode }).execute();
    for (const d of departments) deptIds.set(d.key, uuidv7());
    for (const d of departments) {
      await tx
        .insertInto('departments')
        .values({
          id: deptIds.get(d.key) as string,
          name: d.name,
          name_en: d.nameEn,
          uscc: d.uscc,
          region_code: d.regionCode,
          parent_id: d.parentKey ? (deptIds.get(d.parentKey) ?? null) : null,
          kind: d.kind,
          is_authority: d.isAuthority,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    await record(tx, { actor: SYSTEM_ACTOR, action: 'demo.seeded', targetType: 'platform', at: now, requestId: 'demo-seed', details: { departments: departments.length } });
  });

  const hash = await hashPassword(app.config.HUITONG_DEMO_PASSWORD);
  const users = new Map<string, Actor>();
  const addUser = async (username: string, displayName: string, roles: Role[], departmentKey: string) => {
    const id = uuidv7();
    const departmentId = deptIds.get(departmentKey) as string;
    await db
      .insertInto('users')
      .values({ id, username, display_name: displayName, department_id: departmentId, password_hash: hash, roles, password_changed_at: now, created_at: now })
      .execute();
    users.set(username, { kind: 'user', id, name: displayName, departmentId, roles });
  };
  for (const u of DEMO_USERS) await addUser(u.username, u.displayName, [u.role], u.departmentKey);
  for (const d of departments) {
    if (d.key === 'civil') continue;
    await addUser(`${d.key}.editor`, `${d.name}编目员`, ['catalog_editor'], d.key);
    await addUser(`${d.key}.reviewer`, `${d.name}审核员`, ['catalog_reviewer'], d.key);
  }
  const editorOf = (key: string) => users.get(key === 'civil' ? 'editor' : `${key}.editor`) as Actor;
  const reviewerOf = (key: string) => users.get(key === 'civil' ? 'reviewer' : `${key}.reviewer`) as Actor;
  const authority = users.get('authority') as Actor;
  const admin = users.get('admin') as Actor;

  // Contacts: reported within the deadline, except one department that reported late.
  const cal = await app.calendar.get();
  const today = todayInShanghai(now);
  for (const d of departments) {
    for (const [field, role] of CONTACT_ROLES) {
      const c = d.contacts[field];
      const effectiveOn = d.key === 'transport' && role === 'sharing_officer' ? workingDaysBack(cal, today, 9) : workingDaysBack(cal, today, 2);
      await orgsService.changeContact(ctxFor(app, admin), deptIds.get(d.key) as string, role, { name: c.name, phone: c.phone, email: c.email, effectiveOn });
    }
  }

  for (const item of basicItems) {
    await claimBasicItem(system, { ...item, departmentId: deptIds.get(item.departmentKey) as string, subject: item.subject as 'population' });
  }

  const entryIds = new Map<string, string>();
  for (const e of catalogEntries) {
    const { key: _key, departmentKey: _dept, demoState: _state, returnReason: _reason, ...fields } = e as typeof e & { returnReason?: string };
    const parsed = parseEntryFields(fields);
    if (!parsed.ok) throw new Error(`demo entry ${e.key} is invalid: ${JSON.stringify(parsed.errors)}`);
    const editor = ctxFor(app, editorOf(e.departmentKey));
    const reviewer = ctxFor(app, reviewerOf(e.departmentKey));
    const state = e.demoState as DemoState;
    const { id } = await createEntry(editor, parsed.fields);
    entryIds.set(e.key, id);
    if (state === 'draft') continue;
    await transitionEntry(editor, id, { action: 'submit' });
    if (state === 'submitted') continue;
    if (state === 'returned') {
      await transitionEntry(reviewer, id, { action: 'return', reason: (e as { returnReason?: string }).returnReason ?? '信息项描述不完整，请补充。' });
      continue;
    }
    await transitionEntry(reviewer, id, { action: 'approve' });
    if (state === 'approved') continue;
    await transitionEntry(ctxFor(app, authority), id, { action: 'publish' });
    if (state === 'published_with_new_draft') {
      await openNewVersion(editor, id);
      await updateDraft(editor, id, { ...parsed.fields, keywords: [...parsed.fields.keywords, '修订'], summary: `${parsed.fields.summary}（拟增加更新说明）` });
    }
  }

  const civil = deptIds.get('civil') as string;
  const deptAdmin = ctxFor(app, users.get('deptadmin') as Actor);
  await addListItem(deptAdmin, civil, { kind: 'responsibility', title: '婚姻登记信息的归集与共享', description: '依法负责婚姻登记数据的采集、更新和共享。', entryId: null });
  await addListItem(deptAdmin, civil, { kind: 'demand', title: '户籍人口信息核验', description: '办理婚姻登记时核验当事人户籍信息（公安局提供）。', entryId: null });
  await addListItem(deptAdmin, civil, { kind: 'negative', title: '收养当事人隐私信息', description: '涉及个人隐私，依法不予共享。', entryId: null });

  await seedDemoCollection(ctxFor(app, editorOf('civil')), entryIds.get('civil-dibao') as string);
}

/** The date from which `today` lies n working days on (so a report made today took n days). */
function workingDaysBack(cal: Awaited<ReturnType<AppContext['calendar']['get']>>, today: string, n: number): string {
  let day = today;
  for (let counted = 0; counted < n; ) {
    // Without this year's arrangement the demo reports its contacts as of today.
    if (!cal.years.has(Number(day.slice(0, 4)))) return today;
    if (isWorkingDay(cal, day)) counted++;
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - 1);
    day = d.toISOString().slice(0, 10);
  }
  return day;
}
