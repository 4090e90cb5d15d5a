import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ANONYMOUS_ACTOR, type Actor, CLIENT_SCOPES, type ClientScope } from '../../platform/actor.js';
import { record } from '../../platform/audit/audit.js';
import { uuidv7 } from '../../platform/crypto/ids.js';
import { sm3Hex } from '../../platform/crypto/sm3.js';
import { inTransaction } from '../../platform/db/index.js';
import type { AppContext, Ctx } from '../../platform/http/index.js';
import { clientsError } from './clients.errors.js';
import { authorize, canListAllClients, canManageClientsOf } from './clients.policy.js';
import * as repo from './clients.repo.js';
import type { TApiClient, TApiClientInput, TCreatedApiClient, TRevokeInput } from './clients.schema.js';

/** Secrets carry a prefix so a leaked one is recognisable (secret scanners, logs). */
const SECRET_PREFIX = 'htc_';
/**
 * A client that authenticated is trusted from memory this long before its row is read again: a
 * busy consumer system would otherwise cost one database round trip per call before any work.
 * Its secret is still checked on every call. A revocation in this process takes effect at once
 * (revokeApiClient forgets the client); in another process within this time.
 */
export const CLIENT_CACHE_MS = 5_000;
const verifiedClients = new WeakMap<AppContext, Map<string, { row: repo.ApiClientRow; at: number }>>();

function clientCacheOf(app: AppContext) {
  const cache = verifiedClients.get(app) ?? new Map<string, { row: repo.ApiClientRow; at: number }>();
  verifiedClients.set(app, cache);
  return cache;
}

/** last_used_at is written at most this often per client, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;
/** `Bearer <uuid>.htc_<43 base64url chars = 32 bytes>`; the scheme is case-insensitive (RFC 9110). */
const BEARER = /^Bearer +([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(htc_[A-Za-z0-9_-]{43})$/i;

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function present(r: repo.ApiClientRow): TApiClient {
  return {
    id: r.id,
    name: r.name,
    departmentId: r.department_id,
    scopes: r.scopes,
    createdBy: r.created_by,
    createdAt: iso(r.created_at) as string,
    revokedAt: iso(r.revoked_at),
    revokedBy: r.revoked_by,
    revokeReason: r.revoke_reason,
    lastUsedAt: iso(r.last_used_at),
  };
}

/** The actor a client acts as: its department, no roles, its scopes. */
export function clientActor(r: repo.ApiClientRow): Actor {
  const scopes = r.scopes.filter((s): s is ClientScope => (CLIENT_SCOPES as readonly string[]).includes(s));
  return { kind: 'client', id: r.id, name: `client:${r.name}`, departmentId: r.department_id, roles: [], scopes };
}

/**
 * Issues an API client for a department (the caller's own unless a platform administrator names
 * another). The secret is returned here once and only its SM3 hash is kept; audited without it.
 */
export async function createApiClient(ctx: Ctx, input: TApiClientInput): Promise<TCreatedApiClient> {
  const { app, actor } = ctx;
  const departmentId = input.departmentId ?? actor.departmentId;
  if (!departmentId) throw clientsError('CLIENTS_DEPARTMENT_NOT_FOUND');
  authorize(canManageClientsOf(actor, departmentId), 'issue API clients for another department 为其他部门创建 API 客户端');
  const id = uuidv7();
  const secret = SECRET_PREFIX + randomBytes(32).toString('base64url');
  const now = app.clock.now();
  const scopes = [...new Set(input.scopes)];
  const row = await inTransaction(app.database.db, async (tx) => {
    if (!(await repo.departmentExists(tx, departmentId))) throw clientsError('CLIENTS_DEPARTMENT_NOT_FOUND');
    await repo.insertClient(tx, {
      id,
      department_id: departmentId,
      name: input.name,
      secret_hash: sm3Hex(secret),
      scopes,
      created_by: actor.id as string,
      created_at: now,
    });
    await record(tx, {
      actor,
      action: 'api_client.created',
      targetType: 'api_client',
      targetId: id,
      requestId: ctx.requestId,
      details: { name: input.name, departmentId, scopes },
      at: now,
    });
    return repo.lockClient(tx, id);
  });
  return { ...present(row), secret, authorization: `Bearer ${id}.${secret}` };
}

/** API clients the actor may manage: its department's, or every department's for a platform administrator. */
export async function listApiClients(ctx: Ctx, q: { departmentId?: string | undefined }): Promise<{ items: TApiClient[] }> {
  const { actor } = ctx;
  let departmentId = q.departmentId;
  if (!canListAllClients(actor)) {
    departmentId ??= actor.departmentId ?? undefined;
    if (!departmentId) throw clientsError('CLIENTS_DEPARTMENT_NOT_FOUND');
    authorize(canManageClientsOf(actor, departmentId), 'list another department’s API clients 查看其他部门的 API 客户端');
  }
  const rows = await repo.listClients(ctx.app.database.db, departmentId);
  return { items: rows.map(present) };
}

/** Revokes a client with a reason; its credential is refused from the next request on. Audited. */
export async function revokeApiClient(ctx: Ctx, opts: { id: string } & TRevokeInput): Promise<TApiClient> {
  const { app, actor } = ctx;
  const now = app.clock.now();
  const revoked = await inTransaction(app.database.db, async (tx) => {
    const client = await repo.lockClient(tx, opts.id);
    authorize(canManageClientsOf(actor, client.department_id), 'revoke another department’s API client 吊销其他部门的 API 客户端');
    if (client.revoked_at) throw clientsError('CLIENTS_ALREADY_REVOKED');
    await repo.revokeClient(tx, client.id, { revoked_at: now, revoked_by: actor.id as string, revoke_reason: opts.reason });
    await record(tx, {
      actor,
      action: 'api_client.revoked',
      targetType: 'api_client',
      targetId: client.id,
      requestId: ctx.requestId,
      details: { name: client.name, departmentId: client.department_id, reason: opts.reason },
      at: now,
    });
    return present(await repo.lockClient(tx, client.id));
  });
  clientCacheOf(app).delete(opts.id);
  return revoked;
}

/** The client's row: from memory while fresh (only clients that authenticated are kept), else from the database. */
async function findClientForAuth(app: AppContext, id: string): Promise<{ row: repo.ApiClientRow | undefined; cached: boolean }> {
  const hit = clientCacheOf(app).get(id);
  if (hit && performance.now() - hit.at < CLIENT_CACHE_MS) return { row: hit.row, cached: true };
  return { row: await repo.findClient(app.database.db, id), cached: false };
}

/**
 * The actor behind `Authorization: Bearer <clientId>.<secret>`. A malformed header, an unknown
 * client, a wrong secret or a revoked client is audited (never the secret) and refused with 401
 * AUTH_INVALID_CLIENT. last_used_at is refreshed at most once a minute.
 */
export async function authenticateClient(app: AppContext, opts: { authorization: string; requestId: string | null }): Promise<Actor> {
  const now = app.clock.now();
  const match = BEARER.exec(opts.authorization.trim());
  const found = match ? await findClientForAuth(app, (match[1] as string).toLowerCase()) : { row: undefined, cached: false };
  const client = found.row;
  const fail = async (reason: string): Promise<never> => {
    if (client) clientCacheOf(app).delete(client.id);
    await inTransaction(app.database.db, (tx) =>
      record(tx, {
        actor: client ? { ...ANONYMOUS_ACTOR, id: client.id, name: `client:${client.name}`, departmentId: client.department_id } : ANONYMOUS_ACTOR,
        action: 'api_client.auth_failed',
        targetType: 'api_client',
        targetId: client?.id ?? null,
        outcome: 'denied',
        requestId: opts.requestId,
        details: { reason },
        at: now,
      }),
    );
    throw clientsError('AUTH_INVALID_CLIENT', 'The API client credential is malformed, unknown, wrong or revoked. API 客户端凭据无效或已吊销。', { auditDenied: false });
  };
  if (!match) return fail('malformed Authorization header');
  if (!client) return fail('unknown client');
  const expected = Buffer.from(client.secret_hash, 'hex');
  const actual = Buffer.from(sm3Hex(match[2] as string), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return fail('wrong secret');
  if (client.revoked_at) return fail('revoked');
  if (!found.cached) clientCacheOf(app).set(client.id, { row: client, at: performance.now() });
  await noteClientUse(app, client, now);
  return clientActor(client);
}

/** Refreshes a client's last_used_at, at most once a minute (whichever credential it used). */
export async function noteClientUse(app: AppContext, client: repo.ApiClientRow, now: Date): Promise<void> {
  if (!client.last_used_at || now.getTime() - new Date(client.last_used_at).getTime() >= TOUCH_INTERVAL_MS) {
    await repo.touchClient(app.database.db, client.id, now, new Date(now.getTime() - TOUCH_INTERVAL_MS));
    client.last_used_at = now; // the cached row too, so the next minute's calls do not touch again
  }
}
