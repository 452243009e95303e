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

/** What a holder of a cell gets: the cell, `changed()` to tell the other holders, and `release()`. */
export interface HeldCell {
  cell: SelectionCell;
  /** Call after changing the selections: every other holder's `onPeerChange` runs. */
  changed(): void;
  release(): void;
}

interface Shared {
  cell: SelectionCell;
  holders: number;
  peers: Set<() => void>;
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
  acquire(key: string, ttlSeconds: number, onPeerChange: () => void = () => undefined): HeldCell {
    this.sweep();
    let entry = this.entries.get(key);
    if (!entry) {
      if (this.entries.size >= this.o.maxEntries) return { cell: privateCell(), changed: () => undefined, release: () => undefined };
      entry = { cell: privateCell(), holders: 0, peers: new Set(), ttlMs: 0, expiresAt: null };
      this.entries.set(key, entry);
    }
    const e = entry;
    const me = () => onPeerChange();
    e.peers.add(me);
    e.holders += 1;
    e.expiresAt = null;
    e.ttlMs = Math.max(e.ttlMs, ttlSeconds * 1000);
    let released = false;
    return {
      cell: e.cell,
      changed: () => {
        if (released) return;
        for (const peer of e.peers) if (peer !== me) peer();
      },
      release: () => {
        if (released) return;
        released = true;
        e.peers.delete(me);
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
