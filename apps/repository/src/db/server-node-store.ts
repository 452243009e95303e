import { z } from 'zod';
import { type DbClient, TX_OPTIONS } from './db-client';
import type { EntityMeta, EntityStore } from './entity-types';
import { dbText, guid, hostName, LIMITS, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { listArgs } from './list-options';
import { storedVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';

const E = 'ServerNodeConfiguration';

export interface ServerNodeRecord extends EntityMeta {
  name: string;
  hostName: string;
  isCentral: boolean;
  engineEnabled: boolean;
  proxyEnabled: boolean;
  repositoryEnabled: boolean;
}

const fields = {
  name: dbText(LIMITS.name, 1),
  hostName,
  isCentral: z.boolean(),
  engineEnabled: z.boolean(),
  proxyEnabled: z.boolean(),
  repositoryEnabled: z.boolean(),
};
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ name: true, hostName: true });
const patchSchema = z.strictObject(fields).partial();

export type ServerNodeInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'hostName'>;
export type ServerNodeStore = EntityStore<ServerNodeRecord, ServerNodeInput>;

export function createServerNodeStore(db: DbClient): ServerNodeStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    return read(E, () => db.serverNode.findUnique({ where: { id: key } }));
  };
  return {
    async create(input, by) {
      const data = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      return withDbErrors(E, 'write', () => db.serverNode.create({ data: { ...data, createdDate: now, modifiedDate: now, modifiedByUserName: actor } }));
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    list: (options) => read(E, () => db.serverNode.findMany(listArgs(options, E))),

    count: () => read(E, () => db.serverNode.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const version = storedVersion(E, key, await tx.serverNode.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.serverNode.updateMany({
            where: { id: key, modifiedDate: version },
            data: { ...p, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          return tx.serverNode.findUniqueOrThrow({ where: { id: key } });
        }, TX_OPTIONS),
      );
    },

    /** Apps that ran on the node lose their engineNode; virtual proxies drop it from load balancing. */
    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.serverNode.deleteMany({ where: { id: key } }));
    },
  };
}
