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
    this.data = new Int32Array(Math.max(1, dimCount) * 1024);
    this.add(null);
  }

  get size(): number {
    return this.count;
  }

  /** Symbol of dimension `d` in tuple `id` (-1 = not set). */
  symbol(id: number, d: number): number {
    return this.data[id * this.dimCount + d]!;
  }

  /** Per-symbol cache of single(dim, ·) ids (-1 = not interned yet), for inlined hot loops. */
  singleCache(dim: number, symbolCount: number): Int32Array {
    let cache = this.singles[dim];
    if (cache === undefined) {
      cache = new Int32Array(symbolCount).fill(-1);
      this.singles[dim] = cache;
    }
    return cache;
  }

  /** The tuple with only dimension `dim` set to `symbol`. */
  single(dim: number, symbol: number, symbolCount: number): number {
    const cache = this.singleCache(dim, symbolCount);
    let id = cache[symbol]!;
    if (id < 0) {
      // No content lookup needed: a merge of two non-empty tuples sets at least two dimensions,
      // so a one-dimension tuple can only ever come from here, and this cache makes it unique.
      id = this.add(null);
      this.data[id * this.dimCount + dim] = symbol;
      cache[symbol] = id;
    }
    return id;
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
    if (t === null) this.data.fill(-1, at, at + this.dimCount);
    else this.data.set(t, at);
    return this.count++;
  }
}
