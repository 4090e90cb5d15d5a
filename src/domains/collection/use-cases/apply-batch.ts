import { createHmac } from 'node:crypto';
import type { Transaction } from 'kysely';
import { record } from '../../../platform/audit/audit.js';
import { canonicalJson } from '../../../platform/crypto/canonical-json.js';
import { uuidv7 } from '../../../platform/crypto/ids.js';
import { sm3Hex } from '../../../platform/crypto/sm3.js';
import type { DB, NewRow } from '../../../platform/db/index.js';
import type { Ctx } from '../../../platform/http/index.js';
import { type SubjectKind, storeSubjects } from '../../../platform/vault/index.js';
import { todayInShanghai } from '../../../platform/calendar/calendar.js';
import { collectionError } from '../collection.errors.js';
import * as repo from '../collection.repo.js';
import type { BatchMode, BatchResponse, BatchStatus, TSchemaItem } from '../collection.schema.js';
import { checkRow, markDuplicateKeys, maskedRow, schemaOf } from './validate-rows.js';
import { assertOneSource } from './one-source.js';

/** A dataset as locked for a batch. */
export type LockedDataset = { id: string; code: string; department_id: string; schema_version: number; items: TSchemaItem[] };

/** What a batch came to: the answer, and whether it is the stored answer of an earlier identical request. */
export type BatchOutcome = { response: BatchResponse; replayed: boolean };

/** Canonical JSON of the request, falling back to plain JSON for text canonical JSON refuses (it is only hashed). */
function requestText(mode: BatchMode, records: unknown[]): string {
  try {
    return canonicalJson({ mode, records });
  } catch {
    return JSON.stringify({ mode, records });
  }
}

/**
 * Applies one batch to a locked dataset inside the caller's transaction: replays the stored
 * answer of a retried Idempotency-Key, checks every row, and then either records the
 * rejection (atomic with bad rows) or writes a new version for each changed record, a
 * tombstone for each deletion, quarantines the bad rows (partial) and audits the batch once.
 */
export async function applyBatch(
  tx: Transaction<DB>,
  ctx: Ctx,
  opts: { dataset: LockedDataset; mode: BatchMode; idempotencyKey: string; records: unknown[] },
): Promise<BatchOutcome> {
  const { dataset, mode, idempotencyKey, records } = opts;
  const keyring = ctx.app.vault;
  const now = ctx.app.clock.now();
  const actorId = ctx.actor.id as string;
  const today = todayInShanghai(now);
  // Keyed, so the stored hash of a small request cannot be brute-forced back to an identifier.
  const requestHash = createHmac('sm3', keyring.hmacKey).update(requestText(mode, records), 'utf8').digest('hex');

  const earlier = await repo.findBatchByKey(tx, dataset.id, idempotencyKey);
  if (earlier) {
    if (earlier.request_hash !== requestHash) {
      throw collectionError('COLLECTION_IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used for a different batch; use a new key. 该幂等键已用于内容不同的批次，请使用新的键。');
    }
    const stored = typeof earlier.response === 'string' ? JSON.parse(earlier.response) : earlier.response;
    return { response: stored as BatchResponse, replayed: true };
  }

  await assertOneSource(tx, dataset, records); // 一数一源: refuses the whole batch before anything is written
  const schema = schemaOf(dataset.items);
  const rows = records.map((input, row) => checkRow({ schema, keyring, now, row, input }));
  markDuplicateKeys(rows, schema);
  const bad = rows.filter((r) => r.errors.length > 0);
  const good = rows.filter((r) => r.errors.length === 0);
  const errors = bad.flatMap((r) => r.errors);
  const rejectAll = mode === 'atomic' && bad.length > 0;
  const batchId = uuidv7();

  let unchanged = 0;
  let created = 0;
  let deletedCount = 0;
  const newRecords: NewRow<'dataset_records'>[] = [];
  const newCurrent: NewRow<'dataset_current'>[] = [];
  const newSubjects: { kind: SubjectKind; raw: string }[] = [];
  if (!rejectAll) {
    const current = await repo.findCurrent(
      tx,
      dataset.id,
      good.map((r) => r.key as string),
    );
    for (const r of good) {
      const key = r.key as string;
      const now_ = current.get(key);
      const fingerprint = sm3Hex(canonicalJson({ raw: r.raw, deleted: r.deleted }));
      // Unchanged resubmissions, and deleting what is absent or deleted already, write nothing.
      if ((now_ && now_.fingerprint === fingerprint) || (r.deleted && (!now_ || now_.deleted))) {
        unchanged++;
        continue;
      }
      const version = (now_?.version ?? 0) + 1;
      newRecords.push({
        dataset_id: dataset.id,
        record_key: key,
        version,
        raw: JSON.stringify(r.raw),
        normalised: JSON.stringify(r.normalised),
        schema_version: dataset.schema_version,
        batch_id: batchId,
        written_by: actorId,
        written_at: now,
        deleted: r.deleted,
      });
      newCurrent.push({ dataset_id: dataset.id, record_key: key, version, fingerprint, deleted: r.deleted, updated_at: now });
      if (r.deleted) deletedCount++;
      else created++;
      if (!r.deleted) newSubjects.push(...r.identifiers);
    }
  }

  const status: BatchStatus = rejectAll ? 'rejected' : bad.length ? 'partial' : 'applied';
  const accepted = rejectAll ? 0 : good.length;
  const response: BatchResponse = {
    batchId,
    dataset: dataset.code,
    mode,
    status,
    received: records.length,
    accepted,
    rejected: records.length - accepted,
    unchanged: rejectAll ? 0 : unchanged,
    schemaVersion: dataset.schema_version,
    errors,
  };
  await repo.insertBatch(tx, {
    id: batchId,
    dataset_id: dataset.id,
    department_id: dataset.department_id,
    idempotency_key: idempotencyKey,
    request_hash: requestHash,
    mode,
    status,
    received: response.received,
    accepted: response.accepted,
    rejected: response.rejected,
    response: JSON.stringify(response),
    created_by: actorId,
    created_at: now,
  });

  if (!rejectAll) {
    // The vault holds each identifier once; records hold only its token.
    // Only rows that write a version can bring a new subject; unchanged ones stored theirs before.
    // A quarantined row's valid identifier is kept too, so its fix need not retype it.
    const quarantinedSubjects = mode === 'partial' ? bad.flatMap((r) => (r.keySubject ? [r.keySubject] : [])) : [];
    await storeSubjects(tx, keyring, [...newSubjects, ...quarantinedSubjects], now, { today });
    await repo.insertRecords(tx, newRecords);
    await repo.upsertCurrent(tx, newCurrent);
    await repo.closeQuarantine(
      tx,
      dataset.id,
      good.map((r) => r.key as string),
    );
    if (mode === 'partial' && bad.length) {
      await repo.insertQuarantine(
        tx,
        bad.map((r) => ({
          id: uuidv7(),
          batch_id: batchId,
          dataset_id: dataset.id,
          row_no: r.row,
          record_key: r.key,
          // Masked only here, for the few bad rows: masking every row was a large share of a batch's work.
          raw: JSON.stringify(maskedRow(records[r.row], schema)),
          errors: JSON.stringify(r.errors),
          status: 'open' as const,
          created_at: now,
        })),
      );
    }
    if (newRecords.length) await repo.updateDataset(tx, dataset.id, { updated_at: now });
  }

  await record(tx, {
    actor: ctx.actor,
    action: rejectAll ? 'collection.batch_rejected' : 'collection.batch_applied',
    targetType: 'dataset',
    targetId: dataset.id,
    requestId: ctx.requestId,
    details: {
      dataset: dataset.code,
      batchId,
      mode,
      status,
      received: response.received,
      accepted: response.accepted,
      rejected: response.rejected,
      unchanged: response.unchanged,
      versionsWritten: created,
      tombstones: deletedCount,
    },
    at: now,
  });
  return { response, replayed: false };
}
