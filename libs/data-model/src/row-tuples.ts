import type { AssociativeState } from './associative-state';
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

  constructor(
    private readonly model: DataModel,
    private readonly state: AssociativeState,
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
    const rows = this.rowList(root.tableId);
    const table = this.model.tables[root.tableId]!;
    const groups = root.children.map((c) => this.groups(c));
    // Fast paths for the shapes a star schema produces: a dimension in the fact table itself, or
    // one dimension table behind a unique key.
    if (root.children.length === 0 && root.ownDims.length <= 1) {
      const tuples = new Int32Array(rows.length);
      let n = 0;
      if (root.ownDims.length === 0) {
        tuples.fill(TupleInterner.EMPTY);
        return { rows, tuples, length: rows.length };
      }
      const d = root.ownDims[0]!;
      const col = table.columnByField.get(this.dimFields[d]!)!;
      const symbolCount = this.model.fields[this.dimFields[d]!]!.symbols.size;
      const out = new Int32Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const s = col[r]!;
        if (s < 0) continue;
        out[n] = r;
        tuples[n++] = this.interner.single(d, s, symbolCount);
      }
      return { rows: out, tuples, length: n };
    }
    if (root.ownDims.length === 0 && root.children.length === 1 && groups[0]!.more.size === 0) {
      const child = root.children[0]!;
      const first = groups[0]!.first;
      const col = child.parentKey === null ? null : table.columnByField.get(child.parentKey)!;
      const out = new Int32Array(rows.length);
      const tuples = new Int32Array(rows.length);
      let n = 0;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        const s = col === null ? 0 : col[r]!;
        if (s < 0) continue;
        const g = first[s]!;
        if (g < 0) continue;
        out[n] = r;
        tuples[n++] = g;
      }
      return { rows: out, tuples, length: n };
    }
    const outRows: number[] = [];
    const outTuples: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      this.emit(root, groups, r, (g) => {
        if (outRows.length >= MAX_CUBE_PAIRS) throw tooLarge();
        outRows.push(r);
        outTuples.push(g);
      });
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
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const k = keyCol === null ? 0 : keyCol[r]!;
      if (k < 0) continue;
      this.emit(node, childGroups, r, (g) => {
        const f = out.first[k]!;
        if (f < 0) out.first[k] = g;
        else if (f !== g) {
          const pair = k * 4_194_304 + g;
          if (seen.has(pair)) return;
          if (seen.size >= MAX_CUBE_PAIRS) throw tooLarge();
          seen.add(pair);
          let list = out.more.get(k);
          if (list === undefined) out.more.set(k, (list = []));
          list.push(g);
        }
      });
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

  /** Calls `cb` with every combination row `r` of `node` belongs to. */
  private emit(node: JoinNode, childGroups: Groups[], r: number, cb: (tuple: number) => void): void {
    const table = this.model.tables[node.tableId]!;
    let own = TupleInterner.EMPTY;
    for (const d of node.ownDims) {
      const fid = this.dimFields[d]!;
      const s = table.columnByField.get(fid)![r]!;
      if (s < 0) return;
      own = this.interner.merge(own, this.interner.single(d, s, this.model.fields[fid]!.symbols.size));
    }
    const expand = (i: number, acc: number): void => {
      if (i === childGroups.length) {
        cb(acc);
        return;
      }
      const child = node.children[i]!;
      const s = child.parentKey === null ? 0 : table.columnByField.get(child.parentKey)![r]!;
      if (s < 0) return;
      const g = childGroups[i]!;
      const first = g.first[s]!;
      if (first < 0) return;
      expand(i + 1, this.interner.merge(acc, first));
      const more = g.more.get(s);
      if (more !== undefined) for (const id of more) expand(i + 1, this.interner.merge(acc, id));
    };
    expand(0, own);
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
    let n = 0;
    rows.forEach((r) => {
      out[n++] = r;
    });
    return out;
  }
}

function tooLarge(): DataModelError {
  return new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `the hypercube associates more than ${MAX_CUBE_PAIRS} row combinations`);
}
