import { verifyChain } from '../platform/audit/audit.js';
import type { Database } from '../platform/db/index.js';
import { CliFailure, type CliIo, EXIT } from './command.js';

/**
 * Walks the audit chain and reports on it: `ok, N entries` (exit 0), or the first bad entry's
 * seq and the reason (exit 1). Read-only, so it is safe on a just-restored database.
 */
export async function reportAuditChain(database: Database, io: CliIo): Promise<number> {
  let result: Awaited<ReturnType<typeof verifyChain>>;
  try {
    result = await verifyChain(database.db);
  } catch (err) {
    if ((err as { code?: string }).code === '42P01') {
      throw new CliFailure('this database has no audit trail yet: run `huitong migrate` first / 数据库尚未初始化，请先执行 huitong migrate');
    }
    throw err;
  }
  if (result.ok) {
    io.out(`ok, ${result.checked} entries / 审计链完整，共 ${result.checked} 条`);
    return EXIT.ok;
  }
  io.err(
    `audit chain broken at seq ${result.firstBadSeq}: ${result.reason} (${result.checked} entries before it are intact) ` +
      `/ 审计链在第 ${result.firstBadSeq} 条处被破坏`,
  );
  return EXIT.failed;
}
