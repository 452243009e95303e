import type { Cell, LoadedTable } from '../loaded-table';

/**
 * Test oracle: the associative semantics computed the slow, obvious way over raw cells — no
 * symbols, no bitsets, no message passing. A row is possible when it passes the selections on its
 * own fields and, for every association, the branch behind it (if anything in that branch is
 * selected) holds a chain of rows that links to it and satisfies those selections.
 */
export type NaiveKey = string | null;

export function naiveKey(cell: Cell): NaiveKey {
  if (cell === null || cell === '') return null;
  if (typeof cell === 'number') return `n:${cell}`;
  if (typeof cell === 'object') return `n:${cell.num}`;
  const t = cell;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && Number.isFinite(Number(t))) return `n:${Number(t)}`;
  return `s:${t}`;
}

export class NaiveModel {
  constructor(
    readonly tables: readonly LoadedTable[],
    /** Visible row indexes per table (the view). */
    readonly visible: readonly ReadonlySet<number>[],
    /** Selected keys per field name. */
    readonly selections: ReadonlyMap<string, ReadonlySet<NaiveKey>>,
  ) {}

  value(t: number, r: number, field: string): NaiveKey {
    const table = this.tables[t]!;
    const i = table.fields.indexOf(field);
    return i < 0 ? null : naiveKey(table.columns[i]![r]!);
  }

  holders(field: string): number[] {
    return this.tables.map((t, i) => (t.fields.includes(field) ? i : -1)).filter((i) => i >= 0);
  }

  keyFields(t: number): string[] {
    return this.tables[t]!.fields.filter((f) => this.holders(f).length > 1);
  }

  localOk(t: number, r: number): boolean {
    for (const [field, keys] of this.selections) {
      if (!this.tables[t]!.fields.includes(field)) continue;
      const v = this.value(t, r, field);
      if (v === null || !keys.has(v)) return false;
    }
    return true;
  }

  /** Tables reachable from `t` without crossing field `via`. */
  branch(t: number, via: string): Set<number> {
    const seen = new Set([t]);
    const stack: [number, string][] = [[t, via]];
    while (stack.length > 0) {
      const [u, from] = stack.pop()!;
      for (const f of this.keyFields(u)) {
        if (f === from) continue;
        for (const x of this.holders(f)) {
          if (seen.has(x)) continue;
          seen.add(x);
          stack.push([x, f]);
        }
      }
    }
    return seen;
  }

  constrained(t: number, via: string): boolean {
    const tables = this.branch(t, via);
    for (const field of this.selections.keys()) {
      if (field === via) continue;
      if (this.holders(field).some((h) => tables.has(h))) return true;
    }
    return false;
  }

  /** Some visible row of `t` with `via` = v that passes its own filters and its other branches. */
  exists(t: number, via: string, v: NaiveKey): boolean {
    if (v === null) return false;
    for (const r of this.visible[t]!) {
      if (this.value(t, r, via) !== v || !this.localOk(t, r)) continue;
      if (this.branchesOk(t, r, via)) return true;
    }
    return false;
  }

  branchesOk(t: number, r: number, except: string | null): boolean {
    for (const f of this.keyFields(t)) {
      if (f === except) continue;
      for (const u of this.holders(f)) {
        if (u === t) continue;
        if (this.constrained(u, f) && !this.exists(u, f, this.value(t, r, f))) return false;
      }
    }
    return true;
  }

  possibleRows(t: number): number[] {
    return [...this.visible[t]!].filter((r) => this.localOk(t, r) && this.branchesOk(t, r, null)).sort((a, b) => a - b);
  }

  possibleValues(field: string): Set<NaiveKey> {
    const out = new Set<NaiveKey>();
    for (const t of this.holders(field)) for (const r of this.possibleRows(t)) out.add(this.value(t, r, field));
    out.delete(null);
    return out;
  }

  /** Shortest path of tables from `from` to the nearest table holding `field` (BFS). */
  pathTo(from: number, field: string): { tables: number[]; keys: string[] } | null {
    const prev = new Map<number, { t: number; key: string }>();
    const queue = [from];
    const seen = new Set([from]);
    while (queue.length > 0) {
      const t = queue.shift()!;
      if (this.tables[t]!.fields.includes(field)) {
        const tables = [t];
        const keys: string[] = [];
        let cur = t;
        while (prev.has(cur)) {
          const p = prev.get(cur)!;
          keys.unshift(p.key);
          tables.unshift(p.t);
          cur = p.t;
        }
        return { tables, keys };
      }
      for (const f of this.keyFields(t)) {
        for (const u of this.holders(f)) {
          if (seen.has(u)) continue;
          seen.add(u);
          prev.set(u, { t, key: f });
          queue.push(u);
        }
      }
    }
    return null;
  }

  /** Values of `field` that possible row `r` of `t` associates with through possible rows. */
  associatedValues(t: number, r: number, field: string): Set<NaiveKey> | 'all' {
    const path = this.pathTo(t, field);
    if (path === null) return 'all';
    const possible = path.tables.map((u) => new Set(this.possibleRows(u)));
    let frontier = new Set([r]);
    for (let i = 1; i < path.tables.length; i++) {
      const key = path.keys[i - 1]!;
      const prevT = path.tables[i - 1]!;
      const u = path.tables[i]!;
      const keys = new Set([...frontier].map((x) => this.value(prevT, x, key)).filter((k): k is string => k !== null));
      frontier = new Set([...possible[i]!].filter((x) => keys.has(this.value(u, x, key) ?? '')));
    }
    const last = path.tables[path.tables.length - 1]!;
    return new Set([...frontier].map((x) => this.value(last, x, field)).filter((k) => k !== null));
  }
}

/**
 * Dimension tuples (JSON of value keys, in dimension order) that possible row `r` of table `t`
 * associates with, by brute force: every choice of one possible row per table on the paths from
 * `t` to the dimensions' tables, keeping the choices whose linked keys agree. Dimensions in a
 * part of the model not linked to `t` combine with every tuple that part has on its own.
 */
export function naiveTuples(n: NaiveModel, t: number, r: number, dims: readonly string[]): Set<string> {
  const linked: number[] = [];
  const unlinked: number[] = [];
  const paths = dims.map((d, i) => {
    const p = n.pathTo(t, d);
    (p === null ? unlinked : linked).push(i);
    return p;
  });
  const tables = [...new Set(linked.flatMap((i) => paths[i]!.tables))].filter((u) => u !== t);
  const choices = tables.map((u) => n.possibleRows(u));
  const out = new Set<string>();
  const pick = new Map<number, number>([[t, r]]);
  const consistent = (): boolean =>
    linked.every((i) => {
      const p = paths[i]!;
      for (let k = 1; k < p.tables.length; k++) {
        const a = n.value(p.tables[k - 1]!, pick.get(p.tables[k - 1]!)!, p.keys[k - 1]!);
        if (a === null || a !== n.value(p.tables[k]!, pick.get(p.tables[k]!)!, p.keys[k - 1]!)) return false;
      }
      return true;
    });
  const partials: NaiveKey[][] = [];
  const walk = (k: number): void => {
    if (k === tables.length) {
      if (!consistent()) return;
      const values = linked.map((i) => n.value(paths[i]!.tables.at(-1)!, pick.get(paths[i]!.tables.at(-1)!)!, dims[i]!));
      if (values.every((v) => v !== null)) partials.push(values);
      return;
    }
    for (const row of choices[k]!) {
      pick.set(tables[k]!, row);
      walk(k + 1);
    }
  };
  walk(0);
  // Unlinked dimensions: tuples of their own component, from the first table holding the first one.
  let others: NaiveKey[][] = [[]];
  if (unlinked.length > 0) {
    const sub = unlinked.map((i) => dims[i]!);
    const home = n.holders(sub[0]!)[0]!;
    const found = new Set<string>();
    if (sub.length === 1) n.possibleValues(sub[0]!).forEach((v) => found.add(JSON.stringify([v])));
    else for (const row of n.possibleRows(home)) naiveTuples(n, home, row, sub).forEach((x) => found.add(x));
    others = [...found].map((x) => JSON.parse(x) as NaiveKey[]);
  }
  for (const p of partials) {
    for (const o of others) {
      const tuple: NaiveKey[] = new Array<NaiveKey>(dims.length);
      linked.forEach((i, k) => (tuple[i] = p[k]!));
      unlinked.forEach((i, k) => (tuple[i] = o[k]!));
      out.add(JSON.stringify(tuple));
    }
  }
  return out;
}
