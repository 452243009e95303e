import { createHash } from 'node:crypto';
import type { ComputedHyperCube, SelectionState } from '@trustzone/data-model';

/*
 * Computed hypercubes kept per open document (so per session, user and reduced view) and per
 * selection state, like the QIX engine's result cache: a client that flips between states, or asks
 * for another page, or a GetLayout after a GetHyperCubeData, is answered without computing again.
 *
 * Section access stays absolute by construction: an entry belongs to one DocContext (one session's
 * view of one app) and is found only through it — never shared with another session, even of the
 * same user. Within the doc the key is everything computeHyperCube reads besides the doc's model and
 * view (both fixed for the doc's lifetime): the selection state and the cube as expanded now
 * (`$(var)`/`$(=…)` already substituted, so a variable change is a different key). Cubes calling a
 * clock or a random function are never kept.
 *
 * Memory is bounded engine-wide (TZ_ENGINE_CUBE_CACHE_MB over every session, default 64 MiB), least
 * recently used first; an entry lives in its doc's map only, so a closed session's cubes go with its
 * doc. A budget of 0 keeps nothing: every call computes its cube (memory traded for latency).
 */

/** Default bytes of computed cubes kept over every session (their approxBytes). */
export const MAX_CACHED_BYTES = 64 * 1024 * 1024;
/** A cube larger than budget / this is computed per request, not kept (it would evict everything else). */
const PER_CUBE_SHARE = 16;

/** Functions whose value changes between two calls on the same state: Rand(), Now(), Today(). */
const VOLATILE = /\b(?:rand|now|today)\s*\(/i;

interface Slot {
  readonly owner: WeakRef<object>;
  readonly key: string;
  readonly bytes: number;
}

export class CubeCache {
  private readonly byOwner = new WeakMap<object, Map<string, { cube: ComputedHyperCube; slot: Slot; basis: readonly object[] }>>();
  /** Least recently used first (Map keeps insertion order; a hit re-inserts). */
  private readonly lru = new Set<Slot>();
  private bytes = 0;
  private maxBytes: number;

  constructor(maxBytes = MAX_CACHED_BYTES) {
    this.maxBytes = checkedBudget(maxBytes);
  }

  /**
   * A new budget (the engine's TZ_ENGINE_CUBE_CACHE_MB, set once at start-up): entries beyond it are
   * dropped now, least recently used first; 0 drops every entry and keeps none from now on.
   */
  resize(maxBytes: number): void {
    this.maxBytes = checkedBudget(maxBytes);
    this.evict();
  }

  /** The budget in bytes (0: disabled). */
  get budget(): number {
    return this.maxBytes;
  }

  /**
   * The cube for `key` in `owner`'s cache, computed (and kept if it may be) on a miss. `basis`: the
   * objects the cube was computed from (model, view), compared by identity — a belt to the key's braces.
   */
  get(owner: object, key: string | null, basis: readonly object[], compute: () => ComputedHyperCube): ComputedHyperCube {
    if (key === null || this.maxBytes === 0) return compute();
    const entries = this.byOwner.get(owner);
    const hit = entries?.get(key);
    if (hit !== undefined && hit.basis.length === basis.length && hit.basis.every((b, i) => b === basis[i])) {
      this.lru.delete(hit.slot);
      this.lru.add(hit.slot);
      return hit.cube;
    }
    const cube = compute();
    if (cube.approxBytes > this.maxBytes / PER_CUBE_SHARE) return cube;
    const slot: Slot = { owner: new WeakRef(owner), key, bytes: cube.approxBytes };
    const map = entries ?? new Map();
    if (entries === undefined) this.byOwner.set(owner, map);
    const replaced = map.get(key);
    if (replaced !== undefined) {
      this.lru.delete(replaced.slot);
      this.bytes -= replaced.slot.bytes;
    }
    map.set(key, { cube, slot, basis });
    this.lru.add(slot);
    this.bytes += slot.bytes;
    this.evict();
    return cube;
  }

  private evict(): void {
    for (const oldest of this.lru) {
      if (this.bytes <= this.maxBytes) break;
      this.lru.delete(oldest);
      this.bytes -= oldest.bytes;
      this.byOwner.get(oldest.owner.deref() ?? {})?.delete(oldest.key);
    }
  }

  /** Bytes accounted now (tests). */
  get size(): number {
    return this.bytes;
  }
}

function checkedBudget(maxBytes: number): number {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError(`cube cache budget must be a whole number of bytes ≥ 0, got ${maxBytes}`);
  return maxBytes;
}

/**
 * One engine-wide budget for every session of the process; createEngine sizes it from
 * TZ_ENGINE_CUBE_CACHE_MB (process-wide, like the engine's memory it bounds).
 */
export const CUBE_CACHE = new CubeCache();

const SELECTION_KEYS = new WeakMap<SelectionState, string>();

/**
 * A canonical text of a selection state (equal selections, equal text), computed once per state
 * object. Small states are spelled out; a large one is a SHA-256 of the same bytes.
 */
export function selectionKey(selections: SelectionState): string {
  let key = SELECTION_KEYS.get(selections);
  if (key !== undefined) return key;
  const parts: string[] = [];
  let bytes = 0;
  for (const fid of selections.fieldIds().sort((a, b) => a - b)) {
    const set = selections.get(fid)!;
    const b64 = Buffer.from(set.words.buffer, set.words.byteOffset, set.words.byteLength).toString('base64');
    bytes += b64.length;
    parts.push(`${fid}:${set.size}:${b64}`);
  }
  key = parts.join(';');
  if (bytes > 512) key = `#${createHash('sha256').update(key).digest('base64')}`;
  SELECTION_KEYS.set(selections, key);
  return key;
}

/** True when the expression calls a clock or a random function: its value is never kept. */
export function isVolatile(expression: string): boolean {
  return VOLATILE.test(expression);
}

/** The key of an expanded cube definition, or null when it must be computed every time. */
export function cubeKey(def: { dimensions: readonly string[]; measures: readonly { expression: string; label?: string }[]; sort?: unknown; suppressZero?: boolean }): string | null {
  if (def.dimensions.some((d) => VOLATILE.test(d)) || def.measures.some((m) => VOLATILE.test(m.expression))) return null;
  return JSON.stringify([def.dimensions, def.measures.map((m) => [m.expression, m.label ?? null]), def.sort ?? [], def.suppressZero === true]);
}
