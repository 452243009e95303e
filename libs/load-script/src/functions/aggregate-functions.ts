import type { Cell } from '@trustzone/data-model';
import { cellKey, toNumber, toText } from '../cell-value';
import type { Compiled, RowContext } from '../eval-context';
import type { CompileSite, FunctionDef } from './function-types';

/**
 * Aggregations of GROUP BY (or of a whole LOAD without GROUP BY): each runs its argument over the
 * records of the current group (RowContext.group) and puts the cursor back afterwards.
 */
function forEach(c: RowContext, arg: Compiled, visit: (v: Cell) => void): void {
  const group = c.group;
  if (!group) return;
  const here = c.row;
  for (let k = 0; k < group.length; k++) {
    c.row = group[k]!;
    visit(arg(c));
  }
  c.row = here;
}

const aggregate = (min: number, max: number, compile: (site: CompileSite, arg: Compiled) => Compiled): FunctionDef => ({
  kind: 'aggregate',
  min,
  max,
  compile: (site) => compile(site, site.arg(0)),
});

/** The distinct non-null values of the group when DISTINCT is written, else all non-null ones. */
function values(site: CompileSite, arg: Compiled): (c: RowContext) => Cell[] {
  const distinct = site.node.distinct;
  return (c) => {
    const out: Cell[] = [];
    const seen = distinct ? new Set<string | number>() : null;
    forEach(c, arg, (v) => {
      if (v === null) return;
      if (seen) {
        const k = cellKey(v)!;
        if (seen.has(k)) return;
        seen.add(k);
      }
      out.push(v);
    });
    return out;
  };
}

function numeric(site: CompileSite, arg: Compiled, fold: (ns: number[]) => Cell): Compiled {
  const all = values(site, arg);
  return (c) => {
    const ns: number[] = [];
    for (const v of all(c)) {
      const n = toNumber(v);
      if (n !== null) ns.push(n);
    }
    return fold(ns);
  };
}

const textCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const AGGREGATE_FUNCTIONS: Record<string, FunctionDef> = {
  /** Sum: 0 when no value is numeric (as Qlik). */
  SUM: aggregate(1, 1, (site, arg) => numeric(site, arg, (ns) => ns.reduce((a, b) => a + b, 0))),
  AVG: aggregate(1, 1, (site, arg) => numeric(site, arg, (ns) => (ns.length === 0 ? null : ns.reduce((a, b) => a + b, 0) / ns.length))),
  MIN: aggregate(1, 1, (site, arg) => numeric(site, arg, (ns) => (ns.length === 0 ? null : ns.reduce((a, b) => (b < a ? b : a))))),
  MAX: aggregate(1, 1, (site, arg) => numeric(site, arg, (ns) => (ns.length === 0 ? null : ns.reduce((a, b) => (b > a ? b : a))))),
  /** Count(x): non-null values; Count(DISTINCT x); Count(*) counts records. */
  COUNT: aggregate(1, 1, (site, arg) => {
    const all = values(site, arg);
    return (c) => all(c).length;
  }),
  /** Only: the value when the group holds exactly one distinct value, else null. */
  ONLY: aggregate(1, 1, (site, arg) => (c) => {
    let first: Cell = null;
    let key: string | number | null = null;
    let many = false;
    forEach(c, arg, (v) => {
      const k = cellKey(v);
      if (k === null || many) return;
      if (key === null) {
        key = k;
        first = v;
      } else if (k !== key) many = true;
    });
    return many ? null : first;
  }),
  /** Concat(expr[, delimiter[, sort_weight]]): in load order, or by ascending sort weight. */
  CONCAT: {
    kind: 'aggregate',
    min: 1,
    max: 3,
    compile: (site) => {
      const arg = site.arg(0);
      const delimiter = site.node.args.length > 1 ? site.arg(1) : () => '';
      const weight = site.node.args.length > 2 ? site.arg(2) : null;
      const distinct = site.node.distinct;
      return (c) => {
        const items: { text: string; w: number; k: number }[] = [];
        const seen = new Set<string>();
        const group = c.group ?? [];
        const here = c.row;
        for (let k = 0; k < group.length; k++) {
          c.row = group[k]!;
          const v = arg(c);
          if (v === null) continue;
          const text = toText(v);
          if (distinct && seen.has(text)) continue;
          seen.add(text);
          items.push({ text, w: weight ? (toNumber(weight(c)) ?? 0) : 0, k });
        }
        c.row = group.length > 0 ? group[0]! : here;
        const sep = toText(delimiter(c));
        c.row = here;
        if (weight) items.sort((a, b) => a.w - b.w || a.k - b.k);
        return items.map((i) => i.text).join(sep);
      };
    },
  },
  MINSTRING: aggregate(1, 1, (site, arg) => {
    const all = values(site, arg);
    return (c) => all(c).reduce<Cell>((best, v) => (best === null || textCompare(toText(v), toText(best)) < 0 ? v : best), null);
  }),
  MAXSTRING: aggregate(1, 1, (site, arg) => {
    const all = values(site, arg);
    return (c) => all(c).reduce<Cell>((best, v) => (best === null || textCompare(toText(v), toText(best)) > 0 ? v : best), null);
  }),
  FIRSTVALUE: aggregate(1, 1, (site, arg) => {
    const all = values(site, arg);
    return (c) => all(c)[0] ?? null;
  }),
  LASTVALUE: aggregate(1, 1, (site, arg) => {
    const all = values(site, arg);
    return (c) => {
      const v = all(c);
      return v[v.length - 1] ?? null;
    };
  }),
  NULLCOUNT: aggregate(1, 1, (_site, arg) => (c) => {
    let n = 0;
    forEach(c, arg, (v) => {
      if (v === null) n++;
    });
    return n;
  }),
};
