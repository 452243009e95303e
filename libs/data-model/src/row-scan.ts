import { Bitset } from './bitset';
import { postingsOf, type RowPostings } from './row-postings';

/** Rows pass when their symbol in `column` is in `allowed`; a null (-1) never passes. */
export interface RowConstraint {
  readonly column: Int32Array;
  readonly allowed: Bitset;
}

/**
 * Rows of `base` (null = all `rowCount` rows) that pass every constraint: the hot path of reduction
 * and selection. Through a column's row groups when one constraint is selective (few rows hold its
 * allowed symbols), else by a scan of every candidate row. Both give the same rows; section access
 * rests on this function, and row-scan.spec.ts compares the two ways on random tables.
 */
export function filterRows(rowCount: number, base: Bitset | null, constraints: readonly RowConstraint[]): Bitset {
  return filterByPostings(rowCount, base, constraints) ?? scanRows(rowCount, base, constraints);
}

/**
 * The scan: builds the result word by word and tests a symbol with one shift and one mask, with a
 * dedicated loop for the common single-constraint case.
 */
export function scanRows(rowCount: number, base: Bitset | null, constraints: readonly RowConstraint[]): Bitset {
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

/**
 * The index lets a filter visit this share of the scan's candidate rows at most: a visited row costs
 * about what a scanned one does (one column read and a bit test or two), plus the read of the row id.
 */
const POSTINGS_SHARE = 0.5;

/**
 * The same rows as scanRows, found through the groups of the most selective constraint's column
 * (row-postings.ts): only the rows holding an allowed symbol are visited, each then tested against
 * `base` and the other constraints. Null when no column's groups are built yet or none is selective
 * enough to beat the scan.
 */
export function filterByPostings(rowCount: number, base: Bitset | null, constraints: readonly RowConstraint[]): Bitset | null {
  let budget = Math.floor(rowCount * POSTINGS_SHARE);
  let chosen = -1;
  let chosenPostings: RowPostings | null = null;
  for (let k = 0; k < constraints.length; k++) {
    const c = constraints[k]!;
    if (c.column.length !== rowCount) continue;
    const postings = postingsOf(c.column);
    if (postings === null) continue;
    const n = rowsOfAllowed(postings, c.allowed, budget);
    if (n <= budget) {
      budget = n;
      chosen = k;
      chosenPostings = postings;
    }
  }
  if (chosenPostings === null) return null;
  // Against the base's own rows, unless the groups hold fewer rows than the base has words (then
  // even a scan's walk over the words costs more, and counting the base would too).
  if (base !== null && budget > base.words.length && budget > base.count() * POSTINGS_SHARE) return null;
  const { offsets, rows } = chosenPostings;
  const others = constraints.filter((_, k) => k !== chosen);
  const out = new Bitset(rowCount);
  const ow = out.words;
  const bw = base?.words;
  eachAllowed(constraints[chosen]!.allowed, offsets.length - 1, (s) => {
    for (let i = offsets[s]!, end = offsets[s + 1]!; i < end; i++) {
      const r = rows[i]!;
      const bit = 1 << (r & 31);
      if (bw !== undefined && (bw[r >>> 5]! & bit) === 0) continue;
      if (others.length > 0 && !passesAll(others, r)) continue;
      ow[r >>> 5]! |= bit;
    }
    return true;
  });
  return out;
}

/** How many rows hold a symbol of `allowed`; stops counting past `limit` (returns limit + 1). */
function rowsOfAllowed(postings: RowPostings, allowed: Bitset, limit: number): number {
  const { offsets } = postings;
  let n = 0;
  eachAllowed(allowed, offsets.length - 1, (s) => (n += offsets[s + 1]! - offsets[s]!) <= limit);
  return n > limit ? limit + 1 : n;
}

/** Calls `visit` with each member of `allowed` below `symbols`, ascending, until it returns false. */
function eachAllowed(allowed: Bitset, symbols: number, visit: (s: number) => boolean): void {
  const aw = allowed.words;
  for (let w = 0, last = Math.min(aw.length, (symbols + 31) >>> 5); w < last; w++) {
    let word = aw[w]!;
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      const s = (w << 5) + 31 - Math.clz32(low);
      if (s >= symbols || !visit(s)) return;
    }
  }
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
