import { DbError, DbErrorCode } from './db.error';

interface PrismaLikeError {
  code: string;
  meta?: Record<string, unknown>;
  message: string;
}

/** Duck-typed: both generated clients share one runtime, but we need not rely on class identity. */
function isPrismaError(e: unknown): e is PrismaLikeError {
  return typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && /^P\d{4}$/.test((e as { code: string }).code);
}

/** Storage-only columns reported as the fields a caller knows. */
const FIELD_ALIASES: Record<string, string> = { identityKey: 'userDirectory,userId' };

/**
 * The fields of a violated unique constraint. Driver adapters report them differently: a `fields`
 * list (SQLite, and PostgreSQL when the detail names the key) or the index name `<Model>_<f1>_<f2>_key`.
 */
export function uniqueFields(meta: Record<string, unknown> | undefined): string | undefined {
  const target = meta?.['target'];
  if (Array.isArray(target)) return target.map(String).join(',');
  if (typeof target === 'string') return target;
  const cause = (meta?.['driverAdapterError'] as { cause?: { constraint?: { fields?: unknown; index?: unknown } } } | undefined)?.cause;
  const fields = cause?.constraint?.fields;
  if (Array.isArray(fields)) return fields.map((f) => String(f).replace(/^"|"$/g, '')).join(',');
  const index = cause?.constraint?.index;
  if (typeof index === 'string') {
    const m = /^[A-Za-z]+_(.+)_key$/.exec(index);
    return m?.[1]?.split('_').join(',');
  }
  return undefined;
}

export type WriteKind = 'write' | 'delete';

const SQLITE_FULL = 13;
const PG_DISK_FULL = '53100';

/**
 * Whether a database failure means "the disk is full", by code, wherever the driver adapter put it:
 * the adapter's mapped error (`kind: 'sqlite'` with the extended result code whose primary code is
 * SQLITE_FULL, `kind: 'postgres'` with SQLSTATE 53100 disk_full), its original code, a Prisma error's
 * meta.driverAdapterError, or a file system ENOSPC/EDQUOT anywhere in the cause chain.
 */
export function isDiskFull(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; depth < 8 && typeof cur === 'object' && cur !== null; depth++) {
    const o = cur as { code?: unknown; originalCode?: unknown; kind?: unknown; extendedCode?: unknown; meta?: { driverAdapterError?: unknown }; cause?: unknown };
    if (o.code === 'ENOSPC' || o.code === 'EDQUOT' || o.code === 'SQLITE_FULL' || o.originalCode === 'SQLITE_FULL' || o.originalCode === PG_DISK_FULL) return true;
    if (o.kind === 'sqlite' && typeof o.extendedCode === 'number' && (o.extendedCode & 0xff) === SQLITE_FULL) return true;
    if (o.kind === 'postgres' && o.code === PG_DISK_FULL) return true;
    if (o.meta?.driverAdapterError !== undefined && isDiskFull(o.meta.driverAdapterError)) return true;
    cur = o.cause;
  }
  return false;
}

/** Turns a Prisma error into a DbError; anything unrecognised becomes Unavailable (internal). */
export function mapPrismaError(e: unknown, entity: string, kind: WriteKind): DbError {
  if (e instanceof DbError) return e;
  if (isDiskFull(e)) return new DbError(DbErrorCode.StorageFull, `${entity}: the database's disk is full; nothing was written`, { entity, cause: e });
  if (!isPrismaError(e)) {
    return new DbError(DbErrorCode.Unavailable, `${entity}: database operation failed: ${(e as Error)?.message ?? String(e)}`, { entity, cause: e });
  }
  switch (e.code) {
    case 'P2002': {
      const raw = uniqueFields(e.meta);
      const field = raw === undefined ? undefined : (FIELD_ALIASES[raw] ?? raw);
      return new DbError(DbErrorCode.Duplicate, `${entity}: another entity already has this ${field ?? 'unique value'}`, { entity, field, cause: e });
    }
    case 'P2003':
      // On delete: something still points here. On create/update: the input points at nothing.
      return kind === 'delete'
        ? new DbError(DbErrorCode.InUse, `${entity}: still referenced by other entities`, { entity, cause: e })
        : new DbError(DbErrorCode.InvalidInput, `${entity}: a referenced entity does not exist`, { entity, cause: e });
    case 'P2025':
      return new DbError(DbErrorCode.NotFound, `${entity}: not found`, { entity, cause: e });
    case 'P2034':
      return new DbError(DbErrorCode.Conflict, `${entity}: concurrent write, nothing was changed; retry`, { entity, cause: e });
    default:
      return new DbError(DbErrorCode.Unavailable, `${entity}: database error ${e.code}: ${e.message}`, { entity, cause: e });
  }
}

/** Runs a store operation and converts whatever it throws into a DbError. */
export async function withDbErrors<T>(entity: string, kind: WriteKind, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw mapPrismaError(e, entity, kind);
  }
}
