import { describe, expect, it } from 'vitest';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { DbError, DbErrorCode } from '../db';
import { dbErrorToService, viaDb } from './db-error.mapper';

const SQL_TEXT = 'SQLITE_CONSTRAINT: UNIQUE constraint failed: App.name (INSERT INTO "App" VALUES (...))';

describe('DbError → ServiceError', () => {
  it.each([
    [DbErrorCode.NotFound, ErrorCode.NotFound],
    [DbErrorCode.Conflict, ErrorCode.Conflict],
    [DbErrorCode.Duplicate, ErrorCode.Conflict],
    [DbErrorCode.InUse, ErrorCode.FailedPrecondition],
    [DbErrorCode.Unavailable, ErrorCode.Unavailable],
    [DbErrorCode.StorageFull, ErrorCode.StorageFull],
    [DbErrorCode.CorruptData, ErrorCode.Internal],
    [DbErrorCode.UnsupportedUrl, ErrorCode.Internal],
    [DbErrorCode.MigrationFailed, ErrorCode.Internal],
  ])('%s becomes %s without the database text', (db, service) => {
    const e = dbErrorToService(new DbError(db, SQL_TEXT, { entity: 'App', field: 'name' }));
    expect(e.code).toBe(service);
    expect(e.publicMessage).not.toContain('SQLITE');
    expect(e.publicMessage).not.toContain('INSERT');
  });

  it('a full database disk is STORAGE_FULL naming the repository’s data volume', () => {
    const e = dbErrorToService(new DbError(DbErrorCode.StorageFull, 'SQLITE_FULL: database or disk is full', { entity: 'Stream' }));
    expect(e.publicMessage).toMatch(/^the repository's data volume is full; nothing was written/);
  });

  it('covers every DbError code', () => {
    for (const code of Object.values(DbErrorCode)) expect(() => dbErrorToService(new DbError(code, 'x'))).not.toThrow();
  });

  it('InvalidInput keeps the store’s own field message and names the body field', () => {
    const e = dbErrorToService(new DbError(DbErrorCode.InvalidInput, 'App.name: must not be empty', { entity: 'App', field: 'name' }));
    expect({ code: e.code, field: e.field, message: e.message }).toEqual({ code: ErrorCode.InvalidArgument, field: 'body.name', message: 'App.name: must not be empty' });
  });

  it('Conflict tells the caller the stored modifiedDate to reload', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(dbErrorToService(new DbError(DbErrorCode.Conflict, 'x', { entity: 'App', currentModifiedDate: at })).detail).toEqual({ currentModifiedDate: at.toISOString() });
  });

  it('viaDb maps DbErrors and passes anything else through', async () => {
    await expect(viaDb(() => Promise.reject(new DbError(DbErrorCode.NotFound, 'gone', { entity: 'Stream' })))).rejects.toBeInstanceOf(ServiceError);
    const other = new TypeError('bug');
    await expect(viaDb(() => Promise.reject(other))).rejects.toBe(other);
  });
});
