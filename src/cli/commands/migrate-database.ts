import { ensureOfficialYears } from '../../platform/calendar/store.js';
import { systemClock } from '../../platform/clock.js';
import { listMigrations, migrate } from '../../platform/db/index.js';
import { type CommandRun, EXIT, parseCommandArgs } from '../command.js';
import { withDatabase } from '../open-database.js';

/** `huitong migrate`: applies pending migrations and loads the shipped official calendar years. */
export const run: CommandRun = async ({ config, args, io }) => {
  parseCommandArgs(args, {});
  return withDatabase(config, async (database) => {
    const applied = await migrate(database);
    const years = await ensureOfficialYears(database.db, systemClock.now());
    for (const m of applied) io.out(`applied ${m}`);
    if (applied.length === 0) io.out(`up to date, ${listMigrations().length} migrations / 已是最新`);
    if (years.length) io.out(`official calendar loaded for ${years.join(', ')} / 已载入官方节假日安排`);
    return EXIT.ok;
  });
};
