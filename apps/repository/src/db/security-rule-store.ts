import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { EntityMeta, EntityStore } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { parseStored } from './json-text';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'SystemRule';

export const RULE_TYPES = ['Default', 'ReadOnly', 'Custom'] as const;
/** Create 1 … Approve 4096 (security-rules.md): any other bit is not an action. */
export const ALL_ACTION_BITS = 8191;

export interface SecurityRuleRecord extends EntityMeta {
  name: string;
  category: string;
  type: (typeof RULE_TYPES)[number];
  resourceFilter: string;
  /** The condition text; "" = true. Parsed and validated by the rules lib, not here. */
  rule: string;
  actions: number;
  /** 0 both, 1 hub only, 2 management only. */
  ruleContext: 0 | 1 | 2;
  disabled: boolean;
  comment: string;
  seedId: string | null;
}

const fields = {
  name: dbText(LIMITS.name, 1),
  category: dbText(LIMITS.shortText, 1),
  type: z.enum(RULE_TYPES),
  resourceFilter: dbText(4096, 1),
  rule: dbText(LIMITS.text),
  actions: z.number().int().min(1, 'needs at least one action').max(ALL_ACTION_BITS, 'has an unknown action bit'),
  ruleContext: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  disabled: z.boolean(),
  comment: dbText(LIMITS.text),
  seedId: dbText(LIMITS.shortText, 1).nullable(),
};
const createSchema = z
  .strictObject({ ...fields, id: guid.optional() })
  .partial()
  .required({ name: true, resourceFilter: true, actions: true });
const patchSchema = z.strictObject(fields).partial();

export type SecurityRuleInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'resourceFilter' | 'actions'>;

export interface SecurityRuleStore extends EntityStore<SecurityRuleRecord, SecurityRuleInput> {
  /** The shipped rule with this seed id, or null (site init re-seeds idempotently by it). */
  findBySeedId(seedId: string): Promise<SecurityRuleRecord | null>;
}

type Row = Prisma.SecurityRuleGetPayload<object>;

/** Stored values outside the closed sets are treated as corrupt rather than widened. */
function toRecord(row: Row): SecurityRuleRecord {
  return { ...row, type: parseStored(fields.type, row.type, E, 'type'), ruleContext: parseStored(fields.ruleContext, row.ruleContext, E, 'ruleContext') };
}

export function createSecurityRuleStore(db: DbClient): SecurityRuleStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.securityRule.findUnique({ where: { id: key } }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      const row = await withDbErrors(E, 'write', () =>
        db.securityRule.create({ data: { ...data, createdDate: now, modifiedDate: now, modifiedByUserName: actor } }),
      );
      return toRecord(row);
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async findBySeedId(seedId) {
      const key = parseInput(fields.seedId.unwrap(), seedId, E, 'seedId');
      const row = await read(E, () => db.securityRule.findUnique({ where: { seedId: key } }));
      return row ? toRecord(row) : null;
    },

    async list(options) {
      const rows = await read(E, () => db.securityRule.findMany(listArgs(options, E)));
      return rows.map(toRecord);
    },

    count: () => read(E, () => db.securityRule.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.securityRule.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.securityRule.updateMany({
            where: { id: key, modifiedDate: version },
            data: { ...p, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          return toRecord(await tx.securityRule.findUniqueOrThrow({ where: { id: key } }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.securityRule.deleteMany({ where: { id: key } }));
    },
  };
}
