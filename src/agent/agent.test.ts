import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/agent-harness.js';
import { testConfig } from '../../test/harness-config.js';
import { runCli } from '../cli/cli.js';
import { createAgentLogger, maskText } from './agent-log.js';
import { AgentConfigError, parseAgentConfig, parseDuration } from './agent.schema.js';
import { idempotencyKey } from './job.js';
import { backoffDelay, pushBatch } from './push-client.js';
import { patternToRegExp } from './sources/csv-folder-source.js';
import { batchSql } from './sources/postgres-source.js';

const SECRET = `htc_${'a'.repeat(43)}`;
const OTHER_SECRET = `htc_${'b'.repeat(43)}`;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const minimal = () => ({
  server: 'https://huitong.example.gov.cn',
  clientId: '0192f0c0-0000-7000-8000-000000000001',
  clientSecret: SECRET,
  stateDir: 'state',
  jobs: [{ name: 'people', dataset: '441300-001/00001', source: { kind: 'csv-folder', path: 'drop' } }],
});

describe('agent configuration', () => {
  it('fills in the defaults and takes relative paths from the configuration file’s folder', () => {
    const c = parseAgentConfig(minimal(), { file: '/etc/huitong/agent.json' });
    expect(c.stateDir).toBe(path.resolve('/etc/huitong/state'));
    const job = c.jobs[0];
    expect(job).toMatchObject({ mode: 'atomic', every: 300_000, batchSize: 1000 });
    expect(job?.source).toMatchObject({ kind: 'csv-folder', path: path.resolve('/etc/huitong/drop'), pattern: '*.csv', afterImport: 'keep', settle: 10_000 });
    expect(c.retry).toEqual({ maxAttempts: 8, initialDelay: 1000, maxDelay: 300_000 });
    expect(c.requestTimeout).toBe(120_000);
  });

  it('lists every problem of a bad file at once', () => {
    const raw = {
      ...minimal(),
      server: 'ftp://x',
      clientId: 'nope',
      jobs: [
        { name: 'a', dataset: 'x', every: '5 minutes', batchSize: 20_000, source: { kind: 'postgres', url: 'mysql://x', query: 'select 1', cursorColumn: 'id; drop' } },
        { name: 'a', dataset: 'y', source: { kind: 'ftp' } },
      ],
    };
    let error: AgentConfigError | undefined;
    try {
      parseAgentConfig(raw, { file: 'agent.json' });
    } catch (err) {
      error = err as AgentConfigError;
    }
    expect(error).toBeInstanceOf(AgentConfigError);
    const fields = (error?.problems ?? []).map((p) => p.split(':')[0]);
    expect(fields).toEqual(
      expect.arrayContaining(['server', 'clientId', 'jobs.0.every', 'jobs.0.batchSize', 'jobs.0.source.url', 'jobs.0.source.cursorColumn', 'jobs.1.source.kind']),
    );
  });

  it('refuses two jobs of one name', () => {
    const raw = { ...minimal(), jobs: [minimal().jobs[0], minimal().jobs[0]] };
    expect(() => parseAgentConfig(raw, { file: 'agent.json' })).toThrow(/jobs\.1\.name: job name "people" is used twice/);
  });

  it('takes the secret from HUITONG_AGENT_SECRET before the file, and needs one of them', () => {
    expect(parseAgentConfig(minimal(), { file: 'a.json', envSecret: OTHER_SECRET }).clientSecret).toBe(OTHER_SECRET);
    const { clientSecret: _, ...without } = minimal();
    expect(parseAgentConfig(without, { file: 'a.json', envSecret: SECRET }).clientSecret).toBe(SECRET);
    expect(() => parseAgentConfig(without, { file: 'a.json' })).toThrow(/HUITONG_AGENT_SECRET/);
    expect(() => parseAgentConfig(without, { file: 'a.json', envSecret: 'short' })).toThrow(/HUITONG_AGENT_SECRET: not an API client secret/);
  });

  it('reads durations', () => {
    expect([parseDuration('250ms'), parseDuration('30s'), parseDuration('5m'), parseDuration('1h'), parseDuration('1d')]).toEqual([250, 30_000, 300_000, 3_600_000, 86_400_000]);
    expect(parseDuration('5 min')).toBeUndefined();
  });
});

describe('huitong agent command', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, () => testConfig());
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('exits 2 with the list of problems on a bad configuration file, never showing the secret', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = path.join(dir, 'agent.json');
    fs.writeFileSync(file, JSON.stringify({ ...minimal(), jobs: [{ name: 'x', dataset: 'd', batchSize: 0, source: { kind: 'csv-folder', path: '.' } }], extra: 1 }));
    const r = await run(['agent', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid agent configuration');
    expect(r.err).toContain('jobs.0.batchSize');
    expect(r.err).toMatch(/Unrecognized key.*extra/);
    expect(r.err).not.toContain(SECRET);
  });

  it('exits 2 when the file is missing or not JSON, or --config is left out', async () => {
    expect((await run(['agent', '--config', '/nonexistent/agent.json'])).err).toContain('no such file');
    expect((await run(['agent', '--config', '/nonexistent/agent.json'])).code).toBe(2);
    const dir = tempDir();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'a.json'), '{ not json');
    expect((await run(['agent', '--config', path.join(dir, 'a.json')])).code).toBe(2);
    expect((await run(['agent'])).code).toBe(2);
  });

  it('is listed in --help', async () => {
    expect((await run(['--help'])).out).toContain('agent --config <agent.json> [--once]');
  });
});

describe('agent rules', () => {
  const job = { name: 'people', dataset: '441300-001/00001', mode: 'atomic' as const };
  const records = [{ values: { name: '张三' } }];

  it('derives the same Idempotency-Key for the same batch from the same position, another for other rows or another position', () => {
    const key = idempotencyKey(job, { fileSm3: 'abc', firstRow: 0 }, records);
    expect(key).toBe(idempotencyKey(job, { fileSm3: 'abc', firstRow: 0 }, [{ values: { name: '张三' } }]));
    expect(key).toMatch(/^agent:people:[0-9a-f]{64}$/);
    expect(key.length).toBeLessThanOrEqual(200);
    expect(idempotencyKey(job, { fileSm3: 'abc', firstRow: 2 }, records)).not.toBe(key);
    expect(idempotencyKey(job, { fileSm3: 'abc', firstRow: 0 }, [{ values: { name: '李四' } }])).not.toBe(key);
    expect(idempotencyKey({ ...job, mode: 'partial' }, { fileSm3: 'abc', firstRow: 0 }, records)).not.toBe(key);
  });

  it('backs off exponentially with jitter, up to the cap', () => {
    const retry = { maxAttempts: 8, initialDelay: 1000, maxDelay: 10_000 };
    expect([1, 2, 3, 4, 5].map((a) => backoffDelay(a, retry, () => 1))).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(backoffDelay(1, retry, () => 0)).toBe(500);
  });

  it('matches file patterns case-insensitively with * and ?', () => {
    const re = patternToRegExp('people-????.csv');
    expect(re.test('PEOPLE-2026.CSV')).toBe(true);
    expect(re.test('people-26.csv')).toBe(false);
    expect(patternToRegExp('*.csv').test('a.csv.tmp')).toBe(false);
  });

  it('wraps the query as a subquery ordered by the quoted cursor column', () => {
    const sql = batchSql({ query: 'SELECT id, name FROM t', cursorColumn: 'updatedAt' }, { after: true, limit: 11 });
    expect(sql).toBe('SELECT * FROM (SELECT id, name FROM t) AS agent_source WHERE agent_source."updatedAt" > $1 ORDER BY agent_source."updatedAt" LIMIT 11');
    expect(batchSql({ query: 'SELECT 1 AS id', cursorColumn: 'id' }, { after: false, limit: 3 })).toContain('WHERE agent_source."id" IS NOT NULL');
  });

  it('masks identifier-shaped text', () => {
    expect(maskText('row 3: 44130219900101001X and 91441300MA4UXXXX0X')).toBe('row 3: 4413**********001X and 9144**********XX0X');
  });

  it('masks identifier-shaped strings anywhere in a log line, but not its own digests', () => {
    const lines: string[] = [];
    const log = createAgentLogger({ destination: { write: (l: string) => lines.push(l) } });
    const key = `agent:x:${'1'.repeat(17)}${'a'.repeat(47)}`;
    log.info({ event: 'e', file: '44130219900101001X.csv', nested: { list: ['91441300MA4UXXXX0X'] }, idempotencyKey: key }, 'm');
    const line = JSON.parse(lines[0] ?? '{}');
    expect(line.file).toBe('4413**********001X.csv');
    expect(line.nested.list[0]).toBe('9144**********XX0X');
    expect(line.idempotencyKey).toBe(key);
  });
});

describe('pushing a batch', () => {
  const response = { batchId: 'b1', dataset: 'd', mode: 'atomic', status: 'applied', received: 1, accepted: 1, rejected: 0, unchanged: 0, schemaVersion: 1, errors: [] };

  /** A stub platform answering each request with the next of `answers`; returns its URL and the requests seen. */
  async function stub(answers: { status: number; headers?: Record<string, string>; body: unknown }[]) {
    const seen: { key: string | undefined; auth: string | undefined; url: string | undefined }[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ key: req.headers['idempotency-key'] as string | undefined, auth: req.headers.authorization, url: req.url });
        const a = answers.shift() ?? { status: 500, body: {} };
        res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
        res.end(JSON.stringify(a.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    return { url: `http://127.0.0.1:${port}`, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  }

  const push = (server: string) =>
    pushBatch({
      config: { ...parseAgentConfig({ ...minimal(), server, retry: { maxAttempts: 4, initialDelay: '1ms', maxDelay: '5ms' } }, { file: 'a.json' }) },
      dataset: '441300-001/00001',
      mode: 'atomic',
      idempotencyKey: 'k1',
      records: [{ values: {} }],
      log: createAgentLogger({ level: 'silent' }),
      stop: new AbortController().signal,
    });

  it('retries 503 and 429 with the same Idempotency-Key, then takes the answer and the replay header', async () => {
    const s = await stub([
      { status: 503, body: { code: 'INTERNAL' } },
      { status: 429, headers: { 'retry-after': '0' }, body: { code: 'RATE_LIMITED' } },
      { status: 200, headers: { 'idempotent-replayed': 'true' }, body: response },
    ]);
    try {
      const r = await push(s.url);
      expect(r).toEqual({ kind: 'applied', response, replayed: true });
      expect(s.seen.map((x) => x.key)).toEqual(['k1', 'k1', 'k1']);
      expect(s.seen[0]?.auth).toBe(`Bearer ${minimal().clientId}.${SECRET}`);
      expect(s.seen[0]?.url).toBe('/api/v1/datasets/441300-001%2F00001/batches?mode=atomic');
    } finally {
      await s.close();
    }
  });

  it('does not retry a 4xx other than 429', async () => {
    const s = await stub([{ status: 404, body: { status: 404, code: 'COLLECTION_DATASET_NOT_FOUND', detail: 'no entry' } }]);
    try {
      const r = await push(s.url);
      expect(r).toMatchObject({ kind: 'refused', problem: { status: 404, code: 'COLLECTION_DATASET_NOT_FOUND' } });
      expect(s.seen).toHaveLength(1);
    } finally {
      await s.close();
    }
  });

  it('tells an atomic rejection (422 COLLECTION_BATCH_INVALID) from other refusals', async () => {
    const s = await stub([{ status: 422, body: { status: 422, code: 'COLLECTION_BATCH_INVALID', errors: [{ row: 0, field: 'name', rule: 'required', message: 'required' }] } }]);
    try {
      expect(await push(s.url)).toMatchObject({ kind: 'rejected', problem: { errors: [{ row: 0, field: 'name' }] } });
    } finally {
      await s.close();
    }
  });
});
