import Sqlite from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { DbError, DbErrorCode } from './db.error';
import { type AppliedMigration, type MigrationFile, pendingMigrations } from './migration-files';

// Prisma Migrate's own bookkeeping table, so `prisma migrate status` and this runner agree on history.
const CREATE_HISTORY = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;
const SELECT_HISTORY = 'SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE rolled_back_at IS NULL';
const INSERT_HISTORY = 'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, 1)';

interface HistoryRow { name: string; checksum: string; finished: number }

function readHistory(db: Sqlite.Database): AppliedMigration[] {
  return (db.prepare(SELECT_HISTORY).all() as HistoryRow[]).map((r) => ({ name: r.name, checksum: r.checksum, finished: r.finished === 1 }));
}

/**
 * Applies pending migrations to a SQLite file (created if missing; its directory must exist). Each
 * migration runs in its own IMMEDIATE transaction together with its history row, so a failure
 * leaves no trace and two processes starting at once apply each migration exactly once.
 */
export function migrateSqlite(file: string, files: readonly MigrationFile[]): string[] {
  const db = new Sqlite(file, { timeout: 10_000 });
  const applied: string[] = [];
  try {
    db.exec(CREATE_HISTORY);
    pendingMigrations(files, readHistory(db));
    // Prisma's table redefinitions need foreign keys off while they copy rows (sqlite.org/lang_altertable.html);
    // the pragma is ignored inside a transaction, and foreign_key_check below re-proves integrity.
    db.pragma('foreign_keys = OFF');
    for (const migration of files) {
      const ran = db.transaction(() => {
        const pending = pendingMigrations(files, readHistory(db));
        if (!pending.some((p) => p.name === migration.name)) return false;
        const started = new Date().toISOString();
        db.exec(migration.sql);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) throw new Error(`${violations.length} foreign key violation(s) after the migration`);
        db.prepare(INSERT_HISTORY).run(randomUUID(), migration.checksum, new Date().toISOString(), migration.name, started);
        return true;
      }).immediate();
      if (ran) applied.push(migration.name);
    }
    db.pragma('foreign_keys = ON');
    // WAL lets the service read while a write is in progress; it is a property of the file.
    db.pragma('journal_mode = WAL');
  } catch (cause) {
    if (cause instanceof DbError) throw cause;
    throw new DbError(DbErrorCode.MigrationFailed, `SQLite migration failed: ${(cause as Error).message}`, { cause });
  } finally {
    db.close();
  }
  return applied;
}
