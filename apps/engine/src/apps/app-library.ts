import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppStoreError, AppStoreErrorCode, appFileName, decodeAppDocument, encodeAppDocument, type AppDocument, type AppStore, type SaveResult } from '@trustzone/app-store';
import { buildDataModel, decodeDataModel, encodeDataModel, type DataModel } from '@trustzone/data-model';

interface Cached {
  model: DataModel;
  variables: Record<string, unknown>[];
  /** mtime+size+inode of the file the model came from: another engine's reload changes it. */
  stamp: string;
}

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
 *
 * The file's payload is an app document (libs/app-store `app-document.ts`): the data model and the
 * load script and the variables, encrypted together. Saving one never loses the other: both go through the store's
 * locked read-modify-write.
 */
export class AppLibrary {
  private readonly cache = new Map<string, Cached>();

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

  private async cached(appId: string): Promise<Cached> {
    const stamp = await this.stampOf(appId).catch(() => 'missing');
    const hit = this.cache.get(appId);
    if (hit && hit.stamp === stamp) {
      this.cache.delete(appId);
      this.cache.set(appId, hit);
      return hit;
    }
    this.cache.delete(appId);
    const doc = decodeAppDocument((await this.store.load(appId)).payload);
    const model = doc.model === null ? emptyModel() : decodeDataModel(doc.model);
    const entry = { model, variables: doc.variables ?? [], stamp };
    this.remember(appId, entry);
    return entry;
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
    this.cache.delete(appId);
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
    this.cache.delete(appId);
    return next;
  }

  /** Replaces the data (a reload's result) and keeps the script as it is now (an edit during the reload wins). */
  async save(appId: string, model: DataModel): Promise<SaveResult> {
    const bytes = encodeDataModel(model);
    let kept: Record<string, unknown>[] = [];
    const result = await this.store.update(appId, (current) => {
      if (current === null) return encodeAppDocument({ model: bytes, script: '' });
      const doc = decodeAppDocument(current);
      kept = doc.variables ?? [];
      return encodeAppDocument({ ...doc, model: bytes });
    }, REPLACE_UNREADABLE);
    this.remember(appId, { model, variables: kept, stamp: await this.stampOf(appId) });
    return result;
  }

  /** Writes a whole document from the current one (import, copy), under the app's lock. */
  async updateDocument(appId: string, change: (current: AppDocument | null) => AppDocument): Promise<SaveResult> {
    const result = await this.store.update(appId, (current) => encodeAppDocument(change(current === null ? null : decodeAppDocument(current))), REPLACE_UNREADABLE);
    this.cache.delete(appId);
    return result;
  }

  forget(appId: string): void {
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
