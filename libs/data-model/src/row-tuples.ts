import type { RowsState } from './chart/rows-state';
import { Bitset } from './bitset';
import { DataModelError, DataModelErrorCode } from './data-model.error';
import { buildJoinTree, type JoinNode } from './join-tree';
import { MAX_CUBE_PAIRS } from './limits';
import type { DataModel } from './model-types';
import { TupleInterner } from './tuple-interner';

/** (row of the root table, dimension tuple id) pairs: what an aggregation iterates over. */
export interface RowTuplePairs {
  rows: Int32Array;
  tuples: Int32Array;
  length: number;
}

/** Tuple ids per symbol of a parent key: the first in `first`, further ones in `more`. */
interface Groups {
  first: Int32Array;
  more: Map<number, number[]>;
}

/**
 * Associates rows of a root table with the dimension combinations they belong to, over possible
 * rows only. Works bottom-up on the join tree: each child table groups its combinations by the
 * key symbol linking it to its parent, and the parent looks them up by its own key column. With a
 * unique key (a star or snowflake schema) each group holds one id and a fact row costs two array
 * reads; many-to-many paths give several ids per row, which the pair bound keeps finite.
 * A row with a null dimension or no associated row on a dimension's path joins no combination.
 */
export class RowTupleIndex {
  private readonly cache = new Map<number, RowTuplePairs>();
  /** Reused per-row buffer of combination ids (see combos). */
  private readonly scratch: number[] = [];

  constructor(
    private readonly model: DataModel,
    private readonly state: RowsState,
    private readonly dimFields: readonly number[],
    readonly interner: TupleInterner,
  ) {}

  pairs(rootTable: number): RowTuplePairs {
    let p = this.cache.get(rootTable);
    if (p === undefined) {
      p = this.compute(buildJoinTree(this.model, rootTable, this.dimFields));
      this.cache.set(rootTable, p);
    }
    return p;
  }

  private compute(root: JoinNode): RowTuplePairs {
    const table = this.model.tables[root.tableId]!;
    const groups = root.children.map((c) => this.groups(c));
    // Fast paths for the shapes a star schema produces — a dimension in the fact table itself, or
    // one dimension table behind a unique key: the combination is a lookup by one column.
    if (root.children.length === 0 && root.ownDims.length === 1) {
      const d = root.ownDims[0]!;
      const symbolCount = this.model.fields[this.dimFields[d]!]!.symbols.size;
      const ids = this.interner.singleCache(d, symbolCount);
      return this.mapRows(root.tableId, table.columnByField.get(this.dimFields[d]!)!, ids, (s) => this.interner.single(d, s, symbolCount), 0);
    }
    if (root.children.length === 0 && root.ownDims.length === 0) {
      return this.mapRows(root.tableId, null, Int32Array.of(TupleInterner.EMPTY), null);
    }
    if (root.ownDims.length === 0 && root.children.length === 1 && groups[0]!.more.size === 0) {
      const key = root.children[0]!.parentKey;
      return this.mapRows(root.tableId, key === null ? null : table.columnByField.get(key)!, groups[0]!.first, null);
    }
    const rows = this.rowList(root.tableId);
    const outRows: number[] = [];
    const outTuples: number[] = [];
    const scratch = this.scratch;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const n = this.combos(root, groups, r);
      if (outRows.length + n > MAX_CUBE_PAIRS) throw tooLarge();
      for (let j = 0; j < n; j++) {
        outRows.push(r);
        outTuples.push(scratch[j]!);
      }
    }
    return { rows: Int32Array.from(outRows), tuples: Int32Array.from(outTuples), length: outRows.length };
  }

  /** Combinations of a child subtree grouped by the symbol of the key linking it upward. */
  private groups(node: JoinNode): Groups {
    if (node.crossDims !== undefined && node.crossDims.length === 1) return this.crossValues(node.crossDims[0]!);
    const table = this.model.tables[node.tableId]!;
    const keyCol = node.parentKey === null ? null : table.columnByField.get(node.parentKey)!;
    const size = node.parentKey === null ? 1 : this.model.fields[node.parentKey]!.symbols.size;
    const out: Groups = { first: new Int32Array(size).fill(-1), more: new Map() };
    const childGroups = node.children.map((c) => this.groups(c));
    const rows = this.rowList(node.tableId);
    const seen = new Set<number>();
    const scratch = this.scratch;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const k = keyCol === null ? 0 : keyCol[r]!;
      if (k < 0) continue;
      const n = this.combos(node, childGroups, r);
      for (let j = 0; j < n; j++) {
        const g = scratch[j]!;
        const f = out.first[k]!;
        if (f < 0) out.first[k] = g;
        else if (f !== g) {
          const pair = k * 4_194_304 + g;
          if (seen.has(pair)) continue;
          if (seen.size >= MAX_CUBE_PAIRS) throw tooLarge();
          seen.add(pair);
          let list = out.more.get(k);
          if (list === undefined) out.more.set(k, (list = []));
          list.push(g);
        }
      }
    }
    return out;
  }

  /**
   * A single dimension in a part of the model not linked to the root: every root row associates
   * with every possible value of it (from all tables holding it, not just the nearest one).
   */
  private crossValues(d: number): Groups {
    const fid = this.dimFields[d]!;
    const size = this.model.fields[fid]!.symbols.size;
    const values = this.state.possibleSymbols(fid) ?? this.state.view.fieldSymbols(fid) ?? Bitset.full(size);
    const ids = values.toArray().map((s) => this.interner.single(d, s, size));
    const out: Groups = { first: new Int32Array(1).fill(ids[0] ?? -1), more: new Map() };
    if (ids.length > 1) out.more.set(0, ids.slice(1));
    return out;
  }

  /**
   * The combinations row `r` of `node` belongs to, written to `this.scratch` (no allocation per
   * row: this runs once per row of every table on the join tree). Returns how many.
   */
  private combos(node: JoinNode, childGroups: readonly Groups[], r: number): number {
    const out = this.scratch;
    out.length = 0;
    const table = this.model.tables[node.tableId]!;
    let own = TupleInterner.EMPTY;
    for (const d of node.ownDims) {
      const fid = this.dimFields[d]!;
      const s = table.columnByField.get(fid)![r]!;
      if (s < 0) return 0;
      own = this.interner.merge(own, this.interner.single(d, s, this.model.fields[fid]!.symbols.size));
    }
    out.push(own);
    for (let i = 0; i < childGroups.length; i++) {
      const child = node.children[i]!;
      const s = child.parentKey === null ? 0 : table.columnByField.get(child.parentKey)![r]!;
      const g = childGroups[i]!;
      const first = s < 0 ? -1 : g.first[s]!;
      if (first < 0) {
        out.length = 0;
        return 0;
      }
      const more = g.more.size === 0 ? undefined : g.more.get(s);
      const n = out.length;
      for (let j = 0; j < n; j++) {
        const base = out[j]!;
        out[j] = this.interner.merge(base, first);
        if (more === undefined) continue;
        if (out.length + more.length > MAX_CUBE_PAIRS) throw tooLarge();
        for (const id of more) out.push(this.interner.merge(base, id));
      }
    }
    return out.length;
  }

  /**
   * Pairs for a root whose rows map to at most one combination each: `map[column[r]]` (column null:
   * `map[0]` for every row), interning through `intern` where the map has no id yet. "No id" is any
   * value ≤ `unset`: -1 in group maps, 0 in the interner's single caches (see singleCache). Iterates
   * the row bitset directly: this is the inner loop of a group-by over a million-row fact table.
   */
  private mapRows(tableId: number, column: Int32Array | null, map: Int32Array, intern: ((s: number) => number) | null, unset = -1): RowTuplePairs {
    const count = this.model.tables[tableId]!.rowCount;
    const set: Bitset | null = this.state.tableRows(tableId) ?? this.state.view.rowSet(tableId);
    const size = set === null ? count : set.count();
    const rows = new Int32Array(size);
    const tuples = new Int32Array(size);
    let n = 0;
    const visit = (r: number): void => {
      const s = column === null ? 0 : column[r]!;
      if (s < 0) return;
      let g = map[s]!;
      if (g <= unset) {
        if (intern === null) return;
        g = intern(s);
      }
      rows[n] = r;
      tuples[n++] = g;
    };
    if (set === null) for (let r = 0; r < count; r++) visit(r);
    else {
      const words = set.words;
      for (let w = 0; w < words.length; w++) {
        let word = words[w]!;
        while (word !== 0) {
          const low = word & -word;
          word ^= low;
          visit((w << 5) + 31 - Math.clz32(low));
        }
      }
    }
    return { rows, tuples, length: n };
  }

  private rowList(tableId: number): Int32Array {
    const rows: Bitset | null = this.state.tableRows(tableId) ?? this.state.view.rowSet(tableId);
    const count = this.model.tables[tableId]!.rowCount;
    if (rows === null) {
      const all = new Int32Array(count);
      for (let r = 0; r < count; r++) all[r] = r;
      return all;
    }
    const out = new Int32Array(rows.count());
    const words = rows.words;
    let n = 0;
    for (let w = 0; w < words.length; w++) {
      let word = words[w]!;
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        out[n++] = (w << 5) + 31 - Math.clz32(low);
      }
    }
    return out;
  }
}

function tooLarge(): DataModelError {
  return new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `the hypercube associates more than ${MAX_CUBE_PAIRS} row combinations`);
}
