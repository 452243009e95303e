import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { appFileName, type AppStore, type SaveResult } from '@trustzone/app-store';
import { decodeDataModel, encodeDataModel, type DataModel } from '@trustzone/data-model';

interface Cached {
  model: DataModel;
  /** mtime+size+inode of the file the model came from: another engine's reload changes it. */
  stamp: string;
}

/**
 * Decoded apps kept in memory (least recently used dropped beyond `maxOpen`). Every open re-stats
 * the file, so an app reloaded by another engine of the site (shared app volume) is decoded afresh,
 * and a file that fails its checks is refused whole — never served from a stale or partial copy.
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

  async open(appId: string): Promise<DataModel> {
    const stamp = await this.stampOf(appId).catch(() => 'missing');
    const hit = this.cache.get(appId);
    if (hit && hit.stamp === stamp) {
      this.cache.delete(appId);
      this.cache.set(appId, hit);
      return hit.model;
    }
    this.cache.delete(appId);
    const decoded = await this.store.load(appId);
    const model = decodeDataModel(decoded.payload);
    this.remember(appId, { model, stamp });
    return model;
  }

  async save(appId: string, model: DataModel): Promise<SaveResult> {
    const result = await this.store.save(appId, encodeDataModel(model));
    this.remember(appId, { model, stamp: await this.stampOf(appId) });
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
