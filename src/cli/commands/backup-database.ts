import fs from 'node:fs';
import path from 'node:path';
import { type CommandRun, CliFailure, EXIT, parseCommandArgs, requireEmbedded, UsageError } from '../command.js';
import { withDatabase } from '../open-database.js';

/** `huitong backup`: writes a gzip'd dump of the embedded database's data directory (server stopped). */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values, positionals } = parseCommandArgs(args, { force: { type: 'boolean' } }, true);
  const [target, ...rest] = positionals;
  if (target === undefined || rest.length) throw new UsageError('expected one backup file name');
  requireEmbedded(config, 'backup');
  const file = path.resolve(target);
  if (fs.existsSync(file) && !values.force) throw new CliFailure(`${file} exists; pass --force to replace it / 文件已存在，如需覆盖请加 --force`);
  const pgdata = path.join(config.dataDir, 'pgdata');
  if (!fs.existsSync(pgdata) || fs.readdirSync(pgdata).length === 0) {
    throw new CliFailure(`no embedded database in ${config.dataDir} / 该目录中没有内嵌数据库`);
  }
  return withDatabase(config, async (database) => {
    const dump = await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('gzip');
    const bytes = Buffer.from(await dump.arrayBuffer());
    // Write beside the target and rename, so a failed backup never leaves a truncated file under its name.
    const partial = `${file}.partial-${process.pid}`;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(partial, bytes);
      fs.renameSync(partial, file);
    } catch (err) {
      fs.rmSync(partial, { force: true });
      throw err;
    }
    io.out(`backup written to ${file} (${bytes.length} bytes) / 备份已写入`);
    return EXIT.ok;
  });
};
