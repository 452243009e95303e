import { QixError, QixErrorCode } from './qix.error';
import type { SessionObject } from './session-object';

/**
 * What a handle refers to; `type` is the struct name of the enigma.js schema. A persisted generic
 * object's handle carries its id: its properties are read from the app's stored objects at every
 * call (another session may have changed them), `object` only caches the last build.
 */
export type HandleEntry =
  | { type: 'Doc' }
  | { type: 'GenericObject'; object: SessionObject; persistedId?: string; soft?: Record<string, unknown> }
  | { type: 'Field'; field: string }
  | { type: 'GenericVariable'; variableId: string }
  | { type: 'GenericDimension'; objectId: string }
  | { type: 'GenericMeasure'; objectId: string }
  | { type: 'GenericBookmark'; objectId: string };

export type HandleType = HandleEntry['type'];

/**
 * The session's handles. Numbers start at 1 and are never reused: 0 means "no object" to enigma.js
 * and -1 is Global, and a stale handle must not silently reach a newer object. The count of live
 * handles is bounded.
 */
export class HandleTable {
  private next = 1;
  private readonly entries = new Map<number, HandleEntry>();

  constructor(private readonly max: number) {}

  add(entry: HandleEntry): number {
    if (this.entries.size >= this.max) throw new QixError(QixErrorCode.ABORTED, `at most ${this.max} handles per session`);
    const handle = this.next++;
    this.entries.set(handle, entry);
    return handle;
  }

  get(handle: number): HandleEntry | undefined {
    return this.entries.get(handle);
  }

  delete(handle: number): void {
    this.entries.delete(handle);
  }

  /** Live handles of generic objects and fields: the ones a selection change makes stale. */
  selectionDependents(): number[] {
    const out: number[] = [];
    for (const [h, e] of this.entries) if (e.type !== 'Doc') out.push(h);
    return out;
  }

  /** Live handles and their entries. */
  entriesList(): [number, HandleEntry][] {
    return [...this.entries];
  }

  clear(): void {
    this.entries.clear();
  }
}
