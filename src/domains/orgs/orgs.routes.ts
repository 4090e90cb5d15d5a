import { z } from 'zod';
import { type Api, type AppContext, ctxOf } from '../../platform/http/index.js';
import * as auth from './auth.service.js';
import {
  ZContactInput,
  ZContactRole,
  ZDepartmentInput,
  ZDepartmentPatch,
  ZLogin,
  ZPasswordChange,
  ZRegionInput,
  ZUserInput,
  ZUserPatch,
} from './orgs.schema.js';
import * as orgs from './orgs.service.js';

const ZId = z.object({ id: z.uuid() });
const signedIn = { policy: { signedIn: true } } as const;
const platformAdmin = { policy: { roles: ['platform_admin'] } } as const;
const userManagers = { policy: { roles: ['platform_admin', 'dept_admin'] } } as const;

/** Sign-in, departments, contacts, regions and users. */
export function orgsRoutes(api: Api, app: AppContext): void {
  api.post('/auth/login', { config: { policy: { public: true }, rateLimit: { max: app.config.HUITONG_LOGIN_RATE_PER_MINUTE, timeWindow: '1 minute' } }, schema: { tags: ['auth'], body: ZLogin } }, async (req, reply) => {
    const { token, me } = await auth.login(ctxOf(req, app), req.body);
    reply.setCookie(auth.SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: app.config.HUITONG_COOKIE_SECURE,
      maxAge: app.config.HUITONG_SESSION_HOURS * 3600,
    });
    return me;
  });
  api.post('/auth/logout', { config: { policy: { public: true } }, schema: { tags: ['auth'] } }, async (req, reply) => {
    await auth.logout(ctxOf(req, app), req.cookies[auth.SESSION_COOKIE]);
    reply.clearCookie(auth.SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });
  api.get('/auth/me', { config: signedIn, schema: { tags: ['auth'] } }, async (req) => auth.getMe(ctxOf(req, app)));
  api.post('/auth/password', { config: signedIn, schema: { tags: ['auth'], body: ZPasswordChange } }, async (req, reply) => {
    await auth.changePassword(ctxOf(req, app), req.body);
    reply.clearCookie(auth.SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  api.get('/regions', { config: signedIn, schema: { tags: ['orgs'] } }, async (req) => ({ items: await orgs.listRegions(ctxOf(req, app)) }));
  api.post('/regions', { config: platformAdmin, schema: { tags: ['orgs'], body: ZRegionInput } }, async (req, reply) =>
    reply.code(201).send(await orgs.createRegion(ctxOf(req, app), req.body)),
  );

  api.get('/departments', { config: signedIn, schema: { tags: ['orgs'], querystring: z.object({ q: z.string().max(100).optional(), regionCode: z.string().regex(/^\d{6}$/).optional() }) } }, async (req) => ({
    items: await orgs.listDepartments(ctxOf(req, app), req.query),
  }));
  api.get('/departments/:id', { config: signedIn, schema: { tags: ['orgs'], params: ZId } }, async (req) => orgs.getDepartment(ctxOf(req, app), req.params.id));
  api.post('/departments', { config: platformAdmin, schema: { tags: ['orgs'], body: ZDepartmentInput } }, async (req, reply) =>
    reply.code(201).send(await orgs.createDepartment(ctxOf(req, app), req.body)),
  );
  api.patch('/departments/:id', { config: platformAdmin, schema: { tags: ['orgs'], params: ZId, body: ZDepartmentPatch } }, async (req) =>
    orgs.updateDepartment(ctxOf(req, app), req.params.id, req.body),
  );

  api.get('/contacts', { config: signedIn, schema: { tags: ['orgs'], querystring: z.object({ departmentId: z.uuid().optional() }) } }, async (req) => ({
    items: await orgs.listContacts(ctxOf(req, app), req.query.departmentId),
  }));
  api.put('/departments/:id/contacts/:role', { config: userManagers, schema: { tags: ['orgs'], params: z.object({ id: z.uuid(), role: ZContactRole }), body: ZContactInput } }, async (req) =>
    orgs.changeContact(ctxOf(req, app), req.params.id, req.params.role, req.body),
  );
  api.get('/departments/:id/contacts/history', { config: signedIn, schema: { tags: ['orgs'], params: ZId } }, async (req) => ({
    items: await orgs.listContactHistory(ctxOf(req, app), req.params.id),
  }));

  api.get('/users', { config: userManagers, schema: { tags: ['users'], querystring: z.object({ departmentId: z.uuid().optional() }) } }, async (req) => ({
    items: await orgs.listUsers(ctxOf(req, app), req.query.departmentId),
  }));
  api.post('/users', { config: userManagers, schema: { tags: ['users'], body: ZUserInput } }, async (req, reply) =>
    reply.code(201).send(await orgs.createUser(ctxOf(req, app), req.body)),
  );
  api.patch('/users/:id', { config: userManagers, schema: { tags: ['users'], params: ZId, body: ZUserPatch } }, async (req) =>
    orgs.updateUser(ctxOf(req, app), req.params.id, req.body),
  );
  api.post('/users/:id/reset-password', { config: userManagers, schema: { tags: ['users'], params: ZId, body: z.strictObject({ password: z.string().min(1).max(256) }) } }, async (req, reply) => {
    await orgs.resetPassword(ctxOf(req, app), req.params.id, req.body.password);
    return reply.code(204).send();
  });
}
