import { z } from 'zod';
import { type DbClient, type Prisma, TX_OPTIONS } from './db-client';
import type { EntityStore } from './entity-types';
import { boundedList, guid, parseActor, parseId, parseInput, parseModifiedDate } from './field-schemas';
import { parseJsonText, parseStored, toJsonText } from './json-text';
import { listArgs } from './list-options';
import { checkVersion, nextModifiedDate, requireUpdated } from './optimistic-update';
import { withDbErrors } from './prisma-error-mapper';
import { deleteById, getOrThrow, read } from './store-helpers';
import type { SecretBox } from '../secrets/secret-box';
import { vpFields, type VirtualProxyRecord, whiteList, attributeMap, trustedSources } from './virtual-proxy-fields';

export type { VirtualProxyRecord } from './virtual-proxy-fields';

const E = 'VirtualProxyConfig';

const fields = { ...vpFields, loadBalancingServerNodeIds: boundedList(guid, 100) };
const createSchema = z.strictObject({ ...fields, id: guid.optional() }).partial().required({ prefix: true });
const patchSchema = z.strictObject(fields).partial();

export type VirtualProxyInput = z.input<typeof patchSchema> & Pick<z.input<typeof createSchema>, 'prefix'>;

export interface VirtualProxyStore extends EntityStore<VirtualProxyRecord, VirtualProxyInput> {
  /** The virtual proxy for a prefix ("" = the default one), or null. */
  findByPrefix(prefix: string): Promise<VirtualProxyRecord | null>;
}

const include = {
  loadBalancingServerNodes: { select: { serverNode: { select: { id: true, name: true, hostName: true } } } },
} satisfies Prisma.VirtualProxyConfigInclude;
type Row = Prisma.VirtualProxyConfigGetPayload<{ include: typeof include }>;

const SECRET_CONTEXT = 'VirtualProxyConfig.oidcClientSecret';

/**
 * The client secret is sealed on the way in and opened on the way out. Without a secrets key (a
 * store made for tests or tools) a secret cannot be stored at all; one that does not open (another
 * site's key, a tampered value) reads as "" — OIDC logins on that virtual proxy then fail closed.
 */
function sealSecret(secrets: SecretBox | undefined, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return value;
  if (!secrets) throw new Error('this repository has no secrets key: an OIDC client secret cannot be stored');
  return secrets.seal(value, SECRET_CONTEXT);
}
const openSecret = (secrets: SecretBox | undefined, sealed: string) => (sealed === '' || !secrets ? '' : (secrets.open(sealed, SECRET_CONTEXT) ?? ''));

/** Closed sets are re-checked on read: proxies act on these values, so a tampered row must not pass. */
function recordOf(row: Row, secrets?: SecretBox): VirtualProxyRecord {
  const { loadBalancingServerNodes, ...rest } = row;
  return {
    ...rest,
    authenticationMethod: parseStored(vpFields.authenticationMethod, row.authenticationMethod, E, 'authenticationMethod'),
    anonymousAccessMode: parseStored(vpFields.anonymousAccessMode, row.anonymousAccessMode, E, 'anonymousAccessMode'),
    sameSite: parseStored(vpFields.sameSite, row.sameSite, E, 'sameSite'),
    sessionLimitPolicy: parseStored(vpFields.sessionLimitPolicy, row.sessionLimitPolicy, E, 'sessionLimitPolicy'),
    headerAuthenticationHeaderName: parseStored(vpFields.headerAuthenticationHeaderName, row.headerAuthenticationHeaderName, E, 'headerAuthenticationHeaderName'),
    websocketCrossOriginWhiteList: parseJsonText(whiteList, row.websocketCrossOriginWhiteList, E, 'websocketCrossOriginWhiteList'),
    headerAuthenticationTrustedSources: parseJsonText(trustedSources, row.headerAuthenticationTrustedSources, E, 'headerAuthenticationTrustedSources'),
    jwtAttributeMap: parseJsonText(attributeMap, row.jwtAttributeMap, E, 'jwtAttributeMap'),
    oidcAttributeMap: parseJsonText(attributeMap, row.oidcAttributeMap, E, 'oidcAttributeMap'),
    samlAttributeMap: parseJsonText(attributeMap, row.samlAttributeMap, E, 'samlAttributeMap'),
    samlAttributeSigningAlgorithm: parseStored(vpFields.samlAttributeSigningAlgorithm, row.samlAttributeSigningAlgorithm, E, 'samlAttributeSigningAlgorithm'),
    oidcClientSecret: openSecret(secrets, row.oidcClientSecret),
    loadBalancingServerNodes: loadBalancingServerNodes.map((l) => l.serverNode).sort((a, b) => (a.hostName < b.hostName ? -1 : a.hostName > b.hostName ? 1 : 0)),
  };
}

type Patch = z.output<typeof patchSchema>;
function columns({ loadBalancingServerNodeIds: _ids, websocketCrossOriginWhiteList, headerAuthenticationTrustedSources, jwtAttributeMap, oidcAttributeMap, samlAttributeMap, oidcClientSecret, ...scalars }: Patch, secrets: SecretBox | undefined) {
  return {
    ...scalars,
    samlAttributeMap: samlAttributeMap && toJsonText(samlAttributeMap),
    oidcClientSecret: sealSecret(secrets, oidcClientSecret),
    oidcAttributeMap: oidcAttributeMap && toJsonText(oidcAttributeMap),
    websocketCrossOriginWhiteList: websocketCrossOriginWhiteList && toJsonText(websocketCrossOriginWhiteList),
    headerAuthenticationTrustedSources: headerAuthenticationTrustedSources && toJsonText(headerAuthenticationTrustedSources),
    jwtAttributeMap: jwtAttributeMap && toJsonText(jwtAttributeMap),
  };
}

export function createVirtualProxyStore(db: DbClient, secrets?: SecretBox): VirtualProxyStore {
  const toRecord = (row: Row) => recordOf(row, secrets);
  const find = async (id: string) => {
    const key = parseId(id, E);
    const row = await read(E, () => db.virtualProxyConfig.findUnique({ where: { id: key }, include }));
    return row ? toRecord(row) : null;
  };
  return {
    async create(input, by) {
      const { id, ...data } = parseInput(createSchema, input, E);
      const actor = parseActor(by, E);
      const now = new Date();
      const nodeIds = [...new Set(data.loadBalancingServerNodeIds ?? [])];
      const row = await withDbErrors(E, 'write', () =>
        db.virtualProxyConfig.create({
          data: {
            ...columns(data, secrets),
            id,
            prefix: data.prefix,
            createdDate: now,
            modifiedDate: now,
            modifiedByUserName: actor,
            loadBalancingServerNodes: { create: nodeIds.map((serverNodeId) => ({ serverNodeId })) },
          },
          include,
        }),
      );
      return toRecord(row);
    },

    get: (id) => getOrThrow(E, id, find),
    find,

    async findByPrefix(prefix) {
      const key = parseInput(vpFields.prefix, prefix, E, 'prefix');
      const row = await read(E, () => db.virtualProxyConfig.findUnique({ where: { prefix: key }, include }));
      return row ? toRecord(row) : null;
    },

    async list(options) {
      const rows = await read(E, () => db.virtualProxyConfig.findMany({ ...listArgs(options, E), include }));
      return rows.map((r) => toRecord(r));
    },

    count: () => read(E, () => db.virtualProxyConfig.count()),

    async update(id, modifiedDate, patch, by) {
      const key = parseId(id, E);
      const expected = parseModifiedDate(modifiedDate, E);
      const p = parseInput(patchSchema, patch, E);
      const actor = parseActor(by, E);
      return withDbErrors(E, 'write', () =>
        db.$transaction(async (tx) => {
          checkVersion(E, key, await tx.virtualProxyConfig.findUnique({ where: { id: key }, select: { modifiedDate: true } }), expected);
          const { count } = await tx.virtualProxyConfig.updateMany({
            where: { id: key, modifiedDate: expected },
            data: { ...columns(p, secrets), modifiedDate: nextModifiedDate(expected), modifiedByUserName: actor },
          });
          requireUpdated(E, count);
          if (p.loadBalancingServerNodeIds) {
            await tx.virtualProxyServerNode.deleteMany({ where: { virtualProxyId: key } });
            await tx.virtualProxyServerNode.createMany({ data: [...new Set(p.loadBalancingServerNodeIds)].map((serverNodeId) => ({ virtualProxyId: key, serverNodeId })) });
          }
          return toRecord(await tx.virtualProxyConfig.findUniqueOrThrow({ where: { id: key }, include }));
        }, TX_OPTIONS),
      );
    },

    async delete(id) {
      const key = parseId(id, E);
      await deleteById(E, key, () => db.virtualProxyConfig.deleteMany({ where: { id: key } }));
    },
  };
}
