import type { DataModel, View } from '@trustzone/data-model';
import type { ReductionResult } from '@trustzone/section-access';

/** Reductions kept per model (one app version); beyond it the least recently used is dropped. */
export const MAX_REDUCTIONS_PER_MODEL = 4096;
/** Row-set bytes kept over every model (a view of a big app holds a bitset per reduced table). */
export const MAX_REDUCTION_BYTES = 64 * 1024 * 1024;

type Kept = { kind: 'granted'; view: View } | { kind: 'denied'; code: string; reason: string };

interface Slot {
  readonly model: WeakRef<DataModel>;
  readonly key: string;
  readonly bytes: number;
}

/**
 * Section-access reductions shared by the sessions of one exact identity on one app version, so a
 * user who reconnects (a proxy certificate rotation closes every stream at once) gets the view their
 * previous session had instead of matching the security table and building row sets again.
 *
 * Keyed so that a hit is the same pure computation: `reduce(model, model.securityTable, user)`.
 * - The model object is the app version: the app library decodes a new one when the data section
 *   (security table included) changes, so a reload that changes section access starts a new, empty
 *   map and the old one goes with its model (WeakMap). A model is never mutated after it is built.
 * - Within a model the key is the user's whole section-access identity, byte for byte: directory,
 *   id and every group (sorted, not case-folded — two spellings that `reduce` would treat alike get
 *   two entries, never one entry for two identities that differ).
 * Only what `reduce` answered is kept: a View (immutable row sets, its own memoised symbol sets) or
 * a denial's code and reason; the caller throws afresh from a denial each time. Bounded per model
 * and in bytes over all models, least recently used first.
 */
export class ReductionCache {
  private readonly byModel = new WeakMap<DataModel, Map<string, { kept: Kept; slot: Slot }>>();
  /** Least recently used first (a hit re-inserts). */
  private readonly lru = new Set<Slot>();
  private bytes = 0;
  /** Reductions computed (a hit adds none): tests and metrics. */
  computed = 0;

  constructor(
    private readonly maxPerModel = MAX_REDUCTIONS_PER_MODEL,
    private readonly maxBytes = MAX_REDUCTION_BYTES,
  ) {}

  get(model: DataModel, user: { directory: string; userId: string; groups: readonly string[] }, compute: () => ReductionResult): Kept {
    const key = JSON.stringify([user.directory, user.userId, [...user.groups].sort()]);
    let map = this.byModel.get(model);
    if (map === undefined) this.byModel.set(model, (map = new Map()));
    const hit = map.get(key);
    if (hit !== undefined) {
      this.lru.delete(hit.slot);
      this.lru.add(hit.slot);
      map.delete(key);
      map.set(key, hit);
      return hit.kept;
    }
    this.computed++;
    const r = compute();
    const kept: Kept = r.kind === 'granted' ? { kind: 'granted', view: r.view } : { kind: 'denied', code: r.code, reason: r.reason };
    const bytes = r.kind === 'granted' ? r.view.byteLength() + 64 : 64;
    if (bytes > this.maxBytes) return kept;
    if (map.size >= this.maxPerModel) {
      const oldest = map.values().next().value as { slot: Slot };
      this.drop(oldest.slot);
    }
    const slot: Slot = { model: new WeakRef(model), key, bytes };
    map.set(key, { kept, slot });
    this.lru.add(slot);
    this.bytes += bytes;
    for (const s of this.lru) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(s);
    }
    return kept;
  }

  private drop(slot: Slot): void {
    if (!this.lru.delete(slot)) return;
    this.bytes -= slot.bytes;
    const model = slot.model.deref();
    if (model !== undefined) this.byModel.get(model)?.delete(slot.key);
  }
}
