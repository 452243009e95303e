import type { Cell } from '@trustzone/data-model';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import { rowCount, type WorkTable } from '../work-table';
import { tupleKey } from './load-stage';

/** Columns with names: the rows a JOIN or KEEP brings in. */
export interface Columns {
  fields: string[];
  columns: Cell[][];
}

const count = (t: Columns) => t.columns[0]?.length ?? 0;

/** Row keys over the shared fields; null when a shared value is missing (null never matches). */
function keys(t: Columns, shared: readonly string[]): (string | null)[] {
  const cols = shared.map((f) => t.columns[t.fields.indexOf(f)]!);
  const n = count(t);
  const out: (string | null)[] = new Array(n);
  const buf: Cell[] = cols.map(() => null);
  for (let r = 0; r < n; r++) {
    let missing = false;
    for (let k = 0; k < cols.length; k++) {
      const v = cols[k]![r] ?? null;
      if (v === null) missing = true;
      buf[k] = v;
    }
    out[r] = missing ? null : tupleKey(buf);
  }
  return out;
}

function index(keyList: readonly (string | null)[]): Map<string, number[]> {
  const map = new Map<string, number[]>();
  keyList.forEach((k, r) => {
    if (k === null) return;
    const rows = map.get(k);
    if (rows) rows.push(r);
    else map.set(k, [r]);
  });
  return map;
}

/**
 * `[Left|Right|Inner|Outer] Join (T)`: a natural join on the fields both tables have (a cross join
 * when they share none), written back into T. Row order: T's rows in order, each followed by its
 * matches in load order; then (Right/Outer) the incoming rows nothing matched. The result size is
 * checked against maxRowsPerTable before anything is built.
 */
export function joinInto(target: WorkTable, incoming: Columns, how: 'outer' | 'left' | 'right' | 'inner', maxRows: number, pos: SourcePosition): void {
  const shared = incoming.fields.filter((f) => target.fields.includes(f));
  const added = incoming.fields.filter((f) => !target.fields.includes(f));
  const tk = keys(target, shared);
  const ik = keys(incoming, shared);
  const byKey = index(ik);
  const pairs: [number, number][] = [];
  const matched = new Uint8Array(count(incoming));
  const tn = rowCount(target);
  for (let r = 0; r < tn; r++) {
    const hits = tk[r] === null ? undefined : byKey.get(tk[r]!);
    if (hits) {
      for (const j of hits) {
        pairs.push([r, j]);
        matched[j] = 1;
      }
    } else if (how === 'left' || how === 'outer') {
      pairs.push([r, -1]);
    }
    if (pairs.length > maxRows) throw tooMany(target, maxRows, pos);
  }
  if (how === 'right' || how === 'outer') {
    for (let j = 0; j < matched.length; j++) if (!matched[j]) pairs.push([-1, j]);
  }
  if (pairs.length > maxRows) throw tooMany(target, maxRows, pos);
  const fromIncoming = (f: string) => incoming.columns[incoming.fields.indexOf(f)]!;
  const columns: Cell[][] = target.fields.map((f, i) => {
    const own = target.columns[i]!;
    const theirs = shared.includes(f) ? fromIncoming(f) : null;
    return pairs.map(([r, j]) => (r >= 0 ? (own[r] ?? null) : theirs ? (theirs[j] ?? null) : null));
  });
  for (const f of added) {
    const theirs = fromIncoming(f);
    columns.push(pairs.map(([, j]) => (j >= 0 ? (theirs[j] ?? null) : null)));
  }
  target.fields = [...target.fields, ...added];
  target.columns = columns;
}

function tooMany(target: WorkTable, maxRows: number, pos: SourcePosition): ScriptError {
  return ScriptError.at(ScriptErrorCode.Limit, pos, `the join into "${target.name}" exceeds the limit maxRowsPerTable (${maxRows})`);
}

/** Keeps only the rows of `t` whose shared-field values occur in `other` (every row when none are shared and other has rows). */
export function keepMatching(t: Columns, other: Columns): void {
  const shared = t.fields.filter((f) => other.fields.includes(f));
  let keep: boolean[];
  if (shared.length === 0) {
    keep = new Array<boolean>(count(t)).fill(count(other) > 0);
  } else {
    const present = new Set(keys(other, shared).filter((k): k is string => k !== null));
    keep = keys(t, shared).map((k) => k !== null && present.has(k));
  }
  t.columns = t.columns.map((col) => col.filter((_, r) => keep[r]));
}

/** DISTINCT: the first of each set of equal rows, in order. */
export function distinctRows(t: Columns): void {
  const n = count(t);
  const seen = new Set<string>();
  const keep: boolean[] = new Array(n);
  const buf: Cell[] = t.columns.map(() => null);
  for (let r = 0; r < n; r++) {
    for (let k = 0; k < t.columns.length; k++) buf[k] = t.columns[k]![r] ?? null;
    const key = tupleKey(buf);
    keep[r] = !seen.has(key);
    seen.add(key);
  }
  if (keep.every(Boolean)) return;
  t.columns = t.columns.map((col) => col.filter((_, r) => keep[r]));
}
