import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './datadir-lock.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './schema.js';

/** Which database answers: the embedded PGlite or a PostgreSQL server. */
export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the typed query builder plus what Kysely does not offer (multi-statement scripts). */
export type Database = {
  kind: DatabaseKind;
  db: Kysely<DB>;
  /** Runs a multi-statement SQL script (migrations), outside any transaction of the caller. */
  exec(script: string): Promise<void>;
  close(): Promise<void>;
  /** The embedded instance, for backup and test cloning; undefined on a server. */
  pglite?: PGlite;
};

// timestamptz, date and numeric columns come back as strings we control, not as JS Dates in
// the machine's local time zone.
pg.types.setTypeParser(1082, (v) => v); // date
pg.types.setTypeParser(20, (v) => Number(v)); // int8
const pgliteParsers = { 1082: (v: string) => v, 20: (v: string) => Number(v) };

/**
 * Opens the embedded database in `dataDir/pgdata`, creating it on first use. With a dataDir it
 * takes the data directory's lock first (DataDirLockedError when another process has it), or
 * adopts `lock` when the caller already holds it; closing the database releases the lock.
 */
export async function openPGlite(opts: { dataDir?: string; loadDataDir?: Blob; lock?: DataDirLock }): Promise<Database> {
  let dir: string | undefined;
  let lock: DataDirLock | undefined;
  if (opts.dataDir) {
    lock = opts.lock ?? acquireDataDirLock(opts.dataDir);
    dir = path.join(opts.dataDir, 'pgdata');
  }
  let pglite: PGlite;
  try {
    if (dir) fs.mkdirSync(dir, { recursive: true });
    pglite = await PGlite.create({
      ...(dir ? { dataDir: dir } : {}),
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
      extensions: { pg_trgm },
      parsers: pgliteParsers,
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    kind: 'pglite',
    db,
    pglite,
    exec: async (script) => {
      await pglite.exec(script);
    },
    close: async () => {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}

/** Opens a pool on a PostgreSQL server. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // Fail now with a clear message rather than on the first request.
  const client = await pool.connect();
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgres',
    db,
    exec: async (script) => {
      const c = await pool.connect();
      try {
        await c.query(script);
      } catch (err) {
        // A failed script may leave its explicit transaction open on this pooled connection.
        await c.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        c.release();
      }
    },
    close: async () => {
      await db.destroy();
    },
  };
}

/** Opens the database the configuration names: a server when DATABASE_URL is set, else embedded. */
export async function openDatabase(cfg: {
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_SIZE?: number;
  dataDir: string;
}): Promise<Database> {
  return cfg.DATABASE_URL
    ? openPostgres(cfg.DATABASE_URL, cfg.DATABASE_POOL_SIZE)
    : openPGlite({ dataDir: cfg.dataDir });
}
