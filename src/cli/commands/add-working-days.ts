import { isValidIsoDate } from '../../platform/calendar/calendar.js';
import { addWorkingDaysFrom } from '../../platform/calendar/calendar.service.js';
import { type CommandRun, cliCtx, EXIT, parseCommandArgs, UsageError } from '../command.js';
import { withPlatform } from '../open-platform.js';

/** `huitong calendar add`: prints only the N-th working day after a date (the start day not counted). */
export const run: CommandRun = async ({ config, args, io }) => {
  const { positionals } = parseCommandArgs(args, {}, true);
  const [from, n, ...rest] = positionals;
  if (from === undefined || n === undefined || rest.length) throw new UsageError('expected a date and a number of working days');
  if (!isValidIsoDate(from)) throw new UsageError(`not a date (YYYY-MM-DD): ${from}`);
  if (!/^\d{1,4}$/.test(n)) throw new UsageError(`not a number of working days (0–9999): ${n}`);
  return withPlatform(config, async (app) => {
    const answer = await addWorkingDaysFrom(cliCtx(app, 'calendar add'), from, Number(n));
    io.out(answer.result);
    return EXIT.ok;
  });
};
