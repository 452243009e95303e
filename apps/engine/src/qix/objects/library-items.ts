import type { DocContext } from '../doc-context';
import { isRecord } from '../method-args';
import { QixError, QixErrorCode } from '../qix.error';
import type { SessionCore } from '../method-table';
import { refOf } from './stored-object';

/*
 * Master items used by qLibraryId in a hypercube or list object: the reference is replaced by the
 * master's definition before the definition is read, and computed like any other on the user's own
 * view. Only master items this user may read resolve (the set is asked of the ObjectAccess when the
 * app's objects change, and at most every few seconds); any other id fails like a missing one.
 */

const RECHECK_MS = 5000;

/** Before a call: the master items this user may read, if the stored objects changed or the answer aged. */
export async function syncLibrary(core: SessionCore): Promise<void> {
  const doc = core.doc;
  const { objects, objectAccess, user } = core.deps;
  if (doc === null || objects === undefined || objectAccess === undefined) return;
  if (doc.library !== null && doc.library.book === doc.objects && Date.now() - doc.library.at < RECHECK_MS) return;
  const book = doc.objects;
  const masters = book.all().filter((o) => o.type === 'dimension' || o.type === 'measure');
  if (masters.length === 0) {
    doc.library = { book, at: Date.now(), readable: new Set() };
    return;
  }
  const published = await objects.appPublished(doc.app.appId);
  const readable = await objectAccess.filterReadable({ userId: `${user.userDirectory}\\${user.userId}`, appId: doc.app.appId }, masters.map((o) => refOf(o, published)));
  if (core.doc === doc) doc.library = { book, at: Date.now(), readable: new Set(readable.map((r) => r.id)) };
}

function master(doc: DocContext, id: unknown, type: 'dimension' | 'measure', path: string): Record<string, unknown> {
  const obj = typeof id === 'string' ? doc.objects.get(id) : undefined;
  if (obj === undefined || obj.type !== type || doc.library === null || !doc.library.readable.has(obj.id)) throw new QixError(QixErrorCode.NOT_FOUND, 'Library item not found', { parameter: `${path}.qLibraryId` });
  return obj.properties;
}

const hasRef = (x: unknown): x is Record<string, unknown> => isRecord(x) && typeof x['qLibraryId'] === 'string' && x['qLibraryId'] !== '';

function dimensionDef(doc: DocContext, item: Record<string, unknown>, path: string): Record<string, unknown> {
  const { qLibraryId: id, ...rest } = item;
  const dim = master(doc, id, 'dimension', path)['qDim'] as { qFieldDefs?: unknown; qFieldLabels?: unknown };
  const def = isRecord(rest['qDef']) ? rest['qDef'] : {};
  return { ...rest, qDef: { ...def, qFieldDefs: dim.qFieldDefs, qFieldLabels: dim.qFieldLabels ?? [] } };
}

/** The properties with every qLibraryId replaced by its master's definition (the input is not changed). */
export function withLibraryItems(doc: DocContext, props: Record<string, unknown>): Record<string, unknown> {
  const cube = props['qHyperCubeDef'];
  const list = props['qListObjectDef'];
  const cubeRefs = isRecord(cube) && [cube['qDimensions'], cube['qMeasures']].some((xs) => Array.isArray(xs) && xs.some(hasRef));
  if (!cubeRefs && !hasRef(list)) return props;
  const out = { ...props };
  if (cubeRefs && isRecord(cube)) {
    const dims = Array.isArray(cube['qDimensions']) ? cube['qDimensions'] : [];
    const measures = Array.isArray(cube['qMeasures']) ? cube['qMeasures'] : [];
    out['qHyperCubeDef'] = {
      ...cube,
      qDimensions: dims.map((d, i) => (hasRef(d) ? dimensionDef(doc, d, `qHyperCubeDef.qDimensions[${i}]`) : d)),
      qMeasures: measures.map((m, i) => {
        if (!hasRef(m)) return m;
        const { qLibraryId: id, ...rest } = m;
        const measure = master(doc, id, 'measure', `qHyperCubeDef.qMeasures[${i}]`)['qMeasure'] as { qDef?: unknown; qLabel?: unknown };
        const def = isRecord(rest['qDef']) ? rest['qDef'] : {};
        const label = typeof def['qLabel'] === 'string' && def['qLabel'] !== '' ? def['qLabel'] : measure.qLabel;
        return { ...rest, qDef: { ...def, qDef: measure.qDef, ...(typeof label === 'string' ? { qLabel: label } : {}) } };
      }),
    };
  }
  if (hasRef(list)) out['qListObjectDef'] = dimensionDef(doc, list, 'qListObjectDef');
  return out;
}
