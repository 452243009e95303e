// Test support (used by the db specs, and by other repository tests that need a real database).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { DbProvider } from './database-url';
import { migrateDatabase, migrationsDirFor } from './migrate-database';
import { type Database, openDatabase } from './open-database';

/** The repository's prisma/ folder, found from this file (tests run from varying working dirs). */
export const PRISMA_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../prisma');

/** SQLite always; PostgreSQL too when TZ_TEST_PG_URL names a server (e.g. postgresql://postgres@127.0.0.1:5432/test). */
export function testProviders(): DbProvider[] {
  return process.env['TZ_TEST_PG_URL'] ? ['sqlite', 'postgresql'] : ['sqlite'];
}

export interface TestDatabase extends Database {
  url: string;
  /** Closes the client and removes the database (temp file, or the PostgreSQL schema). */
  dispose(): Promise<void>;
}

/** An empty database of its own: a temp SQLite file, or a fresh `tz_<random>` PostgreSQL schema. */
export function freshDatabaseUrl(provider: DbProvider): { url: string; drop(): Promise<void> } {
  if (provider === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tz-db-'));
    return { url: `file:${join(dir, 'repository.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env['TZ_TEST_PG_URL'];
  if (!base) throw new Error('TZ_TEST_PG_URL is not set');
  const schema = `tz_${randomBytes(8).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated, open, empty database. */
export async function createTestDatabase(provider: DbProvider): Promise<TestDatabase> {
  const { url, drop } = freshDatabaseUrl(provider);
  try {
    await migrateDatabase({ url, migrationsDir: migrationsDirFor(PRISMA_ROOT, provider) });
    // Tests trade power-loss durability for speed (see OpenDatabaseOptions.sqliteSync).
    const database = await openDatabase({ url, sqliteSync: 'normal' });
    return {
      ...database,
      url,
      dispose: async () => {
        await database.close();
        await drop();
      },
    };
  } catch (e) {
    await drop();
    throw e;
  }
}
