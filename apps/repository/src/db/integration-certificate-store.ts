import { z } from 'zod';
import { type DbClient, TX_OPTIONS } from './db-client';
import { DbError, DbErrorCode } from './db.error';
import type { EntityMeta, EntityStore } from './entity-types';
import { dbText, guid, LIMITS, parseActor, parseId, parseInput, parseModifiedDate, validDate } from './field-schemas';
import { listArgs } from './list-options';
import { checkVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { getOrThrow, read } from './store-helpers';

const E = 'IntegrationCertificate';

export interface IntegrationCertificateRecord extends EntityMeta {
  name: string;
  /** Serial number, lower-case hex. */
  serial: string;
  identity: string;
  revoked: boolean;
  /** Set exactly when revoked. */
  revokedAt: Date | null;
}

const serial = z
  .string()
  .regex(/^[0-9a-fA-F]{1,64}$/, 'must be hex, at most 64 digits')
  .transform((s) => s.toLowerCase());

const fields = {
  name: dbText(LIMITS.name, 1),
  identity: dbText(LIMITS.shortText, 1),
  revoked: z.boolean(),
  revokedAt: validDate.nullable(),
};
const createSchema = z.strictObject({ ...fields, serial, id: guid.optional() }).partial().required({ name: true, serial: true, identity: true });
// The serial identifies the certificate: it is not editable.
const patchSchema = z.strictObject(fields).partial();

export type IntegrationCertificateInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'name' | 'serial' | 'identity'>;

export interface IntegrationCertificateStore extends EntityStore<IntegrationCertificateRecord, IntegrationCertificateInput> {
  findBySerial(serial: string): Promise<IntegrationCertificateRecord | null>;
  /** Revoked certificates, oldest revocation first (for the CRL). */
  listRevoked(): Promise<IntegrationCertificateRecord[]>;
}

/** revokedAt follows revoked: now when revoking without a time, null while not revoked. */
function revocation(revoked: boolean, revokedAt: Date | null | undefined): { revoked: boolean; revokedAt: Date | null } {
  return revoked ? { revoked, revokedAt: revokedAt ?? new Date() } : { revoked, revokedAt: null };
}

export function createIntegrationCertificateStore(db: DbClient): IntegrationCertificateStore {
  const find = async (id: string) => {
    const key = parseId(id, E);
    return read(E, () => db.integrationCertificate.findUnique({ where: { id: key } }));
  };
  return {
    async create(input, by) {
      const { revoked, revokedAt, ...data } = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      return withDbErrors(E, 'write', () =>
        db.integrationCertificate.create({
          data: { ...data, ...revocation(revoked ?? false, revokedAt), createdDate: now, modifiedDate: now, modifiedByUserName: actor },
        }),
      );
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async findBySerial(value) {
      const key = parseInput(serial, value, E, 'serial');
      return read(E, () => db.integrationCertificate.findUnique({ where: { serial: key } }));
    },

    listRevoked: () =>
      read(E, () => db.integrationCertificate.findMany({ where: { revoked: true }, orderBy: [{ revokedAt: 'asc' }, { id: 'asc' }] })),

    list: (options) => read(E, () => db.integrationCertificate.findMany(listArgs(options, E))),

    count: () => read(E, () => db.integrationCertificate.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const { revoked, revokedAt, ...p } = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          const current = await tx.integrationCertificate.findUnique({ where: { id: key }, select: { modifiedDate: true, revoked: true, revokedAt: true } });
          checkVersion(E, key, current, expected);
          const version = current.modifiedDate;
          // Revocation is final: a revoked certificate may have been used by an attacker (fail closed).
          if (current.revoked && revoked === false) {
            throw new DbError(DbErrorCode.InvalidInput, `${E}.revoked: a revoked certificate cannot be reinstated; issue a new one`, { entity: E, field: 'revoked' });
          }
          const state = current.revoked
            ? { revoked: true, revokedAt: current.revokedAt }
            : revocation(revoked ?? false, revokedAt);
          const { count } = await tx.integrationCertificate.updateMany({
            where: { id: key, modifiedDate: version },
            data: { ...p, ...state, modifiedDate: nextModifiedDate(version), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          return tx.integrationCertificate.findUniqueOrThrow({ where: { id: key } });
        }, TX_OPTIONS),
      );
    },

    /**
     * Refused for every certificate: a certificate signed by the site CA stays valid until it expires,
     * so forgetting its record would drop it out of the revocation list (or out of view). Revoke it.
     */
    async delete(id) {
      const key = parseId(id, E);
      await getOrThrow(E, key, find);
      throw new DbError(DbErrorCode.InvalidInput, `${E}: certificates are revoked, never deleted`, { entity: E, field: 'id' });
    },
  };
}
