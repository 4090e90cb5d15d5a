import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import client from 'prom-client';
import { ANONYMOUS_ACTOR, type Actor, hasScope } from '../actor.js';
import { record } from '../audit/audit.js';
import { inTransaction, isMigrated } from '../db/index.js';
import { platformError } from '../errors.js';
import type { AppContext, Ctx } from './context.js';
import type { RoutePolicy } from './policy.js';
import { sendProblem, toAppError } from './problem.js';
import { httpsOptions } from './tls.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
  }
}

/** The Fastify instance with zod schemas, as route modules receive it. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A module that adds routes under /api/v1. */
export type RouteModule = (api: Api, app: AppContext) => void;

export type ServerOptions = {
  app: AppContext;
  /** Finds who is asking (session cookie, else API client bearer or client certificate); anonymous when nobody; may throw 401. */
  resolveActor: (req: FastifyRequest) => Promise<Actor>;
  routes: RouteModule[];
  logger?: boolean;
};

/** The request's service context. */
export function ctxOf(req: FastifyRequest, app: AppContext): Ctx {
  return { app, actor: req.actor, requestId: String(req.id) };
}

const metricsRegistry = new client.Registry();
client.collectDefaultMetrics({ register: metricsRegistry });
const httpDuration = new client.Histogram({
  name: 'huitong_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

/**
 * The path (`items[2].name`, `query.q`) of the first string holding U+0000 in parsed JSON, query
 * or params. Walks plain objects and arrays only, without recursion, so any nesting depth is safe.
 */
function findNulCharacter(value: unknown, prefix: string): string | undefined {
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length) {
    const [v, path] = stack.pop() as [unknown, string];
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path || '(root)';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (v !== null && typeof v === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(v))) {
      for (const [k, child] of Object.entries(v).reverse()) stack.push([child, path ? `${path}.${k}` : k]);
    }
  }
  return undefined;
}

/** Assembles the HTTP server: API, OpenAPI docs, web UI, health and metrics. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { app } = opts;
  // HUITONG_TLS=on: HTTPS with the platform CA, client certificates requested (see tls.ts). Typed as
  // the plain HTTP instance: routes and hooks see the same request and reply either way.
  const https = app.config.HUITONG_TLS ? await httpsOptions(app.config) : null;
  const server = Fastify({
    loggerInstance: app.log,
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: true,
    ...(https ? { https } : {}),
  }) as unknown as FastifyInstance;
  server.setValidatorCompiler(validatorCompiler);
  server.setSerializerCompiler(serializerCompiler);

  // Every API route must say who may call it.
  server.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/v1') && !route.config?.policy) {
      throw new Error(`route ${route.method} ${route.url} declares no policy`);
    }
  });

  await server.register(fastifyCookie);
  await server.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // antd injects its CSS-in-JS styles at run time
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  // Limits are set per route (sign-in); the query API brings per-client quotas of its own.
  await server.register(fastifyRateLimit, { global: false });
  await server.register(fastifyMultipart, { limits: { fileSize: app.config.HUITONG_XLSX_MAX_BYTES, files: 1 } });
  await server.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Huitong 汇通 API', version: '1', description: 'Government data sharing platform API' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ht_session' },
          // Machine credentials of department systems: `Authorization: Bearer <clientId>.<secret>`.
          apiClient: { type: 'http', scheme: 'bearer', bearerFormat: '<clientId>.htc_<secret>' },
        },
      },
      security: [{ session: [] }, { apiClient: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await server.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  server.decorateRequest('actor', null as unknown as Actor);
  // Who is asking and whether the route admits them is settled before the body is even parsed,
  // so a caller without the role learns nothing from validation messages.
  server.addHook('onRequest', async (req) => {
    req.actor = await opts.resolveActor(req);
    const policy = req.routeOptions.config?.policy as RoutePolicy | undefined;
    if (!policy || 'public' in policy) return;
    if (req.actor.kind === 'client') {
      // A machine credential reaches only routes that name a scope it holds (audited otherwise).
      const scope = 'roles' in policy ? policy.clients?.scope : undefined;
      if (scope && hasScope(req.actor, scope)) return;
      throw platformError('FORBIDDEN', `API clients may call this only with a granted scope${scope ? ` (${scope})` : ''}. 该接口不向此 API 客户端开放。`);
    }
    if (req.actor.kind !== 'user') throw platformError('UNAUTHENTICATED', 'Sign in first. 请先登录。', { auditDenied: false });
    if ('roles' in policy && !policy.roles.some((r) => req.actor.roles.includes(r))) {
      throw platformError(
        'FORBIDDEN',
        policy.roles.length > 0 ? `This needs one of the roles: ${policy.roles.join(', ')}. 当前角色无权执行此操作。` : 'Only department systems (API clients) call this. 该接口仅供部门系统（API 客户端）调用。',
      );
    }
  });
  // PostgreSQL text cannot hold U+0000; refuse it here, naming the field, rather than fail in the database.
  server.addHook('preValidation', async (req) => {
    // The query and params parsers build objects without Object.prototype: copy them into plain ones.
    const field =
      findNulCharacter(req.body, '') ?? findNulCharacter({ ...(req.query as object) }, 'query') ?? findNulCharacter({ ...(req.params as object) }, 'params');
    if (field !== undefined) {
      const message = 'must not contain the NUL character (U+0000) 不得包含空字符';
      throw platformError('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, rule: 'no_nul_character', message }] });
    }
  });
  server.addHook('onResponse', async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  server.setErrorHandler(async (err, req, reply) => {
    const error = toAppError(err);
    if (error.status >= 500) req.log.error({ err, requestId: req.id }, 'unexpected error');
    if (error.auditDenied) {
      // The refused work rolled back; the refusal itself is kept in its own transaction.
      await inTransaction(app.database.db, (tx) =>
        record(tx, {
          actor: req.actor ?? ANONYMOUS_ACTOR, // null when resolving the actor itself failed
          action: error.auditAction ?? 'access.denied',
          targetType: 'route',
          targetId: `${req.method} ${req.routeOptions.url ?? req.url}`,
          outcome: 'denied',
          requestId: String(req.id),
          details: { code: error.code, detail: error.message },
          at: app.clock.now(),
        }),
      ).catch((auditErr) => req.log.error({ err: auditErr }, 'could not audit a denied request'));
    }
    return sendProblem(req, reply, error);
  });

  server.get('/healthz', { config: { policy: { public: true } } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { config: { policy: { public: true } } }, async (_req, reply) => {
    const ready = await isMigrated(app.database).catch(() => false);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not ready', database: app.database.kind });
  });
  server.get('/metrics', { config: { policy: { public: true } } }, async (_req, reply) =>
    reply.header('content-type', metricsRegistry.contentType).send(await metricsRegistry.metrics()),
  );
  server.get('/api/openapi.json', { config: { policy: { public: true } }, schema: { hide: true } }, async () =>
    server.swagger(),
  );

  await server.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      for (const register of opts.routes) register(typed, app);
    },
    { prefix: '/api/v1' },
  );

  const webDir = path.resolve(app.config.HUITONG_WEB_DIR);
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) {
    await server.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });
  }
  server.setNotFoundHandler((req, reply) => {
    // The web app routes in the browser: unknown non-API GETs get its page.
    if (hasWeb && req.method === 'GET' && !req.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(req, reply, platformError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`));
  });
  return server;
}
