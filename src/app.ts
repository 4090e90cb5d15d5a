import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { auditRoutes } from './platform/audit/audit.routes.js';
import { calendarRoutes } from './platform/calendar/calendar.routes.js';
import { createCalendarStore, ensureOfficialYears } from './platform/calendar/store.js';
import { type Clock, systemClock } from './platform/clock.js';
import type { Config } from './platform/config.js';
import { type Database, migrate, openDatabase } from './platform/db/index.js';
import { type AppContext, buildServer, type RouteModule } from './platform/http/index.js';
import { loadPolicy } from './platform/policy.js';
import { openVault } from './platform/vault/index.js';
import { catalogRoutes, catalogTaskProvider, catalogTransferRoutes } from './domains/catalog/index.js';
import { authenticateCertificate, authenticateClient, clientsRoutes } from './domains/clients/index.js';
import { collectionRoutes, failInterruptedUploads, sweepOverdueDatasets } from './domains/collection/index.js';
import { seedDemoIfEmpty, type DemoSeedResult } from './domains/demo/index.js';
import { disputesRoutes, disputeTaskProvider, sweepOverdueDisputes } from './domains/disputes/index.js';
import { actorFromSession, orgsRoutes, SESSION_COOKIE } from './domains/orgs/index.js';
import { sharingRoutes, sharingTaskProvider, startWebhookDelivery, subscriptionRoutes, sweepLapsedGrants, sweepShareRequests } from './domains/sharing/index.js';
import { sharingQueryRoutes } from './domains/sharing/query/index.js';
import { verificationRoutes, verificationTaskProvider } from './domains/verification/index.js';
import { policyRoutes } from './platform/policy.routes.js';
import { emailsRoutes, notificationsRoutes, startEmailDelivery } from './platform/notifications/index.js';
import { createTaskRegistry, tasksRoutes } from './platform/tasks/index.js';

/** The home page's to-do list: each domain's task provider, in the order their tasks are listed. */
export const TASK_REGISTRY = createTaskRegistry([catalogTaskProvider, verificationTaskProvider, sharingTaskProvider, disputeTaskProvider]);

/** Every route module of the platform, in menu order. */
export const ROUTE_MODULES: RouteModule[] = [orgsRoutes, calendarRoutes, catalogRoutes, catalogTransferRoutes, collectionRoutes, verificationRoutes, sharingRoutes, sharingQueryRoutes, subscriptionRoutes, disputesRoutes, clientsRoutes, auditRoutes, policyRoutes, notificationsRoutes, emailsRoutes, tasksRoutes(TASK_REGISTRY)];

export type Platform = { app: AppContext; server: FastifyInstance; demo: DemoSeedResult | undefined; close(): Promise<void> };

/** Opens the database, migrates it, loads the official calendar and builds the platform context. */
export async function openPlatform(opts: { config: Config; database?: Database; clock?: Clock }): Promise<AppContext> {
  const { config } = opts;
  const database = opts.database ?? (await openDatabase(config));
  await migrate(database);
  const clock = opts.clock ?? systemClock;
  await ensureOfficialYears(database.db, clock.now());
  const log = pino({
    level: config.NODE_ENV === 'test' ? 'silent' : config.LOG_LEVEL,
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'password', '*.password'], censor: '[redacted]' },
  });
  return {
    config,
    database,
    clock,
    log,
    calendar: createCalendarStore(database.db),
    policy: loadPolicy(config.HUITONG_POLICY),
    vault: await openVault(config, database.db, clock.now()),
  };
}

/** The whole platform: context, demo data on first start (unless disabled), and the HTTP server. */
export async function createPlatform(opts: { config: Config; database?: Database; clock?: Clock; seedDemo?: boolean }): Promise<Platform> {
  const app = await openPlatform(opts);
  // Uploads cut off by a crash or restart: marked failed before anything new starts.
  await failInterruptedUploads(app);
  const demo = (opts.seedDemo ?? app.config.HUITONG_SEED_DEMO === 'auto') ? await seedDemoIfEmpty(app) : undefined;
  const server = await buildServer({
    app,
    routes: ROUTE_MODULES,
    // A person's session cookie first; else a department system's `Authorization: Bearer <clientId>.<secret>`,
    // else (HUITONG_TLS=on) its client certificate from the platform CA (a bad or revoked credential
    // is refused with 401 AUTH_INVALID_CLIENT, audited).
    resolveActor: async (req) => {
      const session = await actorFromSession(app, req.cookies[SESSION_COOKIE]);
      const authorization = req.headers.authorization;
      if (session.kind === 'user') return session;
      if (authorization !== undefined) return authenticateClient(app, { authorization, requestId: String(req.id) });
      return (await authenticateCertificate(app, { socket: req.raw.socket, requestId: String(req.id) })) ?? session;
    },
  });
  const sweeper = startSweeper(app);
  // Emails go out within seconds, so their delivery runs on its own, shorter interval.
  const emailDelivery = startEmailDelivery(app);
  const webhookDelivery = startWebhookDelivery(app);
  return {
    app,
    server,
    demo,
    close: async () => {
      clearInterval(sweeper);
      await emailDelivery.stop();
      await webhookDelivery.stop();
      await server.close();
      await app.database.close();
    },
  };
}

/** How often the periodic sweeps run (overdue datasets). */
const SWEEP_INTERVAL_MS = 15 * 60_000;

/** Runs the platform's periodic sweeps; each is idempotent, so a missed or doubled run does no harm. */
function startSweeper(app: AppContext): NodeJS.Timeout {
  const timer = setInterval(() => {
    sweepOverdueDatasets(app, app.clock.now()).catch((err: unknown) => app.log.error({ err }, 'overdue-dataset sweep failed'));
    sweepOverdueDisputes(app, app.clock.now()).catch((err: unknown) => app.log.error({ err }, 'overdue-dispute sweep failed'));
    sweepShareRequests(app, app.clock.now()).catch((err: unknown) => app.log.error({ err }, 'share-request deadline sweep failed'));
    sweepLapsedGrants(app, app.clock.now()).catch((err: unknown) => app.log.error({ err }, 'grant lapse sweep failed'));
  }, SWEEP_INTERVAL_MS);
  timer.unref(); // never what keeps the process alive
  return timer;
}
