import { seedDemoIfEmpty } from '../../domains/demo/index.js';
import { type CommandRun, EXIT, parseCommandArgs } from '../command.js';
import { withPlatform } from '../open-platform.js';

/** `huitong seed-demo`: loads the demo city into an empty database, and says so when it is not empty. */
export const run: CommandRun = async ({ config, args, io }) => {
  parseCommandArgs(args, {});
  return withPlatform(config, async (app) => {
    const result = await seedDemoIfEmpty(app);
    if (!result.seeded) {
      io.out('the database already has departments; nothing loaded / 数据库已有部门数据，未载入演示数据');
      return EXIT.ok;
    }
    io.out(`demo city loaded; password of every demo account: ${config.HUITONG_DEMO_PASSWORD} / 演示数据已载入`);
    for (const u of result.users) io.out(`  ${u.username.padEnd(12)} ${u.role.padEnd(18)} ${u.department}`);
    return EXIT.ok;
  });
};
