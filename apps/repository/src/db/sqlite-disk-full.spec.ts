import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlQuery, Transaction } from '@prisma/driver-adapter-utils';
import { describe, expect, it } from 'vitest';
import { DbErrorCode } from './db.error';
import { migrateDatabase, migrationsDirFor } from './migrate-database';
import { openDatabase } from './open-database';
import { mapPrismaError } from './prisma-error-mapper';
import { releasingTransaction } from './sqlite-transaction-release';
import { PRISMA_ROOT } from './test-database';

// Regression (npm run chaos, disk-full scenario): a COMMIT that failed with SQLITE_FULL left the
// Prisma better-sqlite3 adapter's transaction mutex held, so every later write of the repository
// waited forever, even after space returned.

function fakeTransaction(failOn: string): Transaction & { sql: string[]; released: number } {
  const t = {
    sql: [] as string[],
    released: 0,
    provider: 'sqlite',
    adapterName: 'fake',
    options: { usePhantomQuery: false },
    queryRaw: async () => ({ columnNames: [], columnTypes: [], rows: [] }),
    executeRaw: async (q: SqlQuery) => {
      t.sql.push(q.sql);
      if (q.sql === failOn) throw new Error(`${failOn} failed: database or disk is full`);
      return 0;
    },
    commit: async () => void (t.released += 1),
    rollback: async () => void (t.released += 1),
  };
  return t as unknown as Transaction & { sql: string[]; released: number };
}

describe('SQLite write transactions release the adapter lock whatever happens', () => {
  it('a failing COMMIT rolls back, releases the lock exactly once, and still fails the write', async () => {
    const raw = fakeTransaction('COMMIT');
    const tx = releasingTransaction(raw);
    await expect(tx.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] })).rejects.toThrow(/disk is full/);
    expect(raw.sql).toEqual(['COMMIT', 'ROLLBACK']);
    expect(raw.released).toBe(1);
    await tx.rollback(); // a later release is a no-op, never a second unlock
    expect(raw.released).toBe(1);
  });

  it('a failing ROLLBACK releases the lock too; a normal COMMIT releases only on commit()', async () => {
    const failing = fakeTransaction('ROLLBACK');
    await expect(releasingTransaction(failing).executeRaw({ sql: 'ROLLBACK', args: [], argTypes: [] })).rejects.toThrow();
    expect(failing.released).toBe(1);
    const fine = fakeTransaction('none');
    const tx = releasingTransaction(fine);
    await tx.executeRaw({ sql: 'COMMIT', args: [], argTypes: [] });
    expect(fine.released).toBe(0);
    await tx.commit();
    expect(fine.released).toBe(1);
  });

  // The real thing: a migrated SQLite database on an 8 MB tmpfs filled to the last byte (needs root to mount).
  it.skipIf(process.getuid?.() !== 0)('on a real full disk a write fails, and once space returns writes succeed again at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-full-'));
    const mnt = join(dir, 'mnt');
    mkdirSync(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tz-full', mnt]);
    try {
      const url = `file:${join(mnt, 'repository.db')}`;
      await migrateDatabase({ url, migrationsDir: migrationsDirFor(PRISMA_ROOT, 'sqlite') });
      const { db, close } = await openDatabase({ url });
      try {
        const write = (name: string) => db.$transaction(async (tx) => tx.stream.create({ data: { name, createdDate: new Date(), modifiedDate: new Date(), modifiedByUserName: 'test', ownerId: null } }), { maxWait: 2_000, timeout: 5_000 });
        await write('before');
        const fd = openSync(join(mnt, 'filler'), 'w');
        for (const size of [1 << 20, 4096, 256]) {
          const b = Buffer.alloc(size, 1);
          for (;;) {
            try {
              writeSync(fd, b);
            } catch {
              break;
            }
          }
        }
        closeSync(fd);
        let refused = 0;
        let refusal: unknown;
        for (let i = 0; i < 20 && refused === 0; i++) await write(`full ${i} ${'x'.repeat(4000)}`).catch((e: unknown) => ((refusal = e), (refused += 1)));
        expect(refused).toBe(1);
        // What the real driver throws is recognised by code as a full disk (→ STORAGE_FULL, HTTP 507).
        expect(mapPrismaError(refusal, 'Stream', 'write').code).toBe(DbErrorCode.StorageFull);
        rmSync(join(mnt, 'filler'));
        const t = Date.now();
        await write('after');
        expect(Date.now() - t).toBeLessThan(2_000);
        expect(await db.stream.count({ where: { name: { in: ['before', 'after'] } } })).toBe(2);
      } finally {
        await close();
      }
    } finally {
      execFileSync('umount', ['-l', mnt]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
