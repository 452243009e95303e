import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DbError, DbErrorCode } from './db.error';
import { type AppliedMigration, type MigrationFile, pendingMigrations } from './migration-files';

/** The advisory lock Prisma Migrate takes, so this runner and the Prisma CLI never interleave. */
const MIGRATION_LOCK_KEY = 72707369;

// Prisma Migrate's own bookkeeping table, so `prisma migrate status` and this runner agree on history.
const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;
const SELECT_HISTORY = 'SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE rolled_back_at IS NULL';
const INSERT_HISTORY = 'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, $4, 1)';

/**
 * Applies pending migrations inside `schema` (created if missing). Holds Prisma's advisory lock for
 * the whole run; each migration runs in one transaction with its history row (PostgreSQL DDL is
 * transactional), so a failure leaves no trace. `schema` was validated as a plain identifier by
 * parseDatabaseUrl: it is the only value placed in SQL text here.
 */
export async function migratePostgres(connectionString: string, schema: string, files: readonly MigrationFile[]): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  const applied: string[] = [];
  try {
    await client.connect();
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`SET search_path TO "${schema}"`);
    await client.query(CREATE_HISTORY);
    const history = (await client.query<AppliedMigration>(SELECT_HISTORY)).rows;
    for (const migration of pendingMigrations(files, history)) {
      const started = new Date();
      await client.query('BEGIN');
      try {
        // No parameters: pg uses the simple query protocol, which runs a multi-statement script.
        await client.query(migration.sql);
        await client.query(INSERT_HISTORY, [randomUUID(), migration.checksum, migration.name, started]);
        await client.query('COMMIT');
      } catch (cause) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new DbError(DbErrorCode.MigrationFailed, `migration ${migration.name} failed: ${(cause as Error).message}`, { cause });
      }
      applied.push(migration.name);
    }
  } catch (cause) {
    if (cause instanceof DbError) throw cause;
    throw new DbError(DbErrorCode.MigrationFailed, `PostgreSQL migration failed: ${(cause as Error).message}`, { cause });
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end().catch(() => undefined);
  }
  return applied;
}
