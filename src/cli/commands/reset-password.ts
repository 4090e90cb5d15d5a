import { orgsService } from '../../domains/orgs/index.js';
import { type CommandRun, CliFailure, cliCtx, EXIT, parseCommandArgs, required } from '../command.js';
import { withPlatform } from '../open-platform.js';
import { generatePassword } from '../password.js';

/** `huitong user reset-password`: sets a new password (given or generated), unlocks the account and ends its sessions. */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values } = parseCommandArgs(args, { username: { type: 'string' }, password: { type: 'string' } });
  const username = required(values.username, 'username');
  const generated = values.password === undefined;
  const password = values.password ?? generatePassword();
  return withPlatform(config, async (app) => {
    const ctx = cliCtx(app, 'user reset-password');
    const id = await orgsService.findUserIdByUsername(ctx, username);
    if (!id) throw new CliFailure(`no user named "${username}" / 用户「${username}」不存在`);
    await orgsService.resetPassword(ctx, id, password);
    io.out(`password of ${username} reset; the account is unlocked and its sessions ended / 密码已重置`);
    if (generated) io.out(`new password (shown once) / 新密码（仅显示一次）: ${password}`);
    return EXIT.ok;
  });
};
