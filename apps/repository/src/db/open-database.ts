import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { type DbClient, PostgresClient, SqliteClient } from './db-client';
import { DbError, DbErrorCode } from './db.error';
import { type DbProvider, parseDatabaseUrl, redactDatabaseUrl } from './database-url';
import { releasingSqliteAdapter } from './sqlite-transaction-release';

export interface OpenDatabaseOptions {
  url: string;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /**
   * SQLite durability (PRAGMA synchronous, WAL mode). 'full' (default) syncs every commit, so a
   * committed revocation survives a power cut; 'normal' is ~10x faster per write transaction and
   * still never corrupts the file, but may lose the last commits on power loss (sqlite.org/wal.html).
   */
  sqliteSync?: 'full' | 'normal';
}

export interface Database {
  db: DbClient;
  provider: DbProvider;
  close(): Promise<void>;
}

/** SQLite waits this long for a lock held by another connection before failing with SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens the database named by `url` with the matching generated client and driver adapter, and
 * proves the connection and the schema with two trivial queries, so a wrong URL, a down server or an
 * unmigrated database fails at start-up and not on the first request. Run `migrateDatabase` first:
 * this does not create tables.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const target = parseDatabaseUrl(options.url);
  let db: DbClient;
  if (target.provider === 'sqlite') {
    db = new SqliteClient({
      // releasingSqliteAdapter: a failed COMMIT (disk full) must not leave the adapter's write mutex held.
      adapter: releasingSqliteAdapter(new PrismaBetterSQLite3({ url: target.file, timeout: SQLITE_BUSY_TIMEOUT_MS, fileMustExist: true }, { timestampFormat: 'iso8601' })),
    });
  } else {
    const adapter = new PrismaPg({ connectionString: target.connectionString, max: options.poolSize ?? 10 }, { schema: target.schema });
    // Same models, same API (see DbClient): the PostgreSQL client is used through the common type.
    db = new PostgresClient({ adapter }) as unknown as DbClient;
  }
  try {
    await db.$queryRaw`SELECT 1`;
    // Cheap proof that the schema exists (migrateDatabase ran): fail at start, not on the first request.
    await db.securityRule.findFirst({ select: { id: true } });
    if (target.provider === 'sqlite' && options.sqliteSync === 'normal') await db.$executeRaw`PRAGMA synchronous = NORMAL`;
  } catch (cause) {
    await db.$disconnect().catch(() => undefined);
    throw new DbError(DbErrorCode.Unavailable, `cannot open the database at ${redactDatabaseUrl(options.url)}`, { cause });
  }
  return {
    db,
    provider: target.provider,
    close: () => db.$disconnect(),
  };
}
