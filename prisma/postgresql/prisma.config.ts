// Prisma CLI configuration for the PostgreSQL schema (used by tools/prisma.mjs; never at service run
// time). `engine: 'js'` runs the schema engine as WASM through a driver adapter: nothing is downloaded.
// Commands that read a database (`migrate diff`, even from empty: it asks for the server version)
// connect to TZ_PRISMA_PG_URL; `--from-migrations` creates and drops a temporary shadow database
// there, so that user needs CREATEDB.
import { PrismaPg } from '@prisma/adapter-pg';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { PoolConfig, QueryResult } from 'pg';
import { defineConfig } from 'prisma/config';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/** Catalog-only types ("char" 18, name 19) that pg returns as strings. */
const CATALOG_TEXT_OIDS = new Set([18, 19]);
const PG_TEXT_OID = 25;

/**
 * prisma/orm#27403: adapter-pg cannot map the `name` column type that the schema engine's catalog
 * queries return, so every describe fails ("Column type 'name' could not be deserialized"). Their
 * values arrive as strings; reporting the columns as `text` is exact for them.
 */
function reportNameColumnsAsText(adapter: PgAdapter): PgAdapter {
  const pool = adapter.underlyingDriver() as { query: (...args: unknown[]) => Promise<QueryResult> };
  const query = pool.query.bind(pool);
  pool.query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = PG_TEXT_OID;
    return result;
  };
  return adapter;
}

class CatalogSafePgAdapterFactory extends PrismaPg {
  constructor(private readonly base: PoolConfig) {
    super(base);
  }

  override async connect(): Promise<PgAdapter> {
    return reportNameColumnsAsText(await super.connect());
  }

  /**
   * Own shadow database handling: the adapter's version drops the database before closing its pool,
   * which fails ("being accessed by other users") and leaves the database behind.
   */
  override async connectToShadowDb(): Promise<PgAdapter> {
    const admin = new pg.Client(this.base);
    await admin.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const adapter = reportNameColumnsAsText(await new PrismaPg({ ...this.base, database }).connect());
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      try {
        await dispose();
      } finally {
        await admin.query(`DROP DATABASE IF EXISTS "${database}"`);
        await admin.end();
      }
    };
    return adapter;
  }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: './schema.prisma',
  migrations: { path: './migrations' },
  async adapter() {
    const url = new URL(process.env['TZ_PRISMA_PG_URL'] ?? 'postgresql://TZ_PRISMA_PG_URL-is-not-set@127.0.0.1:1/none');
    // Discrete fields, not `connectionString`: pg lets a connection string override `database`.
    return new CatalogSafePgAdapterFactory({
      host: decodeURIComponent(url.hostname),
      port: url.port ? Number(url.port) : 5432,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.slice(1)) || 'postgres',
    });
  },
});
