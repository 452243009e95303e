import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/**
 * Prisma's better-sqlite3 adapter serialises transactions with a mutex that `commit()`/`rollback()`
 * release. Prisma's transaction manager runs the COMMIT (or ROLLBACK) statement first and calls
 * `commit()`/`rollback()` only if the statement succeeded (@prisma/client 6.19). A COMMIT that
 * fails — SQLITE_FULL on a full disk, SQLITE_IOERR — therefore never releases the mutex, and every
 * later write transaction of the process waits forever: the repository kept answering reads but
 * every write timed out, even after space returned (found by `npm run chaos`, disk-full scenario).
 *
 * This wrapper makes the release unconditional: when COMMIT or ROLLBACK fails, the transaction is
 * rolled back if SQLite still has it open (a failed COMMIT may leave it open; SQLITE_FULL usually
 * rolls it back itself) and the mutex is released once; the error still reaches the caller, so the
 * write is refused, never acknowledged.
 */
export function releasingSqliteAdapter(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const wrap = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => releasingTransaction(await start(isolationLevel));
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => wrap(await factory.connect()),
    connectToShadowDb: async () => wrap(await factory.connectToShadowDb()),
  };
}

const ENDS = /^\s*(COMMIT|ROLLBACK)\b/i;

export function releasingTransaction(tx: Transaction): Transaction {
  let released = false;
  const commit = tx.commit.bind(tx);
  const rollback = tx.rollback.bind(tx);
  const executeRaw = tx.executeRaw.bind(tx);
  const once = (fn: () => Promise<void>) => async () => {
    if (released) return;
    released = true;
    await fn();
  };
  tx.commit = once(commit);
  tx.rollback = once(rollback);
  tx.executeRaw = async (query: SqlQuery) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (ENDS.test(query.sql)) {
        // Best effort: "no transaction is active" here just means SQLite already rolled back.
        if (!/^\s*ROLLBACK/i.test(query.sql)) await executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] }).catch(() => undefined);
        await tx.rollback();
      }
      throw error;
    }
  };
  return tx;
}
