import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { openPlatform } from '../src/app.js';
import { seedDemo } from '../src/domains/demo/index.js';
import { fakeClock } from '../src/platform/clock.js';
import { openPGlite, openPostgres } from '../src/platform/db/index.js';
import { TEST_NOW, testConfig } from './harness-config.js';

/**
 * Prepares two migrated templates once per run — an empty platform and the demo city — so each
 * test file clones one instead of migrating: PGlite data-dir dumps, or template databases on
 * a PostgreSQL server when TEST_DATABASE_URL is set.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const clock = fakeClock(TEST_NOW);
  if (serverUrl) {
    const admin = await openPostgres(serverUrl, 2);
    const prefix = `huitong_t${process.pid}`;
    for (const kind of ['empty', 'demo'] as const) {
      const name = `${prefix}_${kind}`;
      await admin.exec(`DROP DATABASE IF EXISTS ${name}`);
      await admin.exec(`CREATE DATABASE ${name}`);
      const url = withDatabase(serverUrl, name);
      const database = await openPostgres(url, 2);
      const app = await openPlatform({ config: testConfig(), database, clock });
      if (kind === 'demo') await seedDemo(app);
      await database.close();
    }
    project.provide('templatePrefix', prefix);
    return async () => {
      for (const kind of ['empty', 'demo']) await admin.exec(`DROP DATABASE IF EXISTS ${prefix}_${kind}`).catch(() => {});
      await admin.close();
    };
  }
  const dir = path.resolve('.tmp/test-templates');
  fs.mkdirSync(dir, { recursive: true });
  for (const kind of ['empty', 'demo'] as const) {
    const database = await openPGlite({});
    const app = await openPlatform({ config: testConfig(), database, clock });
    if (kind === 'demo') await seedDemo(app);
    const dump = await (database.pglite as NonNullable<typeof database.pglite>).dumpDataDir('none');
    fs.writeFileSync(path.join(dir, `${kind}.tar`), Buffer.from(await dump.arrayBuffer()));
    await database.close();
  }
  project.provide('templatePrefix', dir);
  return async () => {};
}

/** The same server URL pointing at another database. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    templatePrefix: string;
  }
}
