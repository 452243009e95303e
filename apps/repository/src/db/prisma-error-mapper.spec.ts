import { describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { isDiskFull, mapPrismaError } from './prisma-error-mapper';

// The shapes a full disk arrives in through Prisma's driver adapters (@prisma/driver-adapter-utils
// MappedError): SQLite's extended result code whose low byte is SQLITE_FULL (13), PostgreSQL's
// SQLSTATE 53100 disk_full, either as the adapter's error, as its cause, or inside a Prisma error's meta.
const sqliteFull = { kind: 'sqlite', extendedCode: 13, message: 'database or disk is full' };
const pgFull = { kind: 'postgres', code: '53100', severity: 'ERROR', message: 'could not extend file "base/16384/16397": No space left on device', detail: undefined, column: undefined, hint: 'Check free disk space.' };

describe('a full database disk is told apart by code', () => {
  it.each([
    ['SQLite adapter error', Object.assign(new Error('database or disk is full'), { name: 'DriverAdapterError', cause: sqliteFull })],
    ['PostgreSQL adapter error', Object.assign(new Error('disk full'), { name: 'DriverAdapterError', cause: pgFull })],
    ['PostgreSQL original code', { originalCode: '53100', kind: 'postgres', code: '53100' }],
    ['Prisma known error with the adapter error in meta', Object.assign(new Error('x'), { code: 'P2010', meta: { driverAdapterError: { cause: pgFull } } })],
    ['better-sqlite3 SqliteError', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })],
    ['file system ENOSPC', Object.assign(new Error('write'), { code: 'ENOSPC' })],
  ])('%s → DB_STORAGE_FULL, "nothing was written"', (_name, raw) => {
    expect(isDiskFull(raw)).toBe(true);
    const e = mapPrismaError(raw, 'Stream', 'write');
    expect(e.code).toBe(DbErrorCode.StorageFull);
    expect(e.message).toContain('nothing was written');
  });

  it.each([
    ['another SQLite error (SQLITE_BUSY 5)', { kind: 'sqlite', extendedCode: 5, message: 'database is locked' }],
    ['SQLITE_IOERR_WRITE (778) is not a full disk', { kind: 'sqlite', extendedCode: 778, message: 'disk I/O error' }],
    ['another PostgreSQL class 53 error (53300 too many connections)', { kind: 'postgres', code: '53300', message: 'too many connections' }],
    ['a message that merely mentions a full disk', new Error('database or disk is full')],
  ])('%s is not', (_name, raw) => {
    expect(isDiskFull(raw)).toBe(false);
    expect(mapPrismaError(raw, 'Stream', 'write').code).toBe(DbErrorCode.Unavailable);
  });
});
