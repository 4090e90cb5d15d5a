import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connection.js';

/** Where the numbered `.sql` files live. */
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** A migration file, `NNNN_name.sql`. */
export type Migration = { version: string; name: string; sql: string };

// Serialises migration runs of several processes starting against one server.
const MIGRATION_LOCK = 7302026;

/** Reads the migration files in order. */
export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: f.slice(0, 4), name: f.slice(5, -4), sql: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/** Applies every migration not yet applied, each in its own transaction; returns those applied. */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  await database.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied = new Set((await database.db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version));
  const done: string[] = [];
  for (const m of listMigrations(dir)) {
    if (applied.has(m.version)) continue;
    try {
      // The version row goes in first: a second process racing on the same migration fails on
      // the primary key after waiting for the lock, and its whole transaction rolls back.
      await database.exec(
        `BEGIN;\nSELECT pg_advisory_xact_lock(${MIGRATION_LOCK});\n` +
          `INSERT INTO schema_migrations (version, name) VALUES ('${m.version}', '${m.name}');\n${m.sql}\nCOMMIT;`,
      );
    } catch (err) {
      await database.exec('ROLLBACK').catch(() => {});
      if ((err as { code?: string }).code === '23505') continue; // applied by another process meanwhile
      throw new Error(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
    }
    done.push(`${m.version}_${m.name}`);
  }
  return done;
}

/** True when every migration file has been applied (the readiness check). */
export async function isMigrated(database: Database, dir = MIGRATIONS_DIR): Promise<boolean> {
  const rows = await sql<{ version: string }>`SELECT version FROM schema_migrations`.execute(database.db).catch(() => undefined);
  if (!rows) return false;
  const have = new Set(rows.rows.map((r) => r.version));
  return listMigrations(dir).every((m) => have.has(m.version));
}
