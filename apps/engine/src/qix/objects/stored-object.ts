import { randomUUID } from 'node:crypto';
import { MAX_SELECT_VALUES } from '@trustzone/data-model';
import { z } from 'zod';
import { invalid, isRecord } from '../method-args';
import type { AppObjectRef } from './object-access';

/*
 * A persisted generic object as the app file holds it (document section 4, encrypted with the app):
 * the properties a client set, plus what the rules decide on — owner, published, approved, and
 * whether it is a base object (created while the app was unpublished; Qlik's publish makes those
 * published and approved). Bookmarks carry the selections they stored, as values (text or number),
 * so applying one re-selects inside the applying user's reduced view.
 */

export const OBJECT_LIMITS = Object.freeze({ perApp: 5000, idChars: 256, typeChars: 256, childDepth: 32, bookmarkFields: 1000 });

const VALUE = z.union([z.object({ text: z.string().max(100_000) }).strict(), z.object({ number: z.number() }).strict()]);
export const BOOKMARK_FIELD = z.object({ field: z.string().min(1).max(1000), values: z.array(VALUE).max(MAX_SELECT_VALUES) }).strict();
export type BookmarkField = z.infer<typeof BOOKMARK_FIELD>;

const STORED = z.object({
  id: z.string().min(1).max(OBJECT_LIMITS.idChars),
  type: z.string().max(OBJECT_LIMITS.typeChars),
  ownerId: z.string().max(1024),
  published: z.boolean(),
  approved: z.boolean(),
  base: z.boolean(),
  parentId: z.string().min(1).max(OBJECT_LIMITS.idChars).optional(),
  createdDate: z.string().max(64),
  modifiedDate: z.string().max(64),
  properties: z.record(z.string(), z.unknown()),
  selections: z.array(BOOKMARK_FIELD).max(OBJECT_LIMITS.bookmarkFields).optional(),
});

export type StoredObject = z.infer<typeof STORED>;

/** A stored entry, re-checked (the file is outside the session); a malformed one is dropped, never half-used. */
export function readStored(raw: Record<string, unknown>): StoredObject | null {
  const parsed = STORED.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** The object as the rules see it: a base object of a published app is published and approved. */
export function refOf(o: StoredObject, appPublished: boolean): AppObjectRef {
  return {
    id: o.id,
    type: o.type,
    ownerId: o.ownerId,
    published: o.published || (o.base && appPublished),
    approved: o.approved || (o.base && appPublished),
    ...(o.parentId === undefined ? {} : { parentId: o.parentId }),
  };
}

function text(value: unknown, path: string, max: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || value.length > max) throw invalid(path, `${path} must be a string of at most ${max} characters`);
  return value;
}

/**
 * Client properties for a persisted object: bounded, qInfo read (the id kept, given, or made), the
 * type required (Qlik's persisted objects always have one). The type names reserved for master
 * items, bookmarks and app properties are refused here: those have their own methods.
 */
export function readObjectProperties(raw: unknown, maxChars: number, opts: { fixedId?: string; fixedType?: string; reservedTypes?: ReadonlySet<string> } = {}): { id: string; type: string; properties: Record<string, unknown> } {
  if (!isRecord(raw)) throw invalid('qProp', 'qProp must be an object');
  if (JSON.stringify(raw).length > maxChars) throw invalid('qProp', `properties larger than ${maxChars} characters`);
  const info = raw['qInfo'] === undefined || raw['qInfo'] === null ? {} : raw['qInfo'];
  if (!isRecord(info)) throw invalid('qProp.qInfo', 'qInfo must be an object');
  const id = opts.fixedId ?? text(info['qId'], 'qProp.qInfo.qId', OBJECT_LIMITS.idChars) ?? randomUUID();
  const given = text(info['qType'], 'qProp.qInfo.qType', OBJECT_LIMITS.typeChars);
  const type = opts.fixedType ?? given;
  if (type === undefined) throw invalid('qProp.qInfo.qType', 'a persisted object needs a qInfo.qType');
  if (opts.fixedType !== undefined && given !== undefined && given !== opts.fixedType) throw invalid('qProp.qInfo.qType', `the type stays ${opts.fixedType}`);
  if (opts.fixedType === undefined && opts.reservedTypes?.has(type)) throw invalid('qProp.qInfo.qType', `objects of type ${type} are made by their own methods`);
  const metaDef = raw['qMetaDef'];
  if (metaDef !== undefined && !isRecord(metaDef)) throw invalid('qProp.qMetaDef', 'qMetaDef must be an object');
  return { id, type, properties: { ...raw, qInfo: { ...info, qId: id, qType: type } } };
}

export function newStored(fields: { id: string; type: string; ownerId: string; base: boolean; parentId?: string; properties: Record<string, unknown>; selections?: BookmarkField[] }): StoredObject {
  const now = new Date().toISOString();
  return {
    id: fields.id,
    type: fields.type,
    ownerId: fields.ownerId,
    published: false,
    approved: false,
    base: fields.base,
    ...(fields.parentId === undefined ? {} : { parentId: fields.parentId }),
    createdDate: now,
    modifiedDate: now,
    properties: fields.properties,
    ...(fields.selections === undefined ? {} : { selections: fields.selections }),
  };
}

/** The app's stored objects at one moment (malformed entries dropped, first of a duplicate id kept). */
export class ObjectBook {
  private readonly byId = new Map<string, StoredObject>();

  constructor(stored: readonly Record<string, unknown>[]) {
    for (const raw of stored) {
      const o = readStored(raw);
      if (o !== null && !this.byId.has(o.id)) this.byId.set(o.id, o);
    }
  }

  get(id: string): StoredObject | undefined {
    return this.byId.get(id);
  }

  all(): StoredObject[] {
    return [...this.byId.values()];
  }

  childrenOf(id: string): StoredObject[] {
    return this.all().filter((o) => o.parentId === id);
  }

  /** The object and its descendants (depth-bounded), children after their parent. */
  subtree(id: string): StoredObject[] {
    const out: StoredObject[] = [];
    const walk = (at: string, depth: number) => {
      const o = this.byId.get(at);
      if (o === undefined || depth > OBJECT_LIMITS.childDepth || out.includes(o)) return;
      out.push(o);
      for (const c of this.childrenOf(at)) walk(c.id, depth + 1);
    };
    walk(id, 0);
    return out;
  }
}
