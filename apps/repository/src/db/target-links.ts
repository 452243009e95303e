import { z } from 'zod';
import type { DbExecutor, DbTx } from './db-client';
import { DbError, DbErrorCode } from './db.error';
import type { CustomPropertyValue, CustomPropertyValueInput, LinkableType, NamedRef } from './entity-types';
import { boundedList, dbText, guid, LIMITS } from './field-schemas';
import { parseJsonText } from './json-text';

/** Custom property values and tags as accepted on create/update of a linkable entity. */
export const linkInputShape = {
  customProperties: boundedList(z.strictObject({ definitionId: guid, value: dbText(LIMITS.name) })).optional(),
  tagIds: boundedList(guid).optional(),
};

/** The one foreign key column a value/link row sets for a target (the others stay NULL). */
type TargetKey = { userRef?: string; appId?: string; streamId?: string; appObjectId?: string; dataConnectionId?: string };

export function targetKey(type: LinkableType, id: string): TargetKey {
  switch (type) {
    case 'User': return { userRef: id };
    case 'App': return { appId: id };
    case 'App.Object': return { appObjectId: id };
    case 'Stream': return { streamId: id };
    case 'DataConnection': return { dataConnectionId: id };
  }
}

const stringList = z.array(z.string());

function dedupeValues(values: readonly CustomPropertyValueInput[]): CustomPropertyValueInput[] {
  const seen = new Map<string, CustomPropertyValueInput>();
  for (const v of values) seen.set(JSON.stringify([v.definitionId, v.value]), v);
  return [...seen.values()];
}

/**
 * Checks values against their definitions (exists, applies to this resource type, value among the
 * choices when there are choices, numeric for Number) and that every tag exists. Returns the values
 * and tag ids without duplicates.
 */
export async function validateLinks(
  tx: DbExecutor,
  type: LinkableType,
  values: readonly CustomPropertyValueInput[] | undefined,
  tagIds: readonly string[] | undefined,
): Promise<{ values: CustomPropertyValueInput[] | undefined; tagIds: string[] | undefined }> {
  const uniqueValues = values && dedupeValues(values);
  if (uniqueValues && uniqueValues.length > 0) {
    const ids = [...new Set(uniqueValues.map((v) => v.definitionId))];
    const defs = await tx.customPropertyDefinition.findMany({ where: { id: { in: ids } } });
    const byId = new Map(defs.map((d) => [d.id, d]));
    for (const v of uniqueValues) {
      const def = byId.get(v.definitionId);
      const invalid = (why: string) => new DbError(DbErrorCode.InvalidInput, `${type}.customProperties: ${why}`, { entity: type, field: 'customProperties' });
      if (!def) throw invalid(`unknown custom property definition ${v.definitionId}`);
      const objectTypes = parseJsonText(stringList, def.objectTypes, 'CustomPropertyDefinition', 'objectTypes');
      if (!objectTypes.includes(type)) throw invalid(`custom property ${def.name} does not apply to ${type}`);
      const choices = parseJsonText(stringList, def.choiceValues, 'CustomPropertyDefinition', 'choiceValues');
      if (choices.length > 0 && !choices.includes(v.value)) throw invalid(`"${v.value}" is not a choice of ${def.name}`);
      if (def.valueType === 'Number' && !Number.isFinite(Number(v.value))) throw invalid(`${def.name} takes numbers`);
    }
  }
  const uniqueTags = tagIds && [...new Set(tagIds)];
  if (uniqueTags && uniqueTags.length > 0) {
    const found = await tx.tag.count({ where: { id: { in: uniqueTags } } });
    if (found !== uniqueTags.length) {
      throw new DbError(DbErrorCode.InvalidInput, `${type}.tagIds: unknown tag`, { entity: type, field: 'tagIds' });
    }
  }
  return { values: uniqueValues, tagIds: uniqueTags };
}

/** Nested-create input for a new entity's values and tags. */
export function linkCreates(links: { values: CustomPropertyValueInput[] | undefined; tagIds: string[] | undefined }) {
  return {
    customPropertyValues: { create: (links.values ?? []).map((v) => ({ definitionId: v.definitionId, value: v.value })) },
    tagLinks: { create: (links.tagIds ?? []).map((tagId) => ({ tagId })) },
  };
}

/** Replaces the lists that the patch carries (undefined = keep). Runs inside the update's transaction. */
export async function replaceLinks(
  tx: DbTx,
  type: LinkableType,
  id: string,
  links: { values: CustomPropertyValueInput[] | undefined; tagIds: string[] | undefined },
): Promise<void> {
  const key = targetKey(type, id);
  if (links.values) {
    await tx.customPropertyValue.deleteMany({ where: key });
    await tx.customPropertyValue.createMany({ data: links.values.map((v) => ({ ...key, definitionId: v.definitionId, value: v.value })) });
  }
  if (links.tagIds) {
    await tx.tagLink.deleteMany({ where: key });
    await tx.tagLink.createMany({ data: links.tagIds.map((tagId) => ({ ...key, tagId })) });
  }
}

/** What stores include to read values and tags back. */
export const linkInclude = {
  customPropertyValues: { select: { definitionId: true, value: true, definition: { select: { name: true } } } },
  tagLinks: { select: { tag: { select: { id: true, name: true } } } },
} as const;

interface LinkRows {
  customPropertyValues: { definitionId: string; value: string; definition: { name: string } }[];
  tagLinks: { tag: { id: string; name: string } }[];
}

/** Code-unit order, not the database's collation, so both providers return the same order. */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function mapLinks(row: LinkRows): { customProperties: CustomPropertyValue[]; tags: NamedRef[] } {
  return {
    customProperties: row.customPropertyValues
      .map((v) => ({ definitionId: v.definitionId, name: v.definition.name, value: v.value }))
      .sort((a, b) => byText(a.name, b.name) || byText(a.value, b.value)),
    tags: row.tagLinks.map((l) => ({ id: l.tag.id, name: l.tag.name })).sort((a, b) => byText(a.name, b.name) || byText(a.id, b.id)),
  };
}
