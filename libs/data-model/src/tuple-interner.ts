import { DataModelError, DataModelErrorCode } from './data-model.error';
import { MAX_CUBE_TUPLES } from './limits';

/**
 * Ids for dimension combinations (tuples of symbol indexes, -1 where a dimension is not set yet).
 * Partial tuples from different branches of the join tree merge into fuller ones; equal contents
 * always get the same id, so aggregates from different fact tables land in the same cube row.
 * Merges and single-value tuples are cached, so the per-row cost is an array or map lookup.
 */
export class TupleInterner {
  static readonly EMPTY = 0;
  readonly tuples: Int32Array[] = [];
  private readonly byContent = new Map<string, number>();
  private readonly singles: (Int32Array | undefined)[];
  private readonly merges = new Map<number, number>();

  constructor(readonly dimCount: number) {
    this.singles = new Array<Int32Array | undefined>(dimCount).fill(undefined);
    this.add(new Int32Array(dimCount).fill(-1));
  }

  get size(): number {
    return this.tuples.length;
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
      const t = new Int32Array(this.dimCount).fill(-1);
      t[dim] = symbol;
      id = this.add(t);
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
      const ta = this.tuples[a]!;
      const tb = this.tuples[b]!;
      const t = new Int32Array(this.dimCount);
      for (let d = 0; d < this.dimCount; d++) t[d] = ta[d]! >= 0 ? ta[d]! : tb[d]!;
      id = this.intern(t);
      this.merges.set(key, id);
    }
    return id;
  }

  private intern(t: Int32Array): number {
    const key = t.join(',');
    let id = this.byContent.get(key);
    if (id === undefined) {
      id = this.add(t);
      this.byContent.set(key, id);
    }
    return id;
  }

  private add(t: Int32Array): number {
    if (this.tuples.length >= MAX_CUBE_TUPLES) {
      throw new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `the hypercube has more than ${MAX_CUBE_TUPLES} dimension combinations`);
    }
    this.tuples.push(t);
    return this.tuples.length - 1;
  }
}
