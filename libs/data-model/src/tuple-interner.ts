import type { Bitset } from './bitset';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { MAX_CUBE_TUPLES } from './limits';

/**
 * Ids for dimension combinations (tuples of symbol indexes, -1 where a dimension is not set yet).
 * Partial tuples from different branches of the join tree merge into fuller ones; equal contents
 * always get the same id, so aggregates from different fact tables land in the same cube row.
 * Merges and single-value tuples are cached, so the per-row cost is an array or map lookup.
 * Contents live in one flat Int32Array (id * dimCount + d), not one small array per tuple.
 */
export class TupleInterner {
  static readonly EMPTY = 0;
  private data: Int32Array;
  private count = 0;
  private readonly byContent = new Map<string, number>();
  private readonly singles: (Int32Array | undefined)[];
  private readonly merges = new Map<number, number>();

  constructor(readonly dimCount: number) {
    this.singles = new Array<Int32Array | undefined>(dimCount).fill(undefined);
    // Small to start (it doubles as tuples come): most cubes and every Evaluate hold a few tuples,
    // and a 1,024-tuple start was ~1.5 % of the engine in the soak, zeroing memory never used.
    this.data = new Int32Array(Math.max(1, dimCount) * 64);
    this.add(null);
  }

  get size(): number {
    return this.count;
  }

  /** Symbol of dimension `d` in tuple `id` (-1 = not set). */
  symbol(id: number, d: number): number {
    return this.data[id * this.dimCount + d]!;
  }

  /**
   * Per-symbol cache of single(dim, ·) ids, for inlined hot loops. 0 = not interned yet: id 0 is
   * EMPTY, never a single, so the array needs no fill (it was ~2.5 % of a select+cube over a
   * 24,000-value dimension, one fill per cube).
   */
  singleCache(dim: number, symbolCount: number): Int32Array {
    let cache = this.singles[dim];
    if (cache === undefined) {
      cache = SPARE_SINGLES.take(symbolCount) ?? new Int32Array(symbolCount);
      this.singles[dim] = cache;
    }
    return cache;
  }

  /**
   * Done with this interner: its single caches are zeroed again and kept for the next cube (see
   * SpareSingles). Exactly the entries written are cleared: single() and internSingles() are the
   * only writers, and each sets `cache[s] = id` together with `symbol(id, dim) = s`, so walking the
   * ids finds every one. The interner must not be used afterwards (its caches would start empty).
   */
  release(): void {
    for (let d = 0; d < this.dimCount; d++) {
      const cache = this.singles[d];
      if (cache === undefined) continue;
      this.singles[d] = undefined;
      if (cache.length < SpareSingles.MIN_LENGTH) continue;
      const data = this.data;
      for (let id = 1, at = this.dimCount + d; id < this.count; id++, at += this.dimCount) {
        const s = data[at]!;
        if (s >= 0 && cache[s] === id) cache[s] = 0;
      }
      SPARE_SINGLES.give(cache);
    }
  }

  /** The tuple with only dimension `dim` set to `symbol`. */
  single(dim: number, symbol: number, symbolCount: number): number {
    const cache = this.singleCache(dim, symbolCount);
    let id = cache[symbol]!;
    if (id === 0) {
      // No content lookup needed: a merge of two non-empty tuples sets at least two dimensions,
      // so a one-dimension tuple can only ever come from here, and this cache makes it unique.
      id = this.add(null);
      this.data[id * this.dimCount + dim] = symbol;
      cache[symbol] = id;
    }
    return id;
  }

  /**
   * single(dim, s) for every member of `symbols`, in ascending order, appended to `out`: the rows of
   * a one-dimension cube. One pass over the words, no call per member.
   */
  internSingles(dim: number, symbols: Bitset, out: number[]): void {
    const cache = this.singleCache(dim, symbols.size);
    const w = symbols.words;
    for (let k = 0; k < w.length; k++) {
      let word = w[k]!;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const s = (k << 5) + (31 - Math.clz32(low));
        let id = cache[s]!;
        if (id === 0) {
          id = this.add(null);
          this.data[id * this.dimCount + dim] = s;
          cache[s] = id;
        }
        out.push(id);
      }
    }
  }

  /** The union of two tuples over disjoint dimensions. */
  merge(a: number, b: number): number {
    if (a === TupleInterner.EMPTY) return b;
    if (b === TupleInterner.EMPTY) return a;
    const key = a * 4_194_304 + b;
    let id = this.merges.get(key);
    if (id === undefined) {
      const t = new Int32Array(this.dimCount);
      for (let d = 0; d < this.dimCount; d++) {
        const x = this.symbol(a, d);
        t[d] = x >= 0 ? x : this.symbol(b, d);
      }
      const content = t.join(',');
      id = this.byContent.get(content);
      if (id === undefined) {
        id = this.add(t);
        this.byContent.set(content, id);
      }
      this.merges.set(key, id);
    }
    return id;
  }

  /** Appends a tuple: `t`, or all dimensions unset when null. */
  private add(t: Int32Array | null): number {
    if (this.count >= MAX_CUBE_TUPLES) {
      throw new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `the hypercube has more than ${MAX_CUBE_TUPLES} dimension combinations`);
    }
    const at = this.count * this.dimCount;
    if (at + this.dimCount > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    // A loop, not fill()/set(): for the one to a few slots of a tuple the builtin call cost more
    // than the writes (~13 % of a select+cube in a profile, one call per cube row).
    const data = this.data;
    if (t === null) for (let d = 0; d < this.dimCount; d++) data[at + d] = -1;
    else for (let d = 0; d < this.dimCount; d++) data[at + d] = t[d]!;
    return this.count++;
  }
}

/**
 * Zeroed single caches of finished cubes, by length. A one-dimension cube over a field of 1M order
 * ids allocated (and the VM zeroed) a 4 MB cache per cube, for the 10 rows a selected customer
 * has: with the garbage collection it caused, a third of a select+cube on a 1M-row app. Only large
 * caches are kept (small ones are cheap to make), two per length, 32 MiB in all.
 */
export class SpareSingles {
  static readonly MIN_LENGTH = 4_096;
  private static readonly PER_LENGTH = 2;
  private static readonly MAX_BYTES = 32 * 1024 * 1024;
  private readonly byLength = new Map<number, Int32Array[]>();
  private bytes = 0;

  /** A zeroed cache of `length` entries, or undefined when none is spare. */
  take(length: number): Int32Array | undefined {
    const list = this.byLength.get(length);
    const cache = list?.pop();
    if (cache !== undefined) this.bytes -= cache.byteLength;
    return cache;
  }

  /** Keeps a zeroed cache if there is room; the caller must not touch it again. */
  give(cache: Int32Array): void {
    if (this.bytes + cache.byteLength > SpareSingles.MAX_BYTES) return;
    let list = this.byLength.get(cache.length);
    if (list === undefined) this.byLength.set(cache.length, (list = []));
    if (list.length >= SpareSingles.PER_LENGTH) return;
    list.push(cache);
    this.bytes += cache.byteLength;
  }
}

/** One per process: cube computation is synchronous, so a cache is never shared by two cubes at once. */
export const SPARE_SINGLES = new SpareSingles();
