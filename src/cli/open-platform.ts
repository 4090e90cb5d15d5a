// Apart from open-database.ts because the platform brings the whole HTTP stack with it, which
// commands that only need the database (migrate, audit verify, backup, restore) do not load.
import { openPlatform } from '../app.js';
import type { Config } from '../platform/config.js';
import { openDatabase } from '../platform/db/index.js';
import type { AppContext } from '../platform/http/index.js';

/** Opens the platform (migrated, official calendar loaded), runs fn, and always closes the database. */
export async function withPlatform<T>(config: Config, fn: (app: AppContext) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await fn(await openPlatform({ config, database }));
  } finally {
    await database.close();
  }
}
