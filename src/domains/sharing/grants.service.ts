import { SYSTEM_ACTOR } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { todayInShanghai } from '../../platform/calendar/calendar.js';
import { inTransaction } from '../../platform/db/index.js';
import { platformError } from '../../platform/errors.js';
import type { AppContext, Ctx } from '../../platform/http/index.js';
import { sharingError } from './sharing.errors.js';
import { tell } from './sharing.notify.js';
import { invalidateGrantCache } from './query/index.js';
import { canRevokeGrant, canSeeGrant } from './sharing.policy.js';
import * as repo from './sharing.repo.js';
import type { GrantItem, TGrantQuery, TReasonInput } from './sharing.schema.js';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const json = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

/** Whether a grant serves at `now`: active, started, and its last day not passed (Asia/Shanghai). */
export function grantServes(g: { status: string; valid_from: Date | string; valid_until: string }, now: Date): boolean {
  return g.status === 'active' && new Date(g.valid_from).getTime() <= now.getTime() && todayInShanghai(now) <= g.valid_until;
}

function present(ctx: Ctx, g: repo.GrantRow & { calls_today?: number }) {
  return {
    id: g.id,
    requestId: g.request_id,
    requestNo: g.request_no,
    entry: { id: g.entry_id, code: g.entry_code, name: g.entry_name },
    consumer: { id: g.consumer_department_id, name: g.consumer_name, nameEn: g.consumer_name_en },
    provider: { id: g.provider_department_id, name: g.provider_name, nameEn: g.provider_name_en },
    items: json<GrantItem[]>(g.items),
    purpose: g.purpose,
    legalBasis: g.legal_basis,
    validFrom: iso(g.valid_from) as string,
    validUntil: g.valid_until,
    dailyQuota: g.daily_quota,
    callsToday: g.calls_today ?? null,
    agreementId: g.agreement_id,
    status: g.status,
    serving: grantServes(g, ctx.app.clock.now()),
    revokedAt: iso(g.revoked_at),
    revokeReason: g.revoke_reason,
    lapsedAt: iso(g.lapsed_at),
    createdAt: iso(g.created_at) as string,
    canRevoke: g.status === 'active' && canRevokeGrant(ctx.actor, g),
  };
}

export type GrantView = ReturnType<typeof present>;

/** A consumer's grants and a provider's "who holds my data"; every grant for overseers. */
export async function listGrants(ctx: Ctx, q: TGrantQuery) {
  const overseer = ctx.actor.roles.some((r) => ['authority', 'supervisor', 'platform_admin'].includes(r));
  if (!ctx.actor.departmentId && !overseer) return { items: [], total: 0 };
  const { items, total } = await repo.listGrants(ctx.app.database.db, {
    departmentId: overseer && !q.role ? null : ctx.actor.departmentId,
    role: q.role,
    status: q.status,
    today: todayInShanghai(ctx.app.clock.now()),
    page: q.page,
    pageSize: q.pageSize,
  });
  return { items: items.map((g) => present(ctx, g)), total };
}

/** One grant, for its two departments and overseers; others get NOT_FOUND. */
export async function getGrant(ctx: Ctx, id: string) {
  const g = await repo.findGrant(ctx.app.database.db, id);
  if (!g || !canSeeGrant(ctx.actor, g)) throw sharingError('SHARING_GRANT_NOT_FOUND');
  return present(ctx, g);
}

/** The provider or the authority revokes a grant with a reason; it serves nothing from now on. Audited, consumer notified. */
export async function revokeGrant(ctx: Ctx, id: string, input: TReasonInput) {
  const now = ctx.app.clock.now();
  await inTransaction(ctx.app.database.db, async (tx) => {
    const g = await repo.lockGrant(tx, id);
    if (!g || !canSeeGrant(ctx.actor, g)) throw sharingError('SHARING_GRANT_NOT_FOUND');
    if (!canRevokeGrant(ctx.actor, g)) throw platformError('FORBIDDEN', 'Only the providing department or the authority revokes a grant. 仅提供部门或主管部门可撤销授权。');
    if (g.status !== 'active') throw sharingError('SHARING_GRANT_NOT_ACTIVE', `The grant is ${g.status} already. 授权已失效。`);
    await repo.updateGrant(tx, id, { status: 'revoked', revoked_at: now, revoked_by: ctx.actor.id, revoke_reason: input.reason });
    await record(tx, {
      actor: ctx.actor,
      action: 'grant.revoked',
      targetType: 'grant',
      targetId: id,
      requestId: ctx.requestId,
      at: now,
      details: { consumerDepartmentId: g.consumer_department_id, reason: input.reason },
    });
    await tell(tx, g.consumer_department_id, {
      kind: 'grant.revoked',
      title: `授权已撤销：${input.reason} Grant revoked: ${input.reason}`,
      link: `/sharing/grants/${id}`,
      at: now,
    });
    return g.consumer_department_id;
  }).then((consumer) => invalidateGrantCache(ctx.app, consumer));
  return getGrant(ctx, id);
}

/** Marks grants past their last day lapsed (idempotent), notifying both departments. */
export async function sweepLapsedGrants(app: AppContext, now: Date): Promise<number> {
  const actor = SYSTEM_ACTOR;
  const today = todayInShanghai(now);
  let lapsed = 0;
  for (const { id } of await repo.listLapsing(app.database.db, today)) {
    await inTransaction(app.database.db, async (tx) => {
      const g = await repo.lockGrant(tx, id);
      if (g?.status !== 'active' || g.valid_until >= today) return;
      await repo.updateGrant(tx, id, { status: 'lapsed', lapsed_at: now });
      await record(tx, { actor, action: 'grant.lapsed', targetType: 'grant', targetId: id, at: now, details: { validUntil: g.valid_until } });
      for (const departmentId of [g.consumer_department_id, g.provider_department_id]) {
        await tell(tx, departmentId, { kind: 'grant.lapsed', title: `授权已到期（${g.valid_until}） Grant lapsed (${g.valid_until})`, link: `/sharing/grants/${id}`, at: now });
      }
      lapsed++;
    });
  }
  return lapsed;
}
