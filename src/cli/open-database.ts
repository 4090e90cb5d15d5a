import type { Config } from '../platform/config.js';
import { type Database, openDatabase } from '../platform/db/index.js';

/** Opens the configured database without migrating or changing it, runs fn, and always closes it. */
export async function withDatabase<T>(config: Config, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase(config);
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
