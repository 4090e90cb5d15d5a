import { z } from 'zod';
import type { Api, AppContext } from '../http/index.js';
import { ctxOf } from '../http/server.js';
import * as calendar from './calendar.service.js';

const ZDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD');
const ZHoliday = z.strictObject({ name: z.string().min(1).max(50), nameEn: z.string().max(100).default(''), start: ZDate, end: ZDate });

/** The working-day calendar: browse, add a year, compute deadlines. */
export function calendarRoutes(api: Api, app: AppContext): void {
  api.get('/calendar/years', { config: { policy: { signedIn: true } }, schema: { tags: ['calendar'] } }, async (req) => ({
    items: await calendar.listYears(ctxOf(req, app)),
  }));
  api.put(
    '/calendar/years/:year',
    {
      config: { policy: { roles: ['platform_admin'] } },
      schema: {
        tags: ['calendar'],
        params: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
        body: z.strictObject({ holidays: z.array(ZHoliday).max(30), adjustedWorkdays: z.array(ZDate).max(30) }),
      },
    },
    async (req) => calendar.setYear(ctxOf(req, app), { year: req.params.year, ...req.body }),
  );
  api.get(
    '/calendar/add-working-days',
    {
      config: { policy: { public: true } },
      schema: { tags: ['calendar'], querystring: z.object({ from: ZDate, days: z.coerce.number().int().min(0).max(3650) }) },
    },
    async (req) => calendar.addWorkingDaysFrom(ctxOf(req, app), req.query.from, req.query.days),
  );
  api.get(
    '/calendar/is-working-day',
    { config: { policy: { public: true } }, schema: { tags: ['calendar'], querystring: z.object({ date: ZDate }) } },
    async (req) => calendar.describeDay(ctxOf(req, app), req.query.date),
  );
}
