import type { DbClient } from './db-client';
import { withDbErrors } from './prisma-error-mapper';
import { isDbError, DbErrorCode } from './db.error';

const E = 'SchedulerLease';

export interface Lease {
  holder: string;
  /** Fencing token: grows by one on every change of holder. */
  token: number;
  expiresAt: Date;
}

/**
 * Leader election through the database (docs/operations.md "Scheduler"): a row per lease name; a
 * holder renews it before it expires, anyone may take it over once it has expired. Every step is
 * a compare-and-set on the row, so two repositories never both get the same token.
 */
export interface SchedulerLeaseStore {
  /** Renews the lease for `holder` or takes over an expired one; null while someone else holds it. */
  acquire(name: string, holder: string, ttlMs: number, now: Date): Promise<Lease | null>;
  /** Lets it go at once (a graceful stop), so another repository takes over without waiting for expiry. */
  release(name: string, holder: string, token: number): Promise<void>;
  current(name: string): Promise<Lease | null>;
}

export function createSchedulerLeaseStore(db: DbClient): SchedulerLeaseStore {
  return {
    async acquire(name, holder, ttlMs, now) {
      const expiresAt = new Date(now.getTime() + ttlMs);
      return withDbErrors(E, 'write', async () => {
        const row = await db.schedulerLease.findUnique({ where: { name } });
        if (!row) {
          try {
            await db.schedulerLease.create({ data: { name, holder, token: 1, expiresAt } });
            return { holder, token: 1, expiresAt };
          } catch (e) {
            // Another repository created it at the same moment: it holds the lease.
            if (isDbError(e, DbErrorCode.Duplicate) || (e as { code?: string }).code === 'P2002') return null;
            throw e;
          }
        }
        const mine = row.holder === holder && row.expiresAt.getTime() > now.getTime();
        if (!mine && row.expiresAt.getTime() > now.getTime()) return null;
        const token = mine ? row.token : row.token + 1;
        const { count } = await db.schedulerLease.updateMany({
          where: { name, holder: row.holder, token: row.token, expiresAt: row.expiresAt },
          data: { holder, token, expiresAt },
        });
        return count === 1 ? { holder, token, expiresAt } : null;
      });
    },
    async release(name, holder, token) {
      await withDbErrors(E, 'write', () => db.schedulerLease.updateMany({ where: { name, holder, token }, data: { expiresAt: new Date(0) } }));
    },
    current: (name) => withDbErrors(E, 'write', () => db.schedulerLease.findUnique({ where: { name }, select: { holder: true, token: true, expiresAt: true } })),
  };
}
