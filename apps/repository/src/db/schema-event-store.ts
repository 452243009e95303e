import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { EntityMeta, EntityStore, NamedRef } from './entity-types';
import { boundedList, dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate, validDate } from './field-schemas';
import { parseJsonText, toJsonText } from './json-text';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { namedRefSelect } from './ref-selects';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'SchemaEvent';

/** A time trigger (Qlik's SchemaEvent). Start and expiration are wall-clock times in `timeZone`. */
export interface SchemaEventRecord extends EntityMeta {
  name: string;
  enabled: boolean;
  reloadTask: NamedRef;
  timeZone: string;
  daylightSavingTime: number;
  startDate: string;
  expirationDate: string;
  schemaFilterDescription: string[];
  incrementDescription: string;
  incrementOption: number;
  nextExecution: Date | null;
  lastExecution: Date | null;
}

const filters = boundedList(dbText(LIMITS.shortText), 16);
const wallClock = dbText(32, 1);
const fields = {
  name: dbText(LIMITS.name, 1),
  enabled: z.boolean(),
  reloadTaskId: guid,
  timeZone: dbText(64, 1),
  daylightSavingTime: z.number().int().min(0).max(2),
  startDate: wallClock,
  expirationDate: wallClock,
  schemaFilterDescription: filters,
  incrementDescription: dbText(64, 1),
  incrementOption: z.number().int().min(0).max(5),
  nextExecution: validDate.nullable(),
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true, reloadTaskId: true, startDate: true, expirationDate: true, incrementDescription: true, incrementOption: true });
const patchSchema = z.strictObject(fields).partial();

export type SchemaEventInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'reloadTaskId' | 'startDate' | 'expirationDate' | 'incrementDescription' | 'incrementOption'>;

export interface SchemaEventStore extends EntityStore<SchemaEventRecord, SchemaEventInput> {
  /** Enabled events due at `now` (nextExecution ≤ now), oldest first; the task may be disabled (the event then moves on without a run). */
  due(now: Date, take: number): Promise<SchemaEventRecord[]>;
}

const include = { reloadTask: namedRefSelect } satisfies Prisma.SchemaEventInclude;
type Row = Prisma.SchemaEventGetPayload<{ include: typeof include }>;

function toRecord(row: Row): SchemaEventRecord {
  const { reloadTaskId: _t, schemaFilterDescription, ...rest } = row;
  return { ...rest, schemaFilterDescription: parseJsonText(filters, schemaFilterDescription, E, 'schemaFilterDescription') };
}

function columns(p: z.output<typeof patchSchema>) {
  const { schemaFilterDescription, ...rest } = p;
  return { ...rest, ...(schemaFilterDescription ? { schemaFilterDescription: toJsonText(schemaFilterDescription) } : {}) };
}

export function createSchemaEventStore(db: DbClient): SchemaEventStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.schemaEvent.findUnique({ where: { id: key }, include }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      const { id, ...rest } = data;
      const row = await withDbErrors(E, 'write', () => db.schemaEvent.create({ data: { id, ...columns(rest), reloadTaskId: data.reloadTaskId, name: data.name, startDate: data.startDate, expirationDate: data.expirationDate, incrementDescription: data.incrementDescription, incrementOption: data.incrementOption, createdDate: now, modifiedDate: now, modifiedByUserName: actor }, include }));
      return toRecord(row);
    },
    get: (id) => getOrThrow(E, id, find),
    find,
    async list(options) {
      return (await read(E, () => db.schemaEvent.findMany({ ...listArgs(options, E), include }))).map(toRecord);
    },
    count: () => read(E, () => db.schemaEvent.count()),
    async due(now, take) {
      const rows = await read(E, () => db.schemaEvent.findMany({
        where: { enabled: true, nextExecution: { lte: now } },
        orderBy: [{ nextExecution: 'asc' }, { id: 'asc' }],
        take,
        include,
      }));
      return rows.map(toRecord);
    },
    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.schemaEvent.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.schemaEvent.updateMany({ where: { id: key, modifiedDate: version }, data: { ...columns(p), modifiedDate: nextModifiedDate(version), modifiedByUserName: actor } });
          requireUpdated(E, count);
          return toRecord(await tx.schemaEvent.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.schemaEvent.deleteMany({ where: { id: key } }));
    },
  };
}
