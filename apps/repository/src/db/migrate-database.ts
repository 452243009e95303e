import { resolve } from 'node:path';
import { parseDatabaseUrl, type DbProvider } from './database-url';
import { readMigrations } from './migration-files';
import { migratePostgres } from './postgres-migrator';
import { migrateSqlite } from './sqlite-migrator';

export interface MigrateDatabaseOptions {
  url: string;
  /**
   * The provider's migration folder (`prisma/sqlite/migrations` or `prisma/postgresql/migrations`).
   * Pass it explicitly from a bundle: the default is relative to the working directory.
   */
  migrationsDir?: string;
}

export interface MigrateDatabaseResult {
  provider: DbProvider;
  /** Names of the migrations this call applied (empty when the database was up to date). */
  applied: string[];
}

/** `prisma/<provider>/migrations` under `prismaRoot` (the folder that holds model.prisma). */
export function migrationsDirFor(prismaRoot: string, provider: DbProvider): string {
  return resolve(prismaRoot, provider, 'migrations');
}

/**
 * Brings the database to the newest migration, at service start. Our own runner over Prisma's
 * migration folders (rather than spawning `prisma migrate deploy`): it needs no CLI at run time,
 * works from a bundle, and records history in Prisma's `_prisma_migrations` table. Refuses a
 * database whose history does not match the folders (see pendingMigrations).
 */
export async function migrateDatabase(options: MigrateDatabaseOptions): Promise<MigrateDatabaseResult> {
  const target = parseDatabaseUrl(options.url);
  const dir = options.migrationsDir ?? migrationsDirFor(resolve(process.cwd(), 'prisma'), target.provider);
  const files = readMigrations(dir, target.provider);
  const applied =
    target.provider === 'sqlite'
      ? migrateSqlite(target.file, files)
      : await migratePostgres(target.connectionString, target.schema, files);
  return { provider: target.provider, applied };
}
