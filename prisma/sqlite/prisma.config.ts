// Prisma CLI configuration for the SQLite schema (used by tools/prisma.mjs; never at service run time).
// `engine: 'js'` runs the schema engine as WASM through a driver adapter: nothing is downloaded.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

/**
 * The better-sqlite3 adapter runs shadow-database scripts with `prepare().run()`, which accepts one
 * statement only, so `migrate diff --from-migrations` fails on any real migration. Scripts without
 * parameters go through `exec()` instead (the same path `executeScript` uses).
 */
type ShadowAdapter = Awaited<ReturnType<PrismaBetterSQLite3['connectToShadowDb']>>;

class ShadowScriptSqliteAdapterFactory extends PrismaBetterSQLite3 {
  override async connectToShadowDb(): Promise<ShadowAdapter> {
    const adapter = await super.connectToShadowDb();
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await adapter.executeScript(query.sql);
      return 0;
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
    return new ShadowScriptSqliteAdapterFactory({ url: process.env['TZ_DATABASE_URL'] ?? ':memory:' });
  },
});
