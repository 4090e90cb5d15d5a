import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentTestbed, citizenId, runAgentOnce, startAgentTestbed, tempDir } from '../../test/agent-harness.js';
import { type PgliteWire, startPgliteWire } from '../../test/pglite-wire.js';
import { checkpointPath } from './checkpoint.js';

// The source is a real PostgreSQL wire connection: the server in TEST_DATABASE_URL when set (CI
// runs the suite a second time that way), otherwise an in-memory PGlite behind a wire endpoint
// of our own (test/pglite-wire.ts), so `npm test` needs no database server and skips nothing.
let bed: AgentTestbed;
let wire: PgliteWire | undefined;
let sourceUrl = '';
let admin: pg.Client;
const schema = `agent_src_${process.pid}_${Date.now() % 1e6}`;
const root = tempDir();
let seq = 500;

beforeAll(async () => {
  bed = await startAgentTestbed();
  if (process.env.TEST_DATABASE_URL) sourceUrl = process.env.TEST_DATABASE_URL;
  else {
    wire = await startPgliteWire();
    sourceUrl = wire.url;
  }
  admin = new pg.Client({ connectionString: sourceUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.people (id bigserial PRIMARY KEY, sfzh text NOT NULL, xm text NOT NULL, updated_at timestamptz NOT NULL)`);
});
afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  await wire?.close();
  await bed?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** Inserts `n` people, all with the same updated_at when `at` is given. */
async function addPeople(n: number, at?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = citizenId(seq++);
    ids.push(id);
    await admin.query(`INSERT INTO ${schema}.people (sfzh, xm, updated_at) VALUES ($1, $2, ${at ? '$3' : 'clock_timestamp()'})`, at ? [id, `赵${seq}`, at] : [id, `赵${seq}`]);
  }
  return ids;
}

function config(job: string, state: string, source: Record<string, unknown>, batchSize = 2) {
  return {
    server: bed.url,
    clientId: bed.client.id,
    clientSecret: bed.client.secret,
    stateDir: state,
    retry: { maxAttempts: 2, initialDelay: '10ms', maxDelay: '20ms' },
    jobs: [
      {
        name: job,
        dataset: bed.code,
        mode: 'atomic',
        batchSize,
        source: { kind: 'postgres', url: sourceUrl, columns: { sfzh: 'citizenId', xm: 'name' }, ...source },
      },
    ],
  };
}

describe('huitong agent, PostgreSQL source', () => {
  it('sends new rows by an id cursor, resumes from the checkpoint, and a lost checkpoint is replayed, not applied twice', async () => {
    const state = path.join(root, 'by-id');
    const query = `SELECT id, sfzh, xm FROM ${schema}.people;`;
    const ids = await addPeople(5);
    const before = await bed.counts();

    const first = await runAgentOnce(config('by-id', state, { query, cursorColumn: 'id' }));
    expect(first.exitCode, first.text).toBe(0);
    expect(first.events('batch_sent').map((l) => l.records)).toEqual([2, 2, 1]);
    const afterFirst = await bed.counts();
    expect(afterFirst.records - before.records).toBe(5);
    const file = checkpointPath(state, 'by-id');
    const checkpoint = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(checkpoint).source).toEqual({ kind: 'postgres', cursor: '5' });
    for (const id of ids) expect(first.text).not.toContain(id);

    // Only what is new is read on the next run.
    await addPeople(2);
    const second = await runAgentOnce(config('by-id', state, { query, cursorColumn: 'id' }));
    expect(second.exitCode, second.text).toBe(0);
    expect(second.events('batch_sent').map((l) => [l.records, l.replayed])).toEqual([[2, false]]);
    const afterSecond = await bed.counts();
    expect(afterSecond.records - afterFirst.records).toBe(2);

    // Crash before the checkpoint of the second run was written: the batch is replayed by the platform.
    fs.writeFileSync(file, checkpoint);
    const third = await runAgentOnce(config('by-id', state, { query, cursorColumn: 'id' }));
    expect(third.exitCode, third.text).toBe(0);
    expect(third.events('batch_sent').map((l) => [l.records, l.replayed])).toEqual([[2, true]]);
    expect(await bed.counts()).toEqual(afterSecond);
  });

  it('loses no row when equal updated_at values straddle a batch boundary, and keeps microseconds exact', async () => {
    await admin.query(`TRUNCATE ${schema}.people`);
    const state = path.join(root, 'by-time');
    const query = `SELECT sfzh, xm, updated_at FROM ${schema}.people`;
    await addPeople(1, '2026-11-20 10:00:00.000001+08');
    await addPeople(3, '2026-11-20 10:00:00.000002+08');
    await addPeople(1, '2026-11-20 10:00:00.000003+08');
    const before = await bed.counts();
    const run = await runAgentOnce(config('by-time', state, { query, cursorColumn: 'updated_at' }));
    expect(run.exitCode, run.text).toBe(0);
    // [1 row at …01] then the run of three at …02 whole, then …03.
    expect(run.events('batch_sent').map((l) => l.records)).toEqual([1, 3, 1]);
    expect((await bed.counts()).records - before.records).toBe(5);
    const cursor = JSON.parse(fs.readFileSync(checkpointPath(state, 'by-time'), 'utf8')).source.cursor as string;
    expect(cursor).toMatch(/:00:00\.000003/); // the session time zone decides the hour; the microseconds survive
    const again = await runAgentOnce(config('by-time', state, { query, cursorColumn: 'updated_at' }));
    expect(again.events('batch_sent')).toHaveLength(0);
  });

  it('stops the job with a clear error on a query the database refuses', async () => {
    const run = await runAgentOnce(config('bad-query', path.join(root, 'bad'), { query: `SELECT id, nope FROM ${schema}.people`, cursorColumn: 'id' }));
    expect(run.exitCode).toBe(1);
    expect(run.events('job_stopped')[0]).toMatchObject({ reason: 'source_config' });
    expect(run.events('job_stopped')[0]?.msg).toMatch(/query failed/);
  });
});
