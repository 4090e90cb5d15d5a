import { type DayKind, isValidIsoDate } from '../../platform/calendar/calendar.js';
import { describeDay } from '../../platform/calendar/calendar.service.js';
import { type CommandRun, cliCtx, EXIT, parseCommandArgs, UsageError } from '../command.js';
import { withPlatform } from '../open-platform.js';

/** How each kind of day reads in Chinese. */
const KIND_ZH: Record<DayKind, string> = {
  working: '工作日',
  adjusted_working: '调休上班',
  holiday: '法定节假日',
  weekend: '周末',
};

/** `huitong calendar is-working-day`: prints `yes` or `no`, the kind of day and the holiday's name; exit 0 either way. */
export const run: CommandRun = async ({ config, args, io }) => {
  const { positionals } = parseCommandArgs(args, {}, true);
  const [date, ...rest] = positionals;
  if (date === undefined || rest.length) throw new UsageError('expected one date');
  if (!isValidIsoDate(date)) throw new UsageError(`not a date (YYYY-MM-DD): ${date}`);
  return withPlatform(config, async (app) => {
    const day = await describeDay(cliCtx(app, 'calendar is-working-day'), date);
    const words = [day.isWorkingDay ? 'yes' : 'no', day.kind, KIND_ZH[day.kind], ...(day.holiday ? [day.holiday] : [])];
    io.out(words.join(' '));
    return EXIT.ok;
  });
};
