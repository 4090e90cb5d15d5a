import { sql } from 'kysely';
import type { Actor, Role } from '../actor.js';
import { uuidv7 } from '../crypto/ids.js';
import type { Executor } from '../db/index.js';
import { platformError } from '../errors.js';

/**
 * What to tell a department. Addressing: `departmentId` plus an optional *user* role (a Role from
 * platform/actor.ts); `null` reaches every person of the department. The department contacts'
 * roles (leader, sharing_officer, technical_officer in `department_contacts`) are people on a
 * published list with a phone and an email, not accounts, so an in-app notification cannot reach
 * them; email reaches them (`emailDepartmentContact` in email.ts).
 * `title` is one bilingual line, Chinese first then English ("校核报告已答复 Verification report answered"),
 * the same convention as error titles; the web shows it as stored.
 */
export type NewNotification = {
  departmentId: string;
  role: Role | null;
  /** What it is about, dotted like audit actions: 'verification.reported', 'collection.quarantined'. */
  kind: string;
  title: string;
  /** A path in the web UI to open, e.g. `/verifications/<id>`. */
  link?: string | null;
  at: Date;
};

/** One notification as its reader sees it. */
export type NotificationView = {
  id: string;
  kind: string;
  title: string;
  link: string | null;
  role: string | null;
  createdAt: string;
  read: boolean;
  readAt: string | null;
};

const MAX_TITLE = 500;

/**
 * Adds an in-app notification for a department (optionally only the holders of a role there).
 * Run it inside the transaction of the change it reports, so both exist or neither does.
 */
export async function notify(db: Executor, n: NewNotification): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: uuidv7(),
      department_id: n.departmentId,
      role: n.role,
      kind: n.kind,
      title: n.title.length > MAX_TITLE ? `${n.title.slice(0, MAX_TITLE - 1)}…` : n.title,
      link: n.link ?? null,
      created_at: n.at,
    })
    .execute();
}

/**
 * Tells everyone who holds a platform-wide role (the authority, the platform administrators),
 * in whichever departments they sit: one notification per such department, addressed to the role.
 */
export async function notifyRoleHolders(db: Executor, role: Role, n: Omit<NewNotification, 'departmentId' | 'role'>): Promise<void> {
  const departments = await db
    .selectFrom('users')
    .select('department_id')
    .distinct()
    .where(sql<boolean>`${role} = ANY(roles)`)
    .where('disabled', '=', false)
    .execute();
  for (const d of departments) await notify(db, { ...n, departmentId: d.department_id, role });
}

/** The person a notification query is for; only signed-in people of a department have notifications. */
function reader(actor: Actor): { userId: string; departmentId: string; roles: readonly string[] } | undefined {
  if (actor.kind !== 'user' || !actor.id || !actor.departmentId) return undefined;
  return { userId: actor.id, departmentId: actor.departmentId, roles: actor.roles };
}

/** The notifications addressed to a person: their department's, for everyone or for a role they hold. */
function addressedTo(db: Executor, r: { departmentId: string; roles: readonly string[] }) {
  return db
    .selectFrom('notifications as n')
    .where('n.department_id', '=', r.departmentId)
    .where((eb) => (r.roles.length ? eb.or([eb('n.role', 'is', null), eb('n.role', 'in', [...r.roles])]) : eb('n.role', 'is', null)));
}

/** The actor's notifications, newest first, with the number still unread. */
export async function listNotifications(db: Executor, actor: Actor, page: { limit: number; unreadOnly?: boolean | undefined }) {
  const r = reader(actor);
  if (!r) return { items: [] as NotificationView[], unread: 0 };
  let q = addressedTo(db, r).leftJoin('notification_reads as rd', (j) => j.onRef('rd.notification_id', '=', 'n.id').on('rd.user_id', '=', r.userId));
  const unreadRow = await q.where('rd.read_at', 'is', null).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  if (page.unreadOnly) q = q.where('rd.read_at', 'is', null);
  const rows = await q
    .select(['n.id', 'n.kind', 'n.title', 'n.link', 'n.role', 'n.created_at', 'rd.read_at'])
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(page.limit)
    .execute();
  return {
    unread: Number(unreadRow.n),
    items: rows.map(
      (x): NotificationView => ({
        id: x.id,
        kind: x.kind,
        title: x.title,
        link: x.link,
        role: x.role,
        createdAt: new Date(x.created_at).toISOString(),
        read: x.read_at !== null,
        readAt: x.read_at ? new Date(x.read_at).toISOString() : null,
      }),
    ),
  };
}

/** Marks one of the actor's notifications read (again is harmless); another's is NOT_FOUND. */
export async function markNotificationRead(db: Executor, actor: Actor, id: string, now: Date) {
  const r = reader(actor);
  const found = r ? await addressedTo(db, r).select('n.id').where('n.id', '=', id).executeTakeFirst() : undefined;
  if (!r || !found) throw platformError('NOT_FOUND', 'No such notification. 通知不存在。');
  await db
    .insertInto('notification_reads')
    .values({ notification_id: id, user_id: r.userId, read_at: now })
    .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
    .execute();
  return { id, read: true };
}

/** Marks every notification of the actor read; returns how many were unread. */
export async function markAllNotificationsRead(db: Executor, actor: Actor, now: Date) {
  const r = reader(actor);
  if (!r) return { marked: 0 };
  const unread = await addressedTo(db, r)
    .leftJoin('notification_reads as rd', (j) => j.onRef('rd.notification_id', '=', 'n.id').on('rd.user_id', '=', r.userId))
    .where('rd.read_at', 'is', null)
    .select('n.id')
    .execute();
  for (let i = 0; i < unread.length; i += 1000) {
    await db
      .insertInto('notification_reads')
      .values(unread.slice(i, i + 1000).map((u) => ({ notification_id: u.id, user_id: r.userId, read_at: now })))
      .onConflict((oc) => oc.columns(['notification_id', 'user_id']).doNothing())
      .execute();
  }
  return { marked: unread.length };
}
