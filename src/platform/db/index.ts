import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.js';

export { type Database, type DatabaseKind, openDatabase, openPGlite, openPostgres } from './connection.js';
export { isMigrated, listMigrations, migrate } from './migrator.js';
export type { DB, NewRow, Row } from './schema.js';

/** Anything a repository can run a query on: the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

/** Runs fn in a transaction, or inside the caller's transaction when given one. */
export async function inTransaction<T>(db: Executor, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db as Transaction<DB>);
  return (db as Kysely<DB>).transaction().execute(fn);
}
