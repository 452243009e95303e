// The one place that imports the generated Prisma clients (apps/repository/src/generated/, made by
// `node tools/prisma.mjs generate`). Everything else in db/ uses these types.
import { PrismaClient as SqliteClient } from '../generated/prisma-sqlite/client';
import type { Prisma as SqlitePrisma } from '../generated/prisma-sqlite/client';

export { SqliteClient };
export { PrismaClient as PostgresClient } from '../generated/prisma-postgresql/client';

/**
 * Both clients are generated from the same models (prisma/model.prisma), so their model APIs agree;
 * the SQLite client's types are the common subset (PostgreSQL only adds options such as
 * `mode: 'insensitive'`, which the stores must not use). The stores are written against it, and the
 * shared test suite runs them on both providers to prove it.
 */
export type DbClient = SqliteClient;

/** A client inside an interactive transaction. */
export type DbTx = SqlitePrisma.TransactionClient;

/** Either: helpers that only read or write take this so they work inside and outside a transaction. */
export type DbExecutor = DbClient | DbTx;

export type { SqlitePrisma as Prisma };

/** Interactive transactions: generous enough for a batch, short enough that a stuck one is freed. */
export const TX_OPTIONS = { maxWait: 5_000, timeout: 15_000 } as const;
