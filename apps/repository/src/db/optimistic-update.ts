import { DbError, DbErrorCode } from './db.error';

export function notFound(entity: string, id: string): DbError {
  return new DbError(DbErrorCode.NotFound, `${entity} ${id} not found`, { entity, field: 'id' });
}

export function conflict(entity: string, current: Date | undefined): DbError {
  return new DbError(DbErrorCode.Conflict, `${entity} was changed by someone else; reload it and retry`, {
    entity,
    field: 'modifiedDate',
    currentModifiedDate: current,
  });
}

/**
 * First half of an optimistic update, inside the transaction: the row must exist, and the caller's
 * modifiedDate must not be older than the stored one — Qlik's QRS rule ("if the modifiedDate in the
 * repository database is more recent than the one in your request, there is a conflict"), which
 * clients such as qlik-repo-api rely on when they send the current time instead of the date they
 * read. Returns the stored version: the `updateMany … where {id, modifiedDate: stored}` that
 * follows (see requireUpdated) is what makes it atomic against a writer that commits in between,
 * and the next version is derived from the stored one, never from a client's clock.
 */
export function checkVersion<T extends { modifiedDate: Date }>(entity: string, id: string, current: T | null, expected: Date): asserts current is T {
  if (!current) throw notFound(entity, id);
  if (current.modifiedDate.getTime() > expected.getTime()) throw conflict(entity, current.modifiedDate);
}

/** checkVersion for callers that need only the stored version. */
export function storedVersion(entity: string, id: string, current: { modifiedDate: Date } | null, expected: Date): Date {
  checkVersion(entity, id, current, expected);
  return current.modifiedDate;
}

/** The guarded updateMany must have hit exactly the one row; otherwise someone won the race. */
export function requireUpdated(entity: string, count: number): void {
  if (count !== 1) throw conflict(entity, undefined);
}

/**
 * The new modifiedDate: now, but always later than the old one, so two updates within one
 * millisecond still give different versions (equal versions would let a stale writer through).
 */
export function nextModifiedDate(previous: Date): Date {
  return new Date(Math.max(Date.now(), previous.getTime() + 1));
}
