import { addWorkingDaysFrom } from '../../../platform/calendar/calendar.service.js';
import type { Ctx } from '../../../platform/http/index.js';
import { type Deadline, deadlineDays } from '../disputes.states.js';

/** The last day of a step opened today under a deadline rule (the start day not counted). */
export async function dueDate(ctx: Ctx, deadline: Deadline, receivedOn: string, today: string): Promise<string> {
  const from = deadline.from === 'receipt' ? receivedOn : today;
  const due = await addWorkingDaysFrom(ctx, from, deadlineDays(ctx.app.policy, deadline));
  return due?.result as string;
}

