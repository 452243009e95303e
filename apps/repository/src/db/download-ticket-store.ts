import { z } from 'zod';
import type { DbClient } from './db-client';
import { dbText, guid, LIMITS, parseInput } from './field-schemas';
import { withDbErrors } from './prisma-error-mapper';

const E = 'DownloadTicket';

export type DownloadKind = 'app' | 'scriptlog';

export interface DownloadTicketRecord {
  id: string;
  kind: DownloadKind;
  targetId: string;
  exportToken: string;
  identityKey: string;
  skipData: boolean;
  expiresAt: Date;
}

const createSchema = z.strictObject({
  id: z.string().regex(/^[0-9a-f]{32,64}$/, 'must be random hex'),
  kind: z.enum(['app', 'scriptlog']),
  targetId: guid,
  exportToken: dbText(LIMITS.shortText),
  identityKey: dbText(2 * LIMITS.identity + 1, 1),
  skipData: z.boolean(),
  expiresAt: z.date(),
});

/** Single-use, expiring download tickets (app exports, script logs), bound to the user who asked. */
export interface DownloadTicketStore {
  create(input: z.input<typeof createSchema>): Promise<void>;
  /**
   * Uses the ticket: a compare-and-set from unused to used, only before it expires and only for the
   * user it was made for. Null for anything else (unknown, used, expired, someone else's): the
   * caller answers all of these alike.
   */
  claim(id: string, kind: DownloadKind, identityKey: string, now: Date): Promise<DownloadTicketRecord | null>;
  /** Forgets expired tickets. */
  prune(now: Date): Promise<number>;
}

export function createDownloadTicketStore(db: DbClient): DownloadTicketStore {
  return {
    async create(input) {
      const d = parseInput(createSchema, input, E);
      await withDbErrors(E, 'write', () => db.downloadTicket.create({ data: d }));
    },
    async claim(id, kind, identityKey, now) {
      if (!/^[0-9a-f]{32,64}$/.test(id)) return null;
      return withDbErrors(E, 'write', async () => {
        const { count } = await db.downloadTicket.updateMany({ where: { id, kind, identityKey, used: false, expiresAt: { gt: now } }, data: { used: true } });
        if (count !== 1) return null;
        const row = await db.downloadTicket.findUniqueOrThrow({ where: { id } });
        return { ...row, kind };
      });
    },
    async prune(now) {
      return (await withDbErrors(E, 'write', () => db.downloadTicket.deleteMany({ where: { expiresAt: { lt: now } } }))).count;
    },
  };
}
