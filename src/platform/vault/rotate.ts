import { type Kysely, sql } from 'kysely';
import type { DB, Executor } from '../db/index.js';
import { activeKey, type EncryptionKey, type Keyring, KeyringError, newEncryptionKey, type VaultAlgorithm } from './keyring.js';
import { openSubject, sealSubject } from './vault.js';

/**
 * Rotating the vault's encryption key without downtime:
 *
 * 1. A new key is added as the active one and the keyring is persisted *before* any row moves,
 *    with the old keys still in it: every row stays readable by every process throughout.
 * 2. Rows under any other key are re-encrypted in batches, each batch its own transaction.
 * 3. Keys that no longer encrypt any row are marked retired (kept to read backups).
 *
 * A keyring with a key that is neither active nor retired is a rotation still under way, so
 * the next run resumes it (re-encrypts what is left, then retires) instead of adding another
 * key: a crash at any point just continues next time.
 */

/** Rows per re-encryption transaction. */
export const ROTATION_BATCH_SIZE = 500;

/** After each committed batch: its number and how many rows were re-encrypted so far. */
export type RotationProgress = { batch: number; reencrypted: number };

export type RotationOptions = {
  /** The database itself, not a transaction: every batch commits on its own. */
  db: Kysely<DB>;
  /** The keyring in use; updated in place as the rotation goes, so its holder sees the new keys. */
  keyring: Keyring;
  /** Algorithm of the new key. */
  alg: VaultAlgorithm;
  now: () => Date;
  /** Stores a changed keyring durably (key file, or the file an operator copies into HUITONG_VAULT_KEYS). */
  persist: (keyring: Keyring) => void | Promise<void>;
  /**
   * Stop after persisting a new key. Keys held in configuration must reach every process before
   * any row moves to the new key; the operator deploys them and runs the rotation again, which
   * then resumes.
   */
  deferReencryption?: boolean;
  batchSize?: number;
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
};

export type RotationReport = {
  /** `awaiting_deploy`: a new key was persisted but rows were left for the next run (deferReencryption). */
  status: 'completed' | 'awaiting_deploy';
  /** True when this run continued an unfinished rotation instead of adding a key. */
  resumed: boolean;
  activeKeyId: string;
  reencrypted: number;
  batches: number;
  /** Keys this run marked retired. */
  retired: string[];
  /** Subjects per key id after the run. */
  countsByKey: Record<string, number>;
};

/** A copy of the keyring data (same source), so a persisted version never aliases the live one. */
function copyKeys(keys: readonly EncryptionKey[]): EncryptionKey[] {
  return keys.map((k) => ({ ...k }));
}

/** Replaces the keys of the live keyring in place. */
function apply(keyring: Keyring, keys: EncryptionKey[]): void {
  keyring.encryption.splice(0, keyring.encryption.length, ...keys);
}

/** Keys of a rotation under way: no longer active, not yet retired. */
export function pendingKeys(keyring: Keyring): EncryptionKey[] {
  return keyring.encryption.filter((k) => !k.active && !k.retiredAt);
}

/** Subjects per key id. */
export async function countSubjectsByKey(db: Executor): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('subjects')
    .select(['key_id', sql<number>`count(*)::int`.as('n')])
    .groupBy('key_id')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key_id, Number(r.n)]));
}

/**
 * Re-encrypts, batch by batch, every subject not under the keyring's active key. Each batch
 * locks its rows (skipping rows another rotation holds), re-encrypts them and commits; the
 * loop ends when no such row is left. Returns how many rows and batches it did.
 */
export async function reencryptSubjects(opts: {
  db: Kysely<DB>;
  keyring: Keyring;
  now: () => Date;
  batchSize?: number;
  onBatch?: (progress: RotationProgress) => void | Promise<void>;
}): Promise<{ reencrypted: number; batches: number }> {
  const { db, keyring } = opts;
  const batchSize = opts.batchSize ?? ROTATION_BATCH_SIZE;
  const target = activeKey(keyring);
  const known = keyring.encryption.map((k) => k.id);
  // Rows under keys the keyring lacks could never be moved: stop before touching anything.
  const orphan = await db.selectFrom('subjects').select('key_id').where('key_id', 'not in', known).limit(1).executeTakeFirst();
  if (orphan) {
    throw new KeyringError(`some subjects are encrypted under key ${orphan.key_id}, which the keyring lacks; restore that key before rotating`);
  }
  // By key id (the index), not `<> target` in token order: either would rescan finished rows every batch.
  const others = known.filter((id) => id !== target.id);
  let reencrypted = 0;
  let batches = 0;
  while (others.length > 0) {
    const moved = await db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('subjects')
        .select(['token', 'kind', 'key_id', 'iv', 'ciphertext', 'tag'])
        .where('key_id', 'in', others)
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      const at = opts.now();
      for (const row of rows) {
        const value = openSubject(keyring, row);
        await tx
          .updateTable('subjects')
          .set({ ...sealSubject(target, row.token, value), reencrypted_at: at })
          .where('token', '=', row.token)
          .where('key_id', '=', row.key_id)
          .execute();
      }
      return rows.length;
    });
    if (moved === 0) break;
    reencrypted += moved;
    batches++;
    await opts.onBatch?.({ batch: batches, reencrypted });
  }
  return { reencrypted, batches };
}

/** Adds a new active key (persisted first), re-encrypts every row under other keys, then retires them; resumes an unfinished rotation. */
export async function rotateVaultKey(opts: RotationOptions): Promise<RotationReport> {
  const { keyring } = opts;
  const resumed = pendingKeys(keyring).length > 0;
  if (!resumed) {
    const fresh = { ...newEncryptionKey(opts.alg, opts.now()), active: true };
    const next = [...copyKeys(keyring.encryption).map((k) => ({ ...k, active: false })), fresh];
    await opts.persist({ ...keyring, encryption: copyKeys(next) });
    apply(keyring, next);
    if (opts.deferReencryption) {
      return { status: 'awaiting_deploy', resumed, activeKeyId: fresh.id, reencrypted: 0, batches: 0, retired: [], countsByKey: await countSubjectsByKey(opts.db) };
    }
  }
  const { reencrypted, batches } = await reencryptSubjects({
    db: opts.db,
    keyring,
    now: opts.now,
    ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
    ...(opts.onBatch ? { onBatch: opts.onBatch } : {}),
  });
  const retiredAt = opts.now().toISOString();
  const retired = pendingKeys(keyring).map((k) => k.id);
  const next = copyKeys(keyring.encryption).map((k) => (retired.includes(k.id) ? { ...k, retiredAt } : k));
  await opts.persist({ ...keyring, encryption: copyKeys(next) });
  apply(keyring, next);
  return {
    status: 'completed',
    resumed,
    activeKeyId: activeKey(keyring).id,
    reencrypted,
    batches,
    retired,
    countsByKey: await countSubjectsByKey(opts.db),
  };
}
