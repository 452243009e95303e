import type { CubeComputation } from './cube-compute';
import type { SymbolTable } from './symbol-table';

/** Sort key of a hypercube: column index (dimensions first, then measures). */
export interface SortSpec {
  column: number;
  descending?: boolean;
}

/**
 * Rank of each symbol among `present`: numbers first in numeric order, then texts in code-point
 * order (deterministic across hosts, unlike locale collation). Rows then compare integer ranks.
 */
export function dimensionRanks(symbols: SymbolTable, present: readonly number[]): Int32Array {
  const distinct = [...new Set(present)];
  distinct.sort((a, b) => {
    const na = symbols.num(a);
    const nb = symbols.num(b);
    const aNum = !Number.isNaN(na);
    const bNum = !Number.isNaN(nb);
    if (aNum && bNum) return na - nb;
    if (aNum !== bNum) return aNum ? -1 : 1;
    const ta = symbols.text(a);
    const tb = symbols.text(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  const ranks = new Int32Array(symbols.size);
  distinct.forEach((s, i) => {
    ranks[s] = i;
  });
  return ranks;
}

/** Explicit sort keys first, then every dimension ascending, then cube order (stable). */
export function compareRows(a: number, b: number, cube: CubeComputation, ranks: readonly Int32Array[], sort: readonly { column: number; descending?: boolean }[]): number {
  const dims = ranks.length;
  for (const s of sort) {
    const c = s.column < dims ? compareDim(a, b, cube, ranks, s.column) : compareMeasure(cube.values[s.column - dims]!, a, b, s.descending === true);
    if (c !== 0) return s.descending === true && s.column < dims ? -c : c;
  }
  for (let d = 0; d < dims; d++) {
    const c = compareDim(a, b, cube, ranks, d);
    if (c !== 0) return c;
  }
  return a - b;
}

function compareDim(a: number, b: number, cube: CubeComputation, ranks: readonly Int32Array[], d: number): number {
  const r = ranks[d]!;
  return r[cube.interner.tuples[cube.rowTuples[a]!]![d]!]! - r[cube.interner.tuples[cube.rowTuples[b]!]![d]!]!;
}

/** Nulls last in either direction. */
function compareMeasure(values: Float64Array, a: number, b: number, descending: boolean): number {
  const va = values[a]!;
  const vb = values[b]!;
  const aNull = Number.isNaN(va);
  const bNull = Number.isNaN(vb);
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  return descending ? vb - va : va - vb;
}
