import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { EntityMeta, EntityStore, NamedRef } from './entity-types';
import { boundedList, dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { namedRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'CompositeEvent';

export interface CompositeRule {
  id: string;
  /** 1: the watched task succeeded; 2: it failed (Qlik's ruleState). */
  ruleState: number;
  reloadTask: NamedRef;
}

/** A task-event trigger (Qlik's CompositeEvent): run `reloadTask` once every rule holds within the time constraint. */
export interface CompositeEventRecord extends EntityMeta {
  name: string;
  enabled: boolean;
  reloadTask: NamedRef;
  timeConstraintSeconds: number;
  rules: CompositeRule[];
}

const ruleInput = z.strictObject({ ruleState: z.number().int().min(1).max(2), reloadTaskId: guid });
const fields = {
  name: dbText(LIMITS.name, 1),
  enabled: z.boolean(),
  reloadTaskId: guid,
  timeConstraintSeconds: z.number().int().min(0).max(366 * 24 * 3600),
  rules: boundedList(ruleInput, 64),
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true, reloadTaskId: true, rules: true });
const patchSchema = z.strictObject(fields).partial();

export type CompositeEventInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'reloadTaskId' | 'rules'>;

export interface CompositeEventStore extends EntityStore<CompositeEventRecord, CompositeEventInput> {
  /** Enabled events with a rule on `taskId` in `ruleState`, whose own task is enabled. */
  watching(taskId: string, ruleState: number): Promise<CompositeEventRecord[]>;
}

const include = {
  reloadTask: namedRefSelect,
  rules: { orderBy: { position: 'asc' }, select: { id: true, ruleState: true, reloadTask: namedRefSelect } },
} satisfies Prisma.CompositeEventInclude;
type Row = Prisma.CompositeEventGetPayload<{ include: typeof include }>;

function toRecord(row: Row): CompositeEventRecord {
  const { reloadTaskId: _t, ...rest } = row;
  return rest;
}

const ruleRows = (rules: z.output<typeof ruleInput>[]) => rules.map((r, position) => ({ position, ruleState: r.ruleState, reloadTaskId: r.reloadTaskId }));

export function createCompositeEventStore(db: DbClient): CompositeEventStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.compositeEvent.findUnique({ where: { id: key }, include }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const { rules, ...data } = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      const row = await withDbErrors(E, 'write', () => db.compositeEvent.create({
        data: { ...data, createdDate: now, modifiedDate: now, modifiedByUserName: actor, rules: { create: ruleRows(rules) } },
        include,
      }));
      return toRecord(row);
    },
    get: (id) => getOrThrow(E, id, find),
    find,
    async list(options) {
      return (await read(E, () => db.compositeEvent.findMany({ ...listArgs(options, E), include }))).map(toRecord);
    },
    count: () => read(E, () => db.compositeEvent.count()),
    async watching(taskId, ruleState) {
      const key = parseId(taskId, E);
      const rows = await read(E, () => db.compositeEvent.findMany({
        where: { enabled: true, reloadTask: { enabled: true }, rules: { some: { reloadTaskId: key, ruleState } } },
        orderBy: [{ createdDate: 'asc' }, { id: 'asc' }],
        include,
      }));
      return rows.map(toRecord);
    },
    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const { rules, ...p } = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.compositeEvent.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.compositeEvent.updateMany({ where: { id: key, modifiedDate: version }, data: { ...p, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor } });
          requireUpdated(E, count);
          if (rules) {
            await tx.compositeEventRule.deleteMany({ where: { compositeEventId: key } });
            await tx.compositeEventRule.createMany({ data: ruleRows(rules).map((r) => ({ ...r, compositeEventId: key })) });
          }
          return toRecord(await tx.compositeEvent.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.compositeEvent.deleteMany({ where: { id: key } }));
    },
  };
}
