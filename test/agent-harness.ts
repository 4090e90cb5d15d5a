// Helpers for the front-end processor's integration tests: a platform listening on a real port,
// a published dataset keyed by citizen ID, an API client of its department, and a way to run the
// agent once with its log lines captured.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAgentLogger, parseAgentConfig, runAgent } from '../src/agent/agent.js';
import { citizenIdCheckChar } from '../src/platform/validators/index.js';
import { entryFields, startTestPlatform, type TestPlatform } from './harness.js';

/** A platform for agent tests: served on 127.0.0.1, with a dataset and a client that may write it. */
export type AgentTestbed = {
  t: TestPlatform;
  url: string;
  code: string;
  client: { id: string; secret: string };
  deptadmin: string;
  /** A fresh client of the dataset's department. */
  newClient(): Promise<{ id: string; secret: string }>;
  /** Batches and current records of the dataset. */
  counts(): Promise<{ batches: number; records: number; versions: number }>;
  close(): Promise<void>;
};

/** A valid citizen ID number with sequence `seq` (441302 region, born 1990-01-01). */
export function citizenId(seq: number): string {
  const first17 = `44130219900101${String(seq).padStart(3, '0')}`;
  return first17 + citizenIdCheckChar(first17);
}

/** Starts the platform, publishes a dataset (citizenId + name) and issues a collection:write client. */
export async function startAgentTestbed(): Promise<AgentTestbed> {
  const t = await startTestPlatform();
  const [editor, reviewer, authority, deptadmin] = (await Promise.all(['editor', 'reviewer', 'authority', 'deptadmin'].map((u) => t.login(u)))) as [string, string, string, string];
  const ok = async (res: { statusCode: number; body: string; json(): unknown }, status = 200) => {
    if (res.statusCode !== status) throw new Error(`${res.statusCode} ${res.body}`);
    return res.json() as Record<string, string>;
  };
  const items = [
    { name: '公民身份号码', nameEn: 'citizenId', dataType: 'C', length: 18, required: true, isIdentifier: true },
    { name: '姓名', nameEn: 'name', dataType: 'C', length: 10, required: true },
  ];
  const created = await ok(await t.call({ method: 'POST', url: '/api/v1/catalog/entries', cookie: editor, body: entryFields({ items }) }), 201);
  for (const [cookie, action] of [
    [editor, 'submit'],
    [reviewer, 'approve'],
    [authority, 'publish'],
  ] as const) {
    await ok(await t.call({ method: 'POST', url: `/api/v1/catalog/entries/${created.id}/transitions`, cookie, body: { action } }));
  }
  const code = String((await ok(await t.call({ method: 'GET', url: `/api/v1/catalog/entries/${created.id}`, cookie: editor }))).code);
  let n = 0;
  const newClient = async () => {
    const c = await ok(await t.call({ method: 'POST', url: '/api/v1/api-clients', cookie: deptadmin, body: { name: `前置机${n++}`, scopes: ['collection:write'] } }), 201);
    return { id: c.id as string, secret: c.secret as string };
  };
  const client = await newClient();
  await t.server.listen({ port: 0, host: '127.0.0.1' });
  const address = t.server.server.address();
  if (address === null || typeof address !== 'object') throw new Error('server not listening');
  const db = t.app.database.db;
  return {
    t,
    url: `http://127.0.0.1:${address.port}`,
    code,
    client,
    deptadmin,
    newClient,
    async counts() {
      const ds = await db.selectFrom('datasets').select('id').where('code', '=', code).executeTakeFirst();
      if (!ds) return { batches: 0, records: 0, versions: 0 };
      const b = await db.selectFrom('collection_batches').select((e) => e.fn.countAll<string>().as('n')).where('dataset_id', '=', ds.id).executeTakeFirstOrThrow();
      const c = await db.selectFrom('dataset_current').select((e) => e.fn.countAll<string>().as('n')).where('dataset_id', '=', ds.id).executeTakeFirstOrThrow();
      const v = await db.selectFrom('dataset_records').select((e) => e.fn.countAll<string>().as('n')).where('dataset_id', '=', ds.id).executeTakeFirstOrThrow();
      return { batches: Number(b.n), records: Number(c.n), versions: Number(v.n) };
    },
    close: () => t.close(),
  };
}

/** One log line of the agent, parsed. */
export type LogLine = { event?: string; level: number; msg: string; job?: string; [k: string]: unknown };

/** A temporary folder, removed by the caller. */
export function tempDir(prefix = 'huitong-agent-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Runs the agent once (or, with `daemon`, on its schedule until `onLine` aborts) on a configuration object (as the JSON file would hold it, the secret
 * included) and returns its exit code and log lines. `onLine` sees each line as it is written,
 * and may abort the run through the controller it is given.
 */
export async function runAgentOnce(raw: Record<string, unknown>, opts: { onLine?: (line: LogLine, stop: AbortController) => void; configDir?: string; daemon?: boolean } = {}) {
  const lines: LogLine[] = [];
  const controller = new AbortController();
  const log = createAgentLogger({
    level: 'debug',
    destination: {
      write(text: string) {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        opts.onLine?.(line, controller);
      },
    },
  });
  const config = parseAgentConfig(raw, { file: path.join(opts.configDir ?? os.tmpdir(), 'agent.json') });
  const exitCode = await runAgent({ config, log, once: opts.daemon !== true, stop: controller.signal });
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  return { exitCode, lines, text, events: (name: string) => lines.filter((l) => l.event === name) };
}
