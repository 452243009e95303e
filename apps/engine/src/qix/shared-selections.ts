import { type DataModel, SelectionState } from '@trustzone/data-model';

/**
 * Where a document's selections live. A plain session has its own cell; sockets opened with a Qlik
 * identity URL (`/app/<id>/identity/<name>`) share one, as Qlik shares the engine session between
 * them: a selection made on one socket is what every other socket of that identity sees next.
 *
 * Selections are symbol numbers of one loaded model, so a cell remembers the model it was made for
 * and starts empty again when the app was reloaded in between (never applies old numbers to new data).
 */
export interface SelectionCell {
  selections: SelectionState;
  model: DataModel | null;
}

export function privateCell(): SelectionCell {
  return { selections: SelectionState.empty(), model: null };
}

interface Shared {
  cell: SelectionCell;
  holders: number;
  ttlMs: number;
  /** When the last holder left, the time after which the state is gone. */
  expiresAt: number | null;
}

export interface SharedSelectionsOptions {
  /** Identities kept at once; past it a new identity gets a private cell (it works, unshared). */
  maxEntries: number;
  now?: () => number;
}

/**
 * The identities of one engine. The key is built by the caller from the asserted user (directory,
 * id, groups — the things section access reduces by), the app and the identity name: a different
 * user, or the same user with other groups, can never reach another's cell.
 */
export class SharedSelections {
  private readonly entries = new Map<string, Shared>();
  private readonly now: () => number;

  constructor(private readonly o: SharedSelectionsOptions) {
    this.now = o.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The identity's cell and the function that gives it back (call once, when the document closes). */
  acquire(key: string, ttlSeconds: number): { cell: SelectionCell; release: () => void } {
    this.sweep();
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.o.maxEntries) return { cell: privateCell(), release: () => undefined };
      entry = { cell: privateCell(), holders: 0, ttlMs: 0, expiresAt: null };
      this.entries.set(key, entry);
    }
    const e = entry;
    e.holders += 1;
    e.expiresAt = null;
    e.ttlMs = Math.max(e.ttlMs, ttlSeconds * 1000);
    let released = false;
    return {
      cell: e.cell,
      release: () => {
        if (released) return;
        released = true;
        e.holders -= 1;
        if (e.holders > 0) return;
        if (e.ttlMs === 0) this.entries.delete(key);
        else e.expiresAt = this.now() + e.ttlMs;
      },
    };
  }

  /** Drops identities whose last socket left more than their TTL ago. */
  sweep(): void {
    const t = this.now();
    for (const [k, e] of this.entries) if (e.holders === 0 && e.expiresAt !== null && e.expiresAt <= t) this.entries.delete(k);
  }
}
