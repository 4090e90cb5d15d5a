import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentTestbed, citizenId, runAgentOnce, startAgentTestbed, tempDir } from '../../test/agent-harness.js';
import { checkpointPath } from './checkpoint.js';

let bed: AgentTestbed;
const dirs: string[] = [];
let seq = 0;

beforeAll(async () => {
  bed = await startAgentTestbed();
});
afterAll(async () => {
  await bed.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A drop folder and a state folder for one test. */
function folders() {
  const root = tempDir();
  dirs.push(root);
  const drop = path.join(root, 'drop');
  const state = path.join(root, 'state');
  fs.mkdirSync(drop);
  return { root, drop, state };
}

/** A CSV of `n` valid rows (Chinese header, mapped by `columns`), with fresh IDs. */
function csvRows(n: number): { text: string; ids: string[] } {
  const ids: string[] = [];
  const lines = ['公民身份号码,姓名'];
  for (let i = 0; i < n; i++) {
    const id = citizenId(seq++);
    ids.push(id);
    lines.push(`${id},张${seq}`);
  }
  return { text: `${lines.join('\r\n')}\r\n`, ids };
}

function config(f: { drop: string; state: string }, over: { job?: Record<string, unknown>; source?: Record<string, unknown>; top?: Record<string, unknown> } = {}) {
  return {
    server: bed.url,
    clientId: bed.client.id,
    clientSecret: bed.client.secret,
    stateDir: f.state,
    retry: { maxAttempts: 3, initialDelay: '10ms', maxDelay: '50ms' },
    ...over.top,
    jobs: [
      {
        name: 'people',
        dataset: bed.code,
        mode: 'atomic',
        batchSize: 2,
        source: { kind: 'csv-folder', path: f.drop, settle: '0s', columns: { 公民身份号码: 'citizenId', 姓名: 'name' }, ...over.source },
        ...over.job,
      },
    ],
  };
}

describe('huitong agent, CSV folder source', () => {
  it('imports several files once each, in name order, and moves them to done/', async () => {
    const f = folders();
    const a = csvRows(3);
    const b = csvRows(2);
    // A UTF-8 file with a byte-order mark, as Excel writes it, and a plain one.
    fs.writeFileSync(path.join(f.drop, '2026-11-01.csv'), `\uFEFF${a.text}`);
    fs.writeFileSync(path.join(f.drop, '2026-11-02.csv'), b.text);
    fs.writeFileSync(path.join(f.drop, 'notes.txt'), 'not matched by *.csv');
    const before = await bed.counts();

    const run = await runAgentOnce(config(f, { source: { afterImport: 'move' } }));
    expect(run.exitCode, run.text).toBe(0);
    const after = await bed.counts();
    expect(after.records - before.records).toBe(5);
    expect(after.batches - before.batches).toBe(3); // 2 + 1 for the first file, 1 for the second
    expect(run.events('file_done').map((l) => [l.file, l.rows])).toEqual([
      ['2026-11-01.csv', 3],
      ['2026-11-02.csv', 2],
    ]);
    expect(fs.readdirSync(f.drop).sort()).toEqual(['done', 'notes.txt']);
    expect(fs.readdirSync(path.join(f.drop, 'done')).sort()).toEqual(['2026-11-01.csv', '2026-11-02.csv']);
    const jobRun = run.events('job_run')[0];
    expect(jobRun).toMatchObject({ outcome: 'ok', batches: 3, records: 5, accepted: 5, replayed: 0 });
    // Never a raw identifier, nor the secret, in the log.
    for (const id of [...a.ids, ...b.ids]) expect(run.text).not.toContain(id);
    expect(run.text).not.toContain(bed.client.secret);

    // A copy of a finished file under another name is recognised by its SM3 and not sent again.
    fs.copyFileSync(path.join(f.drop, 'done', '2026-11-02.csv'), path.join(f.drop, '2026-11-03.csv'));
    const again = await runAgentOnce(config(f, { source: { afterImport: 'move' } }));
    expect(again.exitCode, again.text).toBe(0);
    expect(again.events('file_skipped')).toHaveLength(1);
    expect((await bed.counts()).batches).toBe(after.batches);
  });

  it('resumes mid-file after a stop, and a crash after the platform applied batches is replayed, not applied twice', async () => {
    const f = folders();
    const rows = csvRows(5);
    fs.writeFileSync(path.join(f.drop, 'big.csv'), rows.text);
    const before = await bed.counts();

    // SIGTERM while sending: the batch in hand finishes and its checkpoint is written.
    const first = await runAgentOnce(config(f), {
      onLine: (line, stop) => {
        if (line.event === 'batch_sent') stop.abort();
      },
    });
    expect(first.exitCode).toBe(1); // --once with a run that did not finish
    expect(first.events('job_run')[0]?.outcome).toBe('aborted');
    expect((await bed.counts()).records - before.records).toBe(2);
    const file = checkpointPath(f.state, 'people');
    const afterFirst = fs.readFileSync(file, 'utf8');
    expect(JSON.parse(afterFirst).source.current).toMatchObject({ name: 'big.csv', rowsAcked: 2 });

    // The restart sends rows 3–5 only.
    const second = await runAgentOnce(config(f));
    expect(second.exitCode, second.text).toBe(0);
    expect(second.events('file_resumed')[0]).toMatchObject({ rowsAcked: 2 });
    expect(second.events('batch_sent').map((l) => [l.records, l.replayed])).toEqual([
      [2, false],
      [1, false],
    ]);
    const done = await bed.counts();
    expect(done.records - before.records).toBe(5);
    expect(done.batches - before.batches).toBe(3);

    // Crash: the platform applied those two batches but the checkpoint was never written.
    fs.writeFileSync(file, afterFirst);
    const third = await runAgentOnce(config(f));
    expect(third.exitCode, third.text).toBe(0);
    expect(third.events('batch_sent').map((l) => [l.records, l.replayed])).toEqual([
      [2, true],
      [1, true],
    ]);
    expect(third.events('job_run')[0]).toMatchObject({ replayed: 2 });
    expect(await bed.counts()).toEqual(done); // nothing applied twice
  });

  it('stops an atomic job at a bad row, logs the row errors masked, and goes on once the file is fixed', async () => {
    const f = folders();
    const good = citizenId(seq++);
    const bad = `${good.slice(0, 17)}${good.endsWith('0') ? '1' : '0'}`; // wrong check character
    const fix = citizenId(seq++);
    fs.writeFileSync(path.join(f.drop, 'a.csv'), `公民身份号码,姓名\n${good},王一\n${bad},王二\n`);
    const before = await bed.counts();

    const run = await runAgentOnce(config(f));
    expect(run.exitCode).toBe(1);
    const rejected = run.events('batch_rejected');
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ code: 'COLLECTION_BATCH_INVALID', errorCount: 1 });
    expect(rejected[0]?.errors).toEqual([expect.objectContaining({ row: 1, field: 'citizenId', file: 'a.csv', line: 3 })]);
    expect(run.text).not.toContain(bad);
    expect(run.text).not.toContain(good);
    expect(run.events('job_run')[0]?.outcome).toBe('blocked');
    const afterReject = await bed.counts();
    expect(afterReject.records).toBe(before.records);

    // Unchanged source: the job stays where it is without asking the platform again.
    const again = await runAgentOnce(config(f));
    expect(again.exitCode).toBe(1);
    expect(again.events('job_blocked')).toHaveLength(1);
    expect(await bed.counts()).toEqual(afterReject);

    // The operator fixes the row: a new batch, a new key, applied.
    fs.writeFileSync(path.join(f.drop, 'a.csv'), `公民身份号码,姓名\n${good},王一\n${fix},王二\n`);
    const fixed = await runAgentOnce(config(f));
    expect(fixed.exitCode, fixed.text).toBe(0);
    expect((await bed.counts()).records - before.records).toBe(2);
  });

  it('moves on past bad rows in partial mode, logging where they are', async () => {
    const f = folders();
    const good = citizenId(seq++);
    fs.writeFileSync(path.join(f.drop, 'p.csv'), `公民身份号码,姓名\n${good},李一\n123,李二\n`);
    const before = await bed.counts();
    const run = await runAgentOnce(config(f, { job: { mode: 'partial' } }));
    expect(run.exitCode, run.text).toBe(0);
    expect(run.events('rows_quarantined')[0]?.errors).toEqual([expect.objectContaining({ row: 1, field: 'citizenId', line: 3 })]);
    expect(run.events('job_run')[0]).toMatchObject({ outcome: 'ok', accepted: 1, rejected: 1 });
    expect((await bed.counts()).records - before.records).toBe(1);
  });

  it('stops with a clear error, without retrying, when the credential is revoked', async () => {
    const f = folders();
    fs.writeFileSync(path.join(f.drop, 'r.csv'), csvRows(1).text);
    const c = await bed.newClient();
    const res = await bed.t.call({ method: 'POST', url: `/api/v1/api-clients/${c.id}/revoke`, cookie: bed.deptadmin, body: { reason: '前置机下线' } });
    expect(res.statusCode).toBe(200);
    const run = await runAgentOnce(config(f, { top: { clientId: c.id, clientSecret: c.secret } }));
    expect(run.exitCode).toBe(1);
    const stopped = run.events('job_stopped');
    expect(stopped).toHaveLength(1);
    expect(stopped[0]).toMatchObject({ status: 401, code: 'AUTH_INVALID_CLIENT' });
    expect(stopped[0]?.msg).toMatch(/revoked/);
    expect(run.events('batch_retry')).toHaveLength(0);
    expect(run.text).not.toContain(c.secret);
  });

  it('retries an unreachable platform with backoff, then gives up the run without moving the checkpoint', async () => {
    const f = folders();
    fs.writeFileSync(path.join(f.drop, 'u.csv'), csvRows(1).text);
    // A loopback port that was free a moment ago: nothing listens, the connection is refused.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const run = await runAgentOnce(config(f, { top: { server: `http://127.0.0.1:${port}` } }));
    expect(run.exitCode).toBe(1);
    expect(run.events('batch_retry').map((l) => [l.attempt, l.reason])).toEqual([
      [1, 'ECONNREFUSED'],
      [2, 'ECONNREFUSED'],
    ]);
    expect(run.events('job_failed')[0]).toMatchObject({ attempts: 3 });
    expect(fs.existsSync(checkpointPath(f.state, 'people'))).toBe(false);
  });

  it('runs on its schedule, picking up a file dropped between runs, until it is told to stop', async () => {
    const f = folders();
    fs.writeFileSync(path.join(f.drop, '1.csv'), csvRows(1).text);
    let runs = 0;
    const run = await runAgentOnce(config(f, { job: { every: '50ms' } }), {
      daemon: true,
      onLine: (line, stop) => {
        if (line.event === 'job_run' && ++runs === 1) fs.writeFileSync(path.join(f.drop, '2.csv'), csvRows(2).text);
        if (line.event === 'file_done' && line.file === '2.csv') stop.abort();
      },
    });
    expect(run.exitCode, run.text).toBe(0);
    expect(run.events('file_done').map((l) => l.file)).toEqual(['1.csv', '2.csv']);
    expect(run.events('agent_stopped')[0]).toMatchObject({ exitCode: 0 });
  });

  it('leaves a file that is still being written, and the files after it, for the next run', async () => {
    const f = folders();
    fs.writeFileSync(path.join(f.drop, 'a.csv'), csvRows(1).text);
    fs.writeFileSync(path.join(f.drop, 'b.csv'), csvRows(1).text);
    const before = await bed.counts();
    const run = await runAgentOnce(config(f, { source: { settle: '1h' } }));
    expect(run.exitCode, run.text).toBe(0);
    expect(run.events('file_waiting').map((l) => l.file)).toEqual(['a.csv']);
    expect(run.events('file_started')).toHaveLength(0);
    expect(await bed.counts()).toEqual(before);
  });

  it('refuses a second agent on the same state directory', async () => {
    const f = folders();
    let second: Promise<unknown> | undefined;
    const first = runAgentOnce(config(f), {
      onLine: (line) => {
        if (line.event === 'agent_started' && !second) second = runAgentOnce(config(f)).catch((e: Error) => e);
      },
    });
    await first;
    expect(await second).toMatchObject({ name: 'AgentLockedError' });
  });
});
