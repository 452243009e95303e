import { isAbsolute, resolve } from 'node:path';
import { DbError, DbErrorCode } from './db.error';

export type DbProvider = 'sqlite' | 'postgresql';

export type DatabaseTarget =
  | { provider: 'sqlite'; /** Absolute path of the database file. */ file: string }
  | {
      provider: 'postgresql';
      /** The URL without Prisma's `schema` parameter (pg does not know it). */
      connectionString: string;
      /** The PostgreSQL schema (namespace) holding the tables; `public` when the URL names none. */
      schema: string;
    };

/** Unquoted-identifier shape; the schema name ends up inside fixed DDL, so nothing else is accepted. */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Picks the provider from the URL scheme: `file:` is SQLite (a relative path is taken from the
 * working directory), `postgresql:`/`postgres:` is PostgreSQL (`?schema=` selects the namespace, as
 * in Prisma URLs). Anything else is refused: there is no default provider to fall back to.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): DatabaseTarget {
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length).split('?')[0] ?? '';
    if (path === '' || path.startsWith(':memory:') || path.includes('\0')) {
      // An in-memory database is private to one connection: migrations would never reach the client.
      throw new DbError(DbErrorCode.UnsupportedUrl, 'a SQLite URL must name a database file (file:<path>)');
    }
    return { provider: 'sqlite', file: isAbsolute(path) ? path : resolve(cwd, path) };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new DbError(DbErrorCode.UnsupportedUrl, 'the database URL does not parse', { cause });
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new DbError(DbErrorCode.UnsupportedUrl, `unsupported database URL scheme "${parsed.protocol}" (use file: or postgresql:)`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema)) {
    throw new DbError(DbErrorCode.UnsupportedUrl, 'the schema parameter must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*, at most 63 characters)');
  }
  parsed.searchParams.delete('schema');
  return { provider: 'postgresql', connectionString: parsed.toString(), schema };
}

/** The URL with any password replaced, for logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
