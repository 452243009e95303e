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
 * First half of an optimistic update, inside the transaction: the row must exist and carry the
 * caller's modifiedDate. This gives the precise error early; the `updateMany … where {id,
 * modifiedDate}` that follows (see requireUpdated) is what makes it atomic against a writer that
 * commits in between.
 */
export function checkVersion<T extends { modifiedDate: Date }>(entity: string, id: string, current: T | null, expected: Date): asserts current is T {
  if (!current) throw notFound(entity, id);
  if (current.modifiedDate.getTime() !== expected.getTime()) throw conflict(entity, current.modifiedDate);
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
