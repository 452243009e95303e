import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh PostgreSQL schema on `base` (e.g. TZ_TEST_PG_URL) for one site; `drop()` removes it. */
export function freshPgSchema(base: string, tag = 'tz_site'): { url: string; schema: string; drop(): Promise<void> } {
  const schema = `${tag}_${randomBytes(6).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
