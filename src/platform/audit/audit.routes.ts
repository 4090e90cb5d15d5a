import { z } from 'zod';
import { todayInShanghai } from '../calendar/calendar.js';
import { platformError } from '../errors.js';
import type { Api, AppContext } from '../http/index.js';
import { SUBJECT_KINDS, type SubjectKind, tokenForIdentifier } from '../vault/index.js';
import { hashedFieldsOf, listAudit, verifyChain } from './audit.js';

const overseers = { policy: { roles: ['supervisor', 'platform_admin', 'authority'] } } as const;

/**
 * The vault tokens an identifier may stand for: of the given kind, or of every kind it is valid
 * as. An identifier valid as none is a 422 that does not repeat it.
 */
function subjectTokensOf(app: AppContext, subject: string, kind: SubjectKind | undefined): string[] {
  const today = todayInShanghai(app.clock.now());
  const tokens = (kind ? [kind] : SUBJECT_KINDS)
    .map((k) => tokenForIdentifier(app.vault, k, subject, { today, usccLegacy: 'warn' }))
    .flatMap((r) => (r.ok ? [r.token] : []));
  if (tokens.length === 0) {
    throw platformError('VALIDATION_FAILED', 'The subject is not a valid identifier. 主体标识不是有效的证件号码或代码。', {
      errors: [{ field: 'query.subject', rule: 'identifier', message: 'not a valid identifier 不是有效的证件号码或代码' }],
    });
  }
  return tokens;
}

/** Browsing and verifying the audit trail (supervisors and operators). */
export function auditRoutes(api: Api, app: AppContext): void {
  api.get(
    '/audit',
    {
      config: overseers,
      schema: {
        tags: ['audit'],
        querystring: z.object({
          actorId: z.uuid().optional(),
          departmentId: z.uuid().optional(),
          action: z.string().max(64).optional(),
          outcome: z.enum(['allowed', 'denied']).optional(),
          targetType: z.string().max(64).optional(),
          targetId: z.string().max(200).optional(),
          from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          /** An identifier (citizen ID, credit code …): entries about that subject, matched by its vault token. */
          subject: z.string().trim().min(1).max(200).optional(),
          /** The identifier's kind; left out, every kind it is valid as. */
          subjectType: z.enum(SUBJECT_KINDS).optional(),
          /** A catalog entry (id or resource code): entries about any of its grants; an unknown one has none. */
          entry: z.string().trim().min(1).max(200).optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      // The address may carry an identifier (`subject`): no info-level request lines for this route.
      logLevel: 'warn',
    },
    async (req) => {
      const { subject, subjectType, ...filters } = req.query;
      const subjectTokens = subject === undefined ? undefined : subjectTokensOf(app, subject, subjectType);
      const { items, total } = await listAudit(app.database.db, { ...filters, subjectTokens });
      return {
        total,
        items: items.map((r) => ({ ...hashedFieldsOf(r), hash: r.hash })),
      };
    },
  );
  api.get('/audit/verify', { config: overseers, schema: { tags: ['audit'] } }, async () => verifyChain(app.database.db));
}
