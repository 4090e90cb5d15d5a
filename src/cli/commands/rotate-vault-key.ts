import path from 'node:path';
import { systemClock } from '../../platform/clock.js';
import {
  encodeKeyringForConfig,
  type Keyring,
  pendingKeys,
  type RotationReport,
  rotateVaultKey,
  VAULT_ALGORITHMS,
  type VaultAlgorithm,
  writeKeyFile,
  writeSecretFile,
} from '../../platform/vault/index.js';
import { record } from '../../platform/audit/audit.js';
import { inTransaction } from '../../platform/db/index.js';
import { type CommandRun, CliFailure, cliCtx, EXIT, parseCommandArgs, UsageError } from '../command.js';
import { withPlatform } from '../open-platform.js';

/**
 * `huitong vault rotate-key`: a new active encryption key for the identity vault, every subject
 * re-encrypted under it in batches, the old keys retired. Servers keep working throughout.
 * With keys in the key file, that file is rewritten (atomically) and servers pick up the new
 * key when they meet a row under it. With HUITONG_VAULT_KEYS, the new keyring goes to
 * --keys-out and the run stops there; once every process runs with it, a second run moves
 * the rows. An interrupted run is resumed by the next one.
 */
export const run: CommandRun = async ({ config, args, io }) => {
  const { values } = parseCommandArgs(args, {
    alg: { type: 'string' },
    'batch-size': { type: 'string' },
    'keys-out': { type: 'string' },
  });
  const alg = (values.alg ?? config.HUITONG_VAULT_ALG) as VaultAlgorithm;
  if (!VAULT_ALGORITHMS.includes(alg)) throw new UsageError(`--alg must be one of ${VAULT_ALGORITHMS.join(', ')}`);
  const batchSize = values['batch-size'] === undefined ? undefined : Number(values['batch-size']);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000)) {
    throw new UsageError('--batch-size must be a whole number from 1 to 100000');
  }
  const keysOut = values['keys-out'] === undefined ? undefined : path.resolve(values['keys-out']);
  if (config.HUITONG_VAULT_KEYS && !keysOut) {
    throw new UsageError(
      'the vault keys come from HUITONG_VAULT_KEYS: pass --keys-out <file> to receive the new value / 密钥来自 HUITONG_VAULT_KEYS，请用 --keys-out 指定新密钥的输出文件',
    );
  }
  return withPlatform(config, async (app) => {
    const keyring = app.vault;
    const persist = (next: Keyring) => {
      if (next.source.kind === 'file') writeKeyFile(next.source.path, next);
      else if (next.source.kind === 'config' && keysOut) writeSecretFile(keysOut, `${encodeKeyringForConfig(next)}\n`);
      else throw new CliFailure('the vault keys have nowhere to be saved / 密钥无处保存');
    };
    const fromConfig = keyring.source.kind === 'config';
    const resuming = pendingKeys(keyring).length > 0;
    const report = await rotateVaultKey({
      db: app.database.db,
      keyring,
      alg,
      now: () => systemClock.now(),
      persist,
      deferReencryption: fromConfig,
      ...(batchSize ? { batchSize } : {}),
      onBatch: ({ batch, reencrypted }) => io.err(`batch ${batch}: ${reencrypted} re-encrypted so far / 已重新加密 ${reencrypted} 条`),
    });
    const ctx = cliCtx(app, 'vault rotate-key');
    await inTransaction(app.database.db, (tx) =>
      record(tx, {
        actor: ctx.actor,
        requestId: ctx.requestId,
        action: 'vault.key_rotated',
        targetType: 'vault_key',
        targetId: report.activeKeyId,
        at: systemClock.now(),
        details: { status: report.status, reencrypted: report.reencrypted, retired: report.retired, resumed: resuming },
      }),
    );
    printReport(io.out, report, resuming);
    if (fromConfig && report.status === 'awaiting_deploy') {
      io.out(
        `new keys written to ${keysOut}: set HUITONG_VAULT_KEYS to its content for every process, restart them, ` +
          'then run `huitong vault rotate-key --keys-out <file>` again to re-encrypt / ' +
          '新密钥已写入文件：请将其内容配置为所有进程的 HUITONG_VAULT_KEYS 并重启，然后再次执行本命令完成重新加密',
      );
    } else if (fromConfig) {
      io.out(`keys with the retired marks written to ${keysOut}: set HUITONG_VAULT_KEYS to its content / 已将标记退役后的密钥写入文件，请更新 HUITONG_VAULT_KEYS`);
    }
    return EXIT.ok;
  });
};

/** The counts of a rotation, one fact a line. */
function printReport(out: (line: string) => void, report: RotationReport, resuming: boolean): void {
  if (resuming) out('resumed an unfinished rotation / 继续未完成的密钥轮换');
  out(`active key ${report.activeKeyId} / 当前密钥`);
  out(`re-encrypted ${report.reencrypted} subjects in ${report.batches} batches / 重新加密 ${report.reencrypted} 条`);
  if (report.retired.length) out(`retired keys: ${report.retired.join(', ')} (kept to read backups) / 已退役密钥（保留以读取备份）`);
  const total = Object.values(report.countsByKey).reduce((a, b) => a + b, 0);
  out(`subjects: ${total} in total / 主体共 ${total} 条`);
  for (const [keyId, n] of Object.entries(report.countsByKey)) out(`  ${keyId}  ${n}`);
}
