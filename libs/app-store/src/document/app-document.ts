import { AppStoreError, AppStoreErrorCode } from '../app-store.error';

/*
 * The app document: what an app file's (encrypted, authenticated) payload holds. The load script
 * lives here, next to the data model, so it is encrypted with the app and never sits in the
 * repository database (it often carries inline section-access tables). All integers big-endian.
 *
 *    0  4  magic "TZDC"
 *    4  2  version = 1
 *    6  2  section count n (each tag at most once)
 *    then n sections: 1 tag | 4 length L | L bytes
 *      tag 1: the encoded data model (libs/data-model; absent for an app never reloaded)
 *      tag 2: the load script, UTF-8 (absent = empty script)
 *      tag 3: the app's variables (QIX CreateVariableEx), UTF-8 JSON array of objects (absent = none);
 *             the engine validates each entry's shape, this layer only bounds and frames it
 *      tag 4: the app's persisted generic objects (sheets, stories, master items, bookmarks, app
 *             properties; QIX CreateObject…), UTF-8 JSON array of objects (absent = none); as for
 *             tag 3 the engine validates each entry, this layer bounds and frames it
 *
 * A payload that does not start with the magic is a file written before the document existed: the
 * whole payload is the data model and the script is empty (the script was in the repository
 * database then; `tz site upgrade` moves it here). An unknown tag or version is refused, never
 * skipped: a newer engine wrote it, and rewriting the file here would silently drop that section.
 */
export const DOCUMENT_MAGIC = Buffer.from('TZDC', 'ascii');
export const DOCUMENT_VERSION = 1;
const TAG_MODEL = 1;
const TAG_SCRIPT = 2;
const TAG_VARIABLES = 3;
const TAG_OBJECTS = 4;
/** Upper bound on the variables section (the engine bounds count and lengths well below it). */
export const MAX_VARIABLES_BYTES = 2 * 1024 * 1024;
/** Upper bound on the objects section (the engine bounds count and property size below it). */
export const MAX_OBJECTS_BYTES = 32 * 1024 * 1024;
/** Upper bound on a load script (the size the repository accepted before the move). */
export const MAX_SCRIPT_BYTES = 4 * 1024 * 1024;

export interface AppDocument {
  /** The encoded data model; null for an app that has a script but was never reloaded. */
  model: Uint8Array | null;
  script: string;
  /** Persisted variables (GenericVariableProperties as QIX clients set them); absent or [] = none. */
  variables?: Record<string, unknown>[];
  /** Persisted generic objects (the engine's stored records, owner and flags included); absent or [] = none. */
  objects?: Record<string, unknown>[];
}

const invalid = (what: string) => new AppStoreError(AppStoreErrorCode.DocumentInvalid, `app document: ${what}`);

export function assertScriptSize(script: string): void {
  const bytes = Buffer.byteLength(script, 'utf8');
  if (bytes > MAX_SCRIPT_BYTES) throw new AppStoreError(AppStoreErrorCode.ScriptTooLarge, `the load script has ${bytes} bytes; at most ${MAX_SCRIPT_BYTES} are allowed`);
}

export function encodeAppDocument(doc: AppDocument): Buffer {
  assertScriptSize(doc.script);
  const sections: Buffer[] = [];
  const section = (tag: number, bytes: Uint8Array) => {
    const head = Buffer.alloc(5);
    head.writeUInt8(tag, 0);
    head.writeUInt32BE(bytes.length, 1);
    sections.push(head, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  };
  if (doc.model !== null) section(TAG_MODEL, doc.model);
  if (doc.script !== '') section(TAG_SCRIPT, Buffer.from(doc.script, 'utf8'));
  if (doc.variables !== undefined && doc.variables.length > 0) {
    const bytes = Buffer.from(JSON.stringify(doc.variables), 'utf8');
    if (bytes.length > MAX_VARIABLES_BYTES) throw invalid(`the variables take ${bytes.length} bytes; at most ${MAX_VARIABLES_BYTES} are allowed`);
    section(TAG_VARIABLES, bytes);
  }
  if (doc.objects !== undefined && doc.objects.length > 0) {
    const bytes = Buffer.from(JSON.stringify(doc.objects), 'utf8');
    if (bytes.length > MAX_OBJECTS_BYTES) throw invalid(`the objects take ${bytes.length} bytes; at most ${MAX_OBJECTS_BYTES} are allowed`);
    section(TAG_OBJECTS, bytes);
  }
  const head = Buffer.alloc(8);
  DOCUMENT_MAGIC.copy(head, 0);
  head.writeUInt16BE(DOCUMENT_VERSION, 4);
  head.writeUInt16BE(sections.length / 2, 6);
  return Buffer.concat([head, ...sections]);
}

export function isAppDocument(payload: Uint8Array): boolean {
  return payload.length >= 4 && Buffer.from(payload.buffer, payload.byteOffset, 4).equals(DOCUMENT_MAGIC);
}

export function decodeAppDocument(payload: Uint8Array): AppDocument {
  const b = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (!isAppDocument(b)) return { model: b, script: '', variables: [], objects: [] };
  if (b.length < 8) throw invalid('truncated header');
  const version = b.readUInt16BE(4);
  if (version !== DOCUMENT_VERSION) throw invalid(`unsupported version ${version}`);
  const count = b.readUInt16BE(6);
  let at = 8;
  let model: Uint8Array | null = null;
  let script = '';
  let variables: Record<string, unknown>[] = [];
  let objects: Record<string, unknown>[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < count; i++) {
    if (at + 5 > b.length) throw invalid('truncated section header');
    const tag = b.readUInt8(at);
    const length = b.readUInt32BE(at + 1);
    at += 5;
    if (at + length > b.length) throw invalid('truncated section');
    if (seen.has(tag)) throw invalid(`section ${tag} appears twice`);
    seen.add(tag);
    const bytes = b.subarray(at, at + length);
    at += length;
    if (tag === TAG_MODEL) model = bytes;
    else if (tag === TAG_SCRIPT) {
      if (length > MAX_SCRIPT_BYTES) throw invalid('script section too large');
      try {
        script = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw invalid('the script is not UTF-8');
      }
    } else if (tag === TAG_VARIABLES) variables = decodeObjectArray(bytes, MAX_VARIABLES_BYTES, 'variables');
    else if (tag === TAG_OBJECTS) objects = decodeObjectArray(bytes, MAX_OBJECTS_BYTES, 'objects');
    else throw invalid(`unknown section ${tag} (written by a newer engine?)`);
  }
  if (at !== b.length) throw invalid('bytes after the last section');
  return { model, script, variables, objects };
}

function decodeObjectArray(bytes: Uint8Array, max: number, what: string): Record<string, unknown>[] {
  if (bytes.length > max) throw invalid(`${what} section too large`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw invalid(`the ${what} section is not UTF-8 JSON`);
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))) throw invalid(`the ${what} section is not an array of objects`);
  return parsed as Record<string, unknown>[];
}
