import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import { type EntityMeta, type EntityStore, LINKABLE_TYPES, type LinkableType } from './entity-types';
import { boundedList, dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { parseJsonText, parseStored, toJsonText } from './json-text';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'CustomPropertyDefinition';

export const VALUE_TYPES = ['Text', 'Number'] as const;

export interface CustomPropertyDefinitionRecord extends EntityMeta {
  /** What rules write after `@` (`resource.@Department`). */
  name: string;
  description: string;
  valueType: (typeof VALUE_TYPES)[number];
  /** Allowed values in order; empty = any value. */
  choiceValues: string[];
  /** Resource types the property may be set on. */
  objectTypes: LinkableType[];
}

/** Rules reference the name as `@Name`, so it must be an identifier the rule lexer reads as one token. */
const propertyName = dbText(128, 1).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and _ (not starting with a digit)');
const uniqueList = <T extends string>(item: z.ZodType<T>) =>
  boundedList(item).refine((list) => new Set(list).size === list.length, 'must not repeat a value');
const objectTypeList = uniqueList(z.enum(LINKABLE_TYPES));
const choiceList = uniqueList(dbText(LIMITS.name, 1));

const fields = {
  name: propertyName,
  description: dbText(LIMITS.text),
  valueType: z.enum(VALUE_TYPES),
  choiceValues: choiceList,
  objectTypes: objectTypeList,
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true });
const patchSchema = z.strictObject(fields).partial();

export type CustomPropertyDefinitionInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name'>;

export interface CustomPropertyDefinitionStore extends EntityStore<CustomPropertyDefinitionRecord, CustomPropertyDefinitionInput> {
  findByName(name: string): Promise<CustomPropertyDefinitionRecord | null>;
}

type Row = Prisma.CustomPropertyDefinitionGetPayload<object>;

function toRecord(row: Row): CustomPropertyDefinitionRecord {
  return {
    ...row,
    valueType: parseStored(fields.valueType, row.valueType, E, 'valueType'),
    choiceValues: parseJsonText(choiceList, row.choiceValues, E, 'choiceValues'),
    objectTypes: parseJsonText(objectTypeList, row.objectTypes, E, 'objectTypes'),
  };
}

const jsonFields = (p: { choiceValues?: string[]; objectTypes?: string[] }) => ({
  choiceValues: p.choiceValues && toJsonText(p.choiceValues),
  objectTypes: p.objectTypes && toJsonText(p.objectTypes),
});

/**
 * Changing a definition does not rewrite values already set (a value may fall outside new
 * choices); validation applies to values written afterwards.
 */
export function createCustomPropertyDefinitionStore(db: DbClient): CustomPropertyDefinitionStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.customPropertyDefinition.findUnique({ where: { id: key } }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      const row = await withDbErrors(E, 'write', () =>
        db.customPropertyDefinition.create({
          data: { ...data, ...jsonFields(data), createdDate: now, modifiedDate: now, modifiedByUserName: actor },
        }),
      );
      return toRecord(row);
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async findByName(name) {
      const key = parseInput(propertyName, name, E, 'name');
      const row = await read(E, () => db.customPropertyDefinition.findUnique({ where: { name: key } }));
      return row ? toRecord(row) : null;
    },

    async list(options) {
      const rows = await read(E, () => db.customPropertyDefinition.findMany(listArgs(options, E)));
      return rows.map(toRecord);
    },

    count: () => read(E, () => db.customPropertyDefinition.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.customPropertyDefinition.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.customPropertyDefinition.updateMany({
            where: { id: key, modifiedDate: version },
            data: { ...p, ...jsonFields(p), modifiedDate: nextModifiedDate(version), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          return toRecord(await tx.customPropertyDefinition.findUniqueOrThrow({ where: { id: key } }));
        }, TX_OPTIONS),
      );
    },

    /** Deleting a definition removes its values everywhere (cascade). */
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.customPropertyDefinition.deleteMany({ where: { id: key } }));
    },
  };
}
