import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppStoreError, AppStoreErrorCode, appFileName, decodeAppDocument, encodeAppDocument, type AppDocument, type AppStore, type SaveResult } from '@trustzone/app-store';
import { buildDataModel, decodeDataModel, encodeDataModel, type DataModel } from '@trustzone/data-model';

interface Cached {
  model: DataModel;
  variables: Record<string, unknown>[];
  objects: Record<string, unknown>[];
  /** mtime+size+inode of the file the model came from: another engine's reload changes it. */
  stamp: string;
  /** SHA-256 of the data section the model was decoded from ('none' without one). */
  dataDigest: string;
}

/** A stamp no file has: the entry is read again at the next call, its model kept if the data did not change. */
const STALE = 'stale';

const digestOf = (model: Uint8Array | null): string => (model === null ? 'none' : createHash('sha256').update(model).digest('hex'));

/** What an app never reloaded shows a client that may open it: no tables, no fields. */
function emptyModel(): DataModel {
  return buildDataModel({ tables: [], sectionAccess: null, variables: {} });
}

/** A changed or forged file holds nothing to keep: a new script or a reload replaces it (as a save always did). */
const REPLACE_UNREADABLE = { replaceUnreadable: true } as const;

const notFound = (e: unknown) => e instanceof AppStoreError && e.code === AppStoreErrorCode.NotFound;

/**
 * Decoded apps kept in memory (least recently used dropped beyond `maxOpen`). Every open re-stats
 * the file, so an app reloaded by another engine of the site (shared app volume) is decoded afresh,
 * and a file that fails its checks is refused whole — never served from a stale or partial copy.
 * A changed file whose data section is unchanged (an object, variable or script write, here or on
 * another engine) keeps the decoded model: only its objects and variables are read again.
 *
 * The file's payload is an app document (libs/app-store `app-document.ts`): the data model and the
 * load script, the variables and the generic objects, encrypted together. Saving one never loses the other: both go through the store's
 * locked read-modify-write.
 */
export class AppLibrary {
  private readonly cache = new Map<string, Cached>();
  /**
   * Reads of the cache in flight, by app: calls that arrive while one is running share its stat
   * (and its decode when the file changed) instead of each statting the file — with a hundred
   * sessions on an app, a stat per call cost the engine a quarter of its time. A caller only joins
   * a read begun after the last write this engine made to the app (`stale` drops the flight), so a
   * session always reads its own writes; another engine's write is seen by the next read begun after
   * it reached the shared volume (it was never ordered more tightly than a stat anyway).
   */
  private readonly inFlight = new Map<string, Promise<Cached>>();

  constructor(
    private readonly store: AppStore,
    private readonly maxOpen: number,
  ) {}

  private async stampOf(appId: string): Promise<string> {
    const s = await stat(join(this.store.appsDir, appFileName(appId)));
    return `${s.mtimeMs}:${s.size}:${s.ino}`;
  }

  /** The app's data model; an app with a script but no data yet opens empty. NotFound without a file. */
  async open(appId: string): Promise<DataModel> {
    return (await this.cached(appId)).model;
  }

  private cached(appId: string): Promise<Cached> {
    const flying = this.inFlight.get(appId);
    if (flying !== undefined) return flying;
    const read = this.read(appId);
    this.inFlight.set(appId, read);
    const land = () => {
      if (this.inFlight.get(appId) === read) this.inFlight.delete(appId);
    };
    read.then(land, land);
    return read;
  }

  private async read(appId: string): Promise<Cached> {
    const stamp = await this.stampOf(appId).catch(() => 'missing');
    const hit = this.cache.get(appId);
    if (hit && hit.stamp === stamp) {
      this.cache.delete(appId);
      this.cache.set(appId, hit);
      return hit;
    }
    this.cache.delete(appId);
    const doc = decodeAppDocument((await this.store.load(appId)).payload);
    // An object, variable or script write (here or by another engine) changes the file, not its data:
    // the decoded model is kept when the data section is byte for byte the one it came from (a digest
    // costs a fraction of a decode); a reload or an import changes the section and decodes afresh.
    const dataDigest = digestOf(doc.model);
    const model = hit && hit.dataDigest === dataDigest ? hit.model : this.decode(doc.model);
    const entry = { model, variables: doc.variables ?? [], objects: doc.objects ?? [], stamp, dataDigest };
    this.remember(appId, entry);
    return entry;
  }

  /** How many times a data model was decoded (tests and metrics: writes that leave the data alone add none). */
  modelDecodes = 0;

  private decode(model: Uint8Array | null): DataModel {
    if (model === null) return emptyModel();
    this.modelDecodes++;
    return decodeDataModel(model);
  }

  /** After a write that leaves the data section as it is: read the file again at the next call, keep the model if it still matches. */
  private stale(appId: string): void {
    this.inFlight.delete(appId); // a read begun before the write must not answer calls made after it
    const hit = this.cache.get(appId);
    if (hit) hit.stamp = STALE;
  }

  /** The whole document (script included); null when the app has no file. */
  async document(appId: string): Promise<AppDocument | null> {
    try {
      return decodeAppDocument((await this.store.load(appId)).payload);
    } catch (e) {
      if (notFound(e)) return null;
      throw e;
    }
  }

  /** The load script ('' for an app without a file or without a script). */
  async script(appId: string): Promise<string> {
    return (await this.document(appId))?.script ?? '';
  }

  /** Replaces the load script and keeps the data. */
  async setScript(appId: string, script: string): Promise<SaveResult> {
    const result = await this.store.update(appId, (current) => {
      const doc = current === null ? { model: null, script: '' } : decodeAppDocument(current);
      return encodeAppDocument({ ...doc, script });
    }, REPLACE_UNREADABLE);
    this.stale(appId);
    return result;
  }

  /** The app's persisted variables ([] for an app without a file or without variables). */
  async variables(appId: string): Promise<Record<string, unknown>[]> {
    try {
      return (await this.cached(appId)).variables;
    } catch (e) {
      if (notFound(e)) return [];
      throw e;
    }
  }

  /** Replaces the persisted variables from the current ones, under the app's lock; keeps data and script. */
  async updateVariables(appId: string, change: (current: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    let next: Record<string, unknown>[] = [];
    await this.store.update(appId, (current) => {
      const doc = current === null ? { model: null, script: '', variables: [] } : decodeAppDocument(current);
      next = change(doc.variables ?? []);
      return encodeAppDocument({ ...doc, variables: next });
    });
    this.stale(appId);
    return next;
  }

  /** The app's persisted generic objects, as stored records ([] for an app without a file or without objects). */
  async objects(appId: string): Promise<Record<string, unknown>[]> {
    try {
      return (await this.cached(appId)).objects;
    } catch (e) {
      if (notFound(e)) return [];
      throw e;
    }
  }

  /** Replaces the persisted objects from the current ones, under the app's lock; keeps everything else. */
  async updateObjects(appId: string, change: (current: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<Record<string, unknown>[]> {
    let next: Record<string, unknown>[] = [];
    await this.store.update(appId, (current) => {
      const doc = current === null ? { model: null, script: '', variables: [], objects: [] } : decodeAppDocument(current);
      next = change(doc.objects ?? []);
      return encodeAppDocument({ ...doc, objects: next });
    });
    this.stale(appId);
    return next;
  }

  /** Replaces the data (a reload's result) and keeps the script as it is now (an edit during the reload wins). */
  async save(appId: string, model: DataModel): Promise<SaveResult> {
    const bytes = encodeDataModel(model);
    let kept: Record<string, unknown>[] = [];
    let keptObjects: Record<string, unknown>[] = [];
    const result = await this.store.update(appId, (current) => {
      if (current === null) return encodeAppDocument({ model: bytes, script: '' });
      const doc = decodeAppDocument(current);
      kept = doc.variables ?? [];
      keptObjects = doc.objects ?? [];
      return encodeAppDocument({ ...doc, model: bytes });
    }, REPLACE_UNREADABLE);
    this.inFlight.delete(appId);
    this.remember(appId, { model, variables: kept, objects: keptObjects, stamp: await this.stampOf(appId), dataDigest: digestOf(bytes) });
    return result;
  }

  /** Writes a whole document from the current one (import, copy), under the app's lock. */
  async updateDocument(appId: string, change: (current: AppDocument | null) => AppDocument): Promise<SaveResult> {
    const result = await this.store.update(appId, (current) => encodeAppDocument(change(current === null ? null : decodeAppDocument(current))), REPLACE_UNREADABLE);
    this.stale(appId); // an import replaces the data: its digest differs and the model is decoded afresh
    return result;
  }

  forget(appId: string): void {
    this.inFlight.delete(appId);
    this.cache.delete(appId);
  }

  private remember(appId: string, c: Cached): void {
    this.cache.set(appId, c);
    while (this.cache.size > this.maxOpen) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }
}
