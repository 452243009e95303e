import { z } from 'zod';
import { LINKABLE_TYPES, VALUE_TYPES, type CustomPropertyDefinitionInput, type CustomPropertyDefinitionRecord } from '../../db';
import { plainSnapshot } from '../../security/resource-snapshots';
import { parseWith } from '../../rpc/json-body';
import { COMMON_READ_ONLY, LONG, modifiedDate, NAME, readOnly } from '../body-fields';
import type { EntityKind } from '../entity-kind';
import { metaJson } from '../qrs-json';

const fields = {
  ...COMMON_READ_ONLY,
  name: z.string().max(128).optional(),
  description: LONG.optional(),
  valueType: z.enum(VALUE_TYPES).optional(),
  choiceValues: z.array(NAME).max(1000).optional(),
  objectTypes: z.array(z.enum(LINKABLE_TYPES)).max(LINKABLE_TYPES.length * 2).optional(),
};
const createBody = z.strictObject({ ...fields, modifiedDate: readOnly });
const updateBody = z.strictObject({ ...fields, modifiedDate });

/** Custom property definitions: what rules read as `resource.@Name` / `user.@Name`. */
export const customPropertyKind: EntityKind<CustomPropertyDefinitionRecord> = {
  type: 'custompropertydefinition',
  resourceType: 'CustomPropertyDefinition',
  needs: ['CustomPropertyDefinition'],
  condensed: ['id', 'name', 'valueType', 'choiceValues'],

  snapshot: (_cache, r) => plainSnapshot('CustomPropertyDefinition', r.id, r.name),

  json: (_cache, r) => ({ ...metaJson(r), name: r.name, description: r.description, valueType: r.valueType, choiceValues: r.choiceValues, objectTypes: r.objectTypes }),

  planCreate(body, w, newId) {
    const b = parseWith(createBody, body);
    const input: CustomPropertyDefinitionInput & { id: string } = { ...stripMeta(b), id: newId, name: b.name ?? '' };
    return { wouldBe: plainSnapshot('CustomPropertyDefinition', newId, input.name), checks: [], commit: (by) => w.stores.customPropertyDefinitions.create(input, by) };
  },

  planUpdate(body, current, w) {
    const b = parseWith(updateBody, body);
    const patch: Partial<CustomPropertyDefinitionInput> = stripMeta(b);
    return { wouldBe: plainSnapshot('CustomPropertyDefinition', current.id, current.name), checks: [], commit: (by) => w.stores.customPropertyDefinitions.update(current.id, b.modifiedDate, patch, by) };
  },

  remove: (stores, id) => stores.customPropertyDefinitions.delete(id),
  // Values of a deleted definition go with it (ON DELETE CASCADE) on every linkable type.
  cascades: ['App', 'App.Object', 'Stream', 'User', 'DataConnection'],
};

function stripMeta(b: z.output<typeof createBody>): Partial<CustomPropertyDefinitionInput> {
  const out: Partial<CustomPropertyDefinitionInput> = {};
  if (b.name !== undefined) out.name = b.name;
  if (b.description !== undefined) out.description = b.description;
  if (b.valueType !== undefined) out.valueType = b.valueType;
  if (b.choiceValues !== undefined) out.choiceValues = b.choiceValues;
  if (b.objectTypes !== undefined) out.objectTypes = b.objectTypes;
  return out;
}
