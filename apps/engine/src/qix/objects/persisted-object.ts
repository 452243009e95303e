import type { DocContext } from '../doc-context';
import type { CallContext } from '../method-table';
import { QixError, QixErrorCode } from '../qix.error';
import { readSessionObject, type SessionObject } from '../session-object';

/*
 * The SessionObject a persisted object's handle computes with: built from the stored properties as
 * the app file holds them now (or this session's soft patches of them), against this session's
 * view — so a hypercube in a sheet made by an unreduced owner computes on the reader's reduced
 * data, and a field the reader's view omits fails like a missing one.
 */

// Keyed by the properties; valid while the app's objects (master items among them) are the same.
const built = new WeakMap<object, { book: unknown; library: unknown; obj: SessionObject }>();

export function buildPersisted(doc: DocContext, id: string, properties: Record<string, unknown>, maxChars: number): SessionObject {
  const hit = built.get(properties);
  if (hit !== undefined && hit.book === doc.objects && hit.library === doc.library) return hit.obj;
  // Stored properties were bounded when written; the soft ones by ApplyPatches.
  const obj = readSessionObject(doc, properties, Math.max(maxChars, JSON.stringify(properties).length), id);
  built.set(properties, { book: doc.objects, library: doc.library, obj });
  return obj;
}

/** The object a GenericObject handle stands for now. */
export function currentObject(ctx: CallContext, doc: DocContext): SessionObject {
  const entry = ctx.entry;
  if (entry.type !== 'GenericObject') throw new QixError(QixErrorCode.INVALID_HANDLE, 'Invalid handle');
  if (entry.persistedId === undefined) return entry.object;
  const stored = doc.objects.get(entry.persistedId);
  if (stored === undefined) throw new QixError(QixErrorCode.NOT_FOUND, 'Object not found', { parameter: 'handle' });
  const obj = buildPersisted(doc, stored.id, entry.soft ?? stored.properties, ctx.core.limits.maxPropertiesChars);
  entry.object = obj;
  return obj;
}
