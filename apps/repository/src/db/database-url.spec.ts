import { describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url';

describe('parseDatabaseUrl', () => {
  it('takes file: URLs as SQLite, resolving relative paths against the working directory', () => {
    expect(parseDatabaseUrl('file:/var/lib/tz/repo.db')).toEqual({ provider: 'sqlite', file: '/var/lib/tz/repo.db' });
    expect(parseDatabaseUrl('file:./data/repo.db?connection_limit=1', '/srv')).toEqual({ provider: 'sqlite', file: '/srv/data/repo.db' });
  });

  it('takes postgresql:// URLs as PostgreSQL, moving ?schema= out of the connection string', () => {
    const t = parseDatabaseUrl('postgresql://app:s3cret@db:5432/tz?schema=tz_site&sslmode=require');
    expect(t).toEqual({ provider: 'postgresql', connectionString: 'postgresql://app:s3cret@db:5432/tz?sslmode=require', schema: 'tz_site' });
    expect(parseDatabaseUrl('postgres://db/tz')).toMatchObject({ provider: 'postgresql', schema: 'public' });
  });

  it.each([
    ['mysql://db/tz'],
    ['http://db/tz'],
    ['not a url'],
    [''],
    ['file:'],
    ['file::memory:'],
    ['postgresql://db/tz?schema=x";DROP SCHEMA public;--'],
    ['postgresql://db/tz?schema=1abc'],
    [`postgresql://db/tz?schema=${'a'.repeat(64)}`],
  ])('refuses %j', (url) => {
    expect(() => parseDatabaseUrl(url)).toThrow(expect.objectContaining({ code: DbErrorCode.UnsupportedUrl }));
  });

  it('redacts passwords for logs', () => {
    expect(redactDatabaseUrl('postgresql://app:s3cret@db/tz')).toBe('postgresql://app:***@db/tz');
    expect(redactDatabaseUrl('file:/x.db')).toBe('file:/x.db');
  });
});
