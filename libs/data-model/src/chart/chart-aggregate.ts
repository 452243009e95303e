import type { Cell } from '../loaded-table';
import type { ChartAggregateFn } from './chart-ast';
import { cellNumber, cellText } from './chart-scalar';

/** Values of one group of an aggregation, with the per-record sort weight where the function has one. */
export interface Group {
  values: Cell[];
  weights: number[] | null;
}

/** Identity of a value for DISTINCT, Only and Mode: by number when it has one, else by text. */
function key(c: Cell): string {
  const n = cellNumber(c);
  return Number.isNaN(n) ? `s${cellText(c)}` : `n${n}`;
}

/** What an aggregation over no record answers: Sum and Count 0, everything else null (as QIX). */
export function emptyAggregate(fn: ChartAggregateFn): Cell {
  return fn === 'sum' || fn === 'count' ? 0 : null;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One aggregation over the records of a group. Null values never count. Numeric functions ignore
 * texts; Count counts both. Concat joins texts in sort-weight order (text order without weights,
 * deterministic where Qlik uses load order). Mode and FirstSortedValue are null on a tie, as Qlik.
 */
export function reduceGroup(fn: ChartAggregateFn, distinct: boolean, g: Group, delimiter: string): Cell {
  let values = g.values;
  let weights = g.weights;
  if (distinct || fn === 'only') {
    const seen = new Set<string>();
    const keptValues: Cell[] = [];
    const keptWeights: number[] = [];
    values.forEach((v, i) => {
      const k = key(v);
      if (seen.has(k)) return;
      seen.add(k);
      keptValues.push(v);
      if (weights !== null) keptWeights.push(weights[i]!);
    });
    values = keptValues;
    weights = weights === null ? null : keptWeights;
  }
  if (values.length === 0) return emptyAggregate(fn);
  const nums = (): number[] => values.map(cellNumber).filter((n) => !Number.isNaN(n));
  switch (fn) {
    case 'count':
      return values.length;
    case 'sum':
      return nums().reduce((a, b) => a + b, 0);
    case 'avg': {
      const n = nums();
      return n.length === 0 ? null : n.reduce((a, b) => a + b, 0) / n.length;
    }
    case 'min':
    case 'max': {
      const n = nums();
      if (n.length === 0) return null;
      return n.reduce((a, b) => (fn === 'min' ? (b < a ? b : a) : b > a ? b : a));
    }
    case 'only':
      return values.length === 1 ? values[0]! : null;
    case 'minstring':
    case 'maxstring': {
      let best: Cell = null;
      let bestText = '';
      for (const v of values) {
        const t = cellText(v)!;
        if (best === null || (fn === 'minstring' ? t < bestText : t > bestText)) {
          best = v;
          bestText = t;
        }
      }
      return best;
    }
    case 'concat': {
      const order = values.map((_, i) => i);
      if (weights !== null) order.sort((a, b) => weights[a]! - weights[b]! || a - b);
      else order.sort((a, b) => compareText(cellText(values[a]!)!, cellText(values[b]!)!));
      return order.map((i) => cellText(values[i]!)).join(delimiter);
    }
    case 'median': {
      const n = nums().sort((a, b) => a - b);
      if (n.length === 0) return null;
      const mid = n.length >> 1;
      return n.length % 2 === 1 ? n[mid]! : (n[mid - 1]! + n[mid]!) / 2;
    }
    case 'stdev': {
      const n = nums();
      if (n.length < 2) return null;
      const mean = n.reduce((a, b) => a + b, 0) / n.length;
      return Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / (n.length - 1));
    }
    case 'mode': {
      const counts = new Map<string, { v: Cell; n: number }>();
      for (const v of values) {
        const k = key(v);
        const e = counts.get(k);
        if (e === undefined) counts.set(k, { v, n: 1 });
        else e.n++;
      }
      let best: { v: Cell; n: number } | null = null;
      let tie = false;
      for (const e of counts.values()) {
        if (best === null || e.n > best.n) {
          best = e;
          tie = false;
        } else if (e.n === best.n) tie = true;
      }
      return tie || best === null ? null : best.v;
    }
    case 'firstsortedvalue': {
      let best = -1;
      let tie = false;
      values.forEach((_, i) => {
        const w = weights![i]!;
        if (Number.isNaN(w)) return;
        if (best < 0 || w < weights![best]!) {
          best = i;
          tie = false;
        } else if (w === weights![best]! && key(values[i]!) !== key(values[best]!)) tie = true;
      });
      return best < 0 || tie ? null : values[best]!;
    }
  }
}
