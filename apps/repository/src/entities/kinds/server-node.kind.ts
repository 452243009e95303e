import { z } from 'zod';
import type { ServerNodeInput, ServerNodeRecord } from '../../db';
import { plainSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, modifiedDate, NAME, readOnly } from '../body-fields';
import type { EntityKind } from '../entity-kind';
import { metaJson } from '../qrs-json';

const fields = {
  ...COMMON_READ_ONLY,
  name: NAME.optional(),
  hostName: z.string().max(253).optional(),
  isCentral: z.boolean().optional(),
  engineEnabled: z.boolean().optional(),
  proxyEnabled: z.boolean().optional(),
  repositoryEnabled: z.boolean().optional(),
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

function input(b: z.output<typeof createBody>): Partial<ServerNodeInput> {
  const out: Partial<ServerNodeInput> = {};
  for (const k of ['name', 'hostName', 'isCentral', 'engineEnabled', 'proxyEnabled', 'repositoryEnabled'] as const) if (b[k] !== undefined) Object.assign(out, { [k]: b[k] });
  return out;
}

export const serverNodeKind: EntityKind<ServerNodeRecord> = {
  type: 'servernodeconfiguration',
  resourceType: 'ServerNodeConfiguration',
  needs: ['ServerNodeConfiguration'],
  condensed: ['id', 'name', 'hostName'],
  snapshot: (_cache, r) => plainSnapshot('ServerNodeConfiguration', r.id, r.name),
  json: (_cache, r) => ({ ...metaJson(r), name: r.name, hostName: r.hostName, isCentral: r.isCentral, engineEnabled: r.engineEnabled, proxyEnabled: r.proxyEnabled, repositoryEnabled: r.repositoryEnabled }),

  planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    const data: ServerNodeInput & { id: string } = { ...input(b), id: newId, name: b.name ?? '', hostName: b.hostName ?? '' };
    return { wouldBe: plainSnapshot('ServerNodeConfiguration', newId, data.name), checks: [], commit: (by) => w.stores.serverNodes.create(data, by) };
  },

  planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    return { wouldBe: plainSnapshot('ServerNodeConfiguration', current.id, current.name), checks: [], commit: (by) => w.stores.serverNodes.update(current.id, b.modifiedDate, input(b), by) };
  },

  remove: (stores, id) => stores.serverNodes.delete(id),
  // Virtual proxies list their nodes (links cascade) and apps name their engine node (set null).
  cascades: ['VirtualProxyConfig', 'App'],
  copiedBy: ['VirtualProxyConfig', 'App'],
};
