import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DbError, DbErrorCode } from './db.error';
import type { DbProvider } from './database-url';

export interface MigrationFile {
  /** Folder name, e.g. `20261127211541_init`; the order is the lexical order of names. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql, as Prisma Migrate records it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Prisma's folder naming: a 14-digit timestamp, underscore, name. */
const MIGRATION_NAME = /^\d{14}_[A-Za-z0-9_]+$/;

/**
 * Reads `<dir>/<name>/migration.sql` for every migration folder, in order, and checks that
 * `migration_lock.toml` is for this provider (running SQLite DDL on PostgreSQL, or the other way
 * round, must fail before touching the database).
 */
export function readMigrations(dir: string, provider: DbProvider): MigrationFile[] {
  const lock = join(dir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    throw new DbError(DbErrorCode.MigrationFailed, `no migration_lock.toml in ${dir}: not a migrations folder`);
  }
  if (!readFileSync(lock, 'utf8').includes(`provider = "${provider}"`)) {
    throw new DbError(DbErrorCode.MigrationFailed, `${dir} holds migrations for another provider than ${provider}`);
  }
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return names.map((name) => {
    if (!MIGRATION_NAME.test(name)) {
      throw new DbError(DbErrorCode.MigrationFailed, `unexpected folder "${name}" in ${dir}`);
    }
    const bytes = readFileSync(join(dir, name, 'migration.sql'));
    return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
  });
}

export interface AppliedMigration {
  name: string;
  checksum: string;
  finished: boolean;
}

/**
 * Decides what to apply. Fails closed when the database's history is not a prefix of the folders:
 * an edited migration (checksum), a migration the folders do not know (a newer database than this
 * code), or one that started and never finished.
 */
export function pendingMigrations(files: readonly MigrationFile[], applied: readonly AppliedMigration[]): MigrationFile[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied) {
    const file = byName.get(row.name);
    if (!file) {
      throw new DbError(DbErrorCode.MigrationFailed, `the database has migration ${row.name}, which is not in the migrations folder (is this code older than the database?)`);
    }
    if (!row.finished) {
      throw new DbError(DbErrorCode.MigrationFailed, `migration ${row.name} started but never finished; repair the database before starting`);
    }
    if (row.checksum !== file.checksum) {
      throw new DbError(DbErrorCode.MigrationFailed, `migration ${row.name} was edited after it was applied (checksum differs)`);
    }
  }
  const done = new Set(applied.map((a) => a.name));
  return files.filter((f) => !done.has(f.name));
}
