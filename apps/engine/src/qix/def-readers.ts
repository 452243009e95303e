import { type HyperCubePage, MAX_PAGES_PER_REQUEST } from '@trustzone/data-model';
import { invalid, isRecord } from './method-args';
import { QixError, QixErrorCode } from './qix.error';

/**
 * Small readers shared by the hypercube and list-object definitions. Property objects come from the
 * client, so every read checks its type and fails with INVALID_PARAMETERS naming the property path.
 */

/** `qPages` / `qInitialDataFetch`: [{qTop, qLeft, qHeight, qWidth}], bounded in count. */
export function readPages(value: unknown, path: string): HyperCubePage[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > MAX_PAGES_PER_REQUEST) throw invalid(path, `${path} must be an array of at most ${MAX_PAGES_PER_REQUEST} pages`);
  return value.map((p, i) => {
    if (!isRecord(p)) throw invalid(path, `${path}[${i}] must be a page object`);
    return { top: index(p['qTop'], `${path}[${i}].qTop`), left: index(p['qLeft'], `${path}[${i}].qLeft`), height: index(p['qHeight'], `${path}[${i}].qHeight`), width: index(p['qWidth'], `${path}[${i}].qWidth`) };
  });
}

/** The one field of a qFieldDefs (`FIELD` or `[FIELD]`); groups are not supported, nor `=expr` here (hypercube dimensions read those first). */
export function readFieldDef(def: Record<string, unknown>, path: string): string {
  const defs = def['qFieldDefs'];
  if (!Array.isArray(defs) || defs.length !== 1 || typeof defs[0] !== 'string' || defs[0].length === 0) {
    throw invalid(`${path}.qFieldDefs`, `${path}.qFieldDefs must hold exactly one field name`);
  }
  const name = defs[0].trim();
  if (name.startsWith('=')) throw new QixError(QixErrorCode.CALC_INVALID_DEF, 'calculated fields are only supported as hypercube dimensions', { parameter: `${path}.qFieldDefs` });
  return name.length > 2 && name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
}

/** First label of qFieldLabels, if any. */
export function readFieldLabel(def: Record<string, unknown>): string | undefined {
  const labels = def['qFieldLabels'];
  return Array.isArray(labels) && typeof labels[0] === 'string' && labels[0] !== '' ? labels[0] : undefined;
}

/** Master items (qLibraryId) do not exist in our apps: a reference to one is "not found". */
export function refuseLibraryId(item: Record<string, unknown>, path: string): void {
  const id = item['qLibraryId'];
  if (typeof id === 'string' && id !== '') throw new QixError(QixErrorCode.NOT_FOUND, 'Library item not found', { parameter: `${path}.qLibraryId` });
}

/** Only the default state exists ('' or '$'). */
export function checkStateName(value: unknown, path: string): void {
  if (value === undefined || value === null || value === '' || value === '$') return;
  throw new QixError(QixErrorCode.NOT_FOUND, 'State not found', { parameter: path });
}

export function optionalRecord(value: unknown, path: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw invalid(path, `${path} must be an object`);
  return value;
}

export function readArray(value: unknown, path: string, max: number): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.length > max) throw invalid(path, `${path} must be an array of at most ${max} items`);
  return value;
}

function index(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(path, `${path} must be a non-negative integer`);
  return value;
}
