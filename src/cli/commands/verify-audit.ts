import { reportAuditChain } from '../audit-check.js';
import { type CommandRun, parseCommandArgs } from '../command.js';
import { withDatabase } from '../open-database.js';

/** `huitong audit verify`: recomputes the whole hash chain; exit 0 when intact, 1 naming the first bad entry. */
export const run: CommandRun = async ({ config, args, io }) => {
  parseCommandArgs(args, {});
  return withDatabase(config, (database) => reportAuditChain(database, io));
};
