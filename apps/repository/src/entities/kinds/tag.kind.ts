import { z } from 'zod';
import type { TagRecord } from '../../db';
import { plainSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, modifiedDate, readOnly, refuseChange, SHORT } from '../body-fields';
import type { EntityKind } from '../entity-kind';
import { metaJson } from '../qrs-json';

const createBody = z.strictObject({ ...COMMON_READ_ONLY, name: SHORT.optional(), modifiedDate: readOnly });
const updateBody = z.strictObject({ ...COMMON_READ_ONLY, name: SHORT.optional(), modifiedDate });

export const tagKind: EntityKind<TagRecord> = {
  type: 'tag',
  resourceType: 'Tag',
  needs: ['Tag'],
  condensed: ['id', 'name'],
  snapshot: (_cache, r) => plainSnapshot('Tag', r.id, r.name),
  json: (_cache, r) => ({ ...metaJson(r), name: r.name }),

  planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    if (b.name === undefined) refuseChange('name', 'is required');
    const name = b.name;
    return { wouldBe: plainSnapshot('Tag', newId, name), checks: [], commit: (by) => w.stores.tags.create({ id: newId, name }, by) };
  },

  planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    return { wouldBe: plainSnapshot('Tag', current.id, current.name), checks: [], commit: (by) => w.stores.tags.update(current.id, b.modifiedDate, b.name !== undefined ? { name: b.name } : {}, by) };
  },

  remove: (stores, id) => stores.tags.delete(id),
  // Tag links go with the tag (ON DELETE CASCADE).
  cascades: ['App', 'App.Object', 'Stream', 'User', 'DataConnection'],
};
