import { Bitset } from './bitset';

/** Rows pass when their symbol in `column` is in `allowed`; a null (-1) never passes. */
export interface RowConstraint {
  readonly column: Int32Array;
  readonly allowed: Bitset;
}

/**
 * Rows of `base` (null = all `rowCount` rows) that pass every constraint. This is the hot loop of
 * reduction and selection: it builds the result word by word and tests a symbol with one shift
 * and one mask, with a dedicated loop for the common single-constraint case.
 */
export function filterRows(rowCount: number, base: Bitset | null, constraints: readonly RowConstraint[]): Bitset {
  const out = new Bitset(rowCount);
  const ow = out.words;
  const bw = base?.words;
  const single = constraints.length === 1 ? constraints[0]! : null;
  const col = single?.column;
  const aw = single?.allowed.words;
  for (let w = 0; w < ow.length; w++) {
    const start = w << 5;
    let candidates = bw === undefined ? fullWord(rowCount, start) : bw[w]!;
    let word = 0;
    while (candidates !== 0) {
      const low = candidates & -candidates;
      candidates ^= low;
      const bit = 31 - Math.clz32(low);
      const r = start + bit;
      if (col !== undefined && aw !== undefined) {
        const s = col[r]!;
        if (s >= 0 && (aw[s >>> 5]! & (1 << (s & 31))) !== 0) word |= low;
      } else if (passesAll(constraints, r)) word |= low;
    }
    ow[w] = word;
  }
  return out;
}

function passesAll(constraints: readonly RowConstraint[], r: number): boolean {
  for (let k = 0; k < constraints.length; k++) {
    const c = constraints[k]!;
    const s = c.column[r]!;
    if (s < 0 || (c.allowed.words[s >>> 5]! & (1 << (s & 31))) === 0) return false;
  }
  return true;
}

function fullWord(rowCount: number, start: number): number {
  const left = rowCount - start;
  return left >= 32 ? -1 : ((1 << left) - 1) | 0;
}

/** Distinct non-null symbols of `column` over `rows` (null = all rows). */
export function collectSymbols(column: Int32Array, rows: Bitset | null, symbolCount: number): Bitset {
  const out = new Bitset(symbolCount);
  const ow = out.words;
  if (rows === null) {
    for (let r = 0; r < column.length; r++) {
      const s = column[r]!;
      if (s >= 0) ow[s >>> 5]! |= 1 << (s & 31);
    }
    return out;
  }
  const rw = rows.words;
  for (let w = 0; w < rw.length; w++) {
    let word = rw[w]!;
    const start = w << 5;
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      const s = column[start + 31 - Math.clz32(low)]!;
      if (s >= 0) ow[s >>> 5]! |= 1 << (s & 31);
    }
  }
  return out;
}

/** Calls fn for each row of `rows` (null = all rows) in ascending order. */
export function forEachRow(rowCount: number, rows: Bitset | null, fn: (r: number) => void): void {
  if (rows === null) {
    for (let r = 0; r < rowCount; r++) fn(r);
    return;
  }
  rows.forEach(fn);
}
