import { aggregate } from '../aggregation';
import type { AssociativeState } from '../associative-state';
import { DataModelError, DataModelErrorCode } from '../data-model.error';
import { resolveField } from '../field-resolver';
import { MAX_EXPRESSION_EVAL_MS } from '../limits';
import type { Cell } from '../loaded-table';
import type { DataModel } from '../model-types';
import { RowTupleIndex } from '../row-tuples';
import { TupleInterner } from '../tuple-interner';
import type { View } from '../view';
import type { ChartExpr } from './chart-ast';
import { emptyAggregate, type Group, reduceGroup } from './chart-aggregate';
import { chartSyntax } from './chart-lexer';
import { cubeRows } from './cube-rows';
import type { RowsState } from './rows-state';
import { cellText, type ScalarCompiler, type ScalarProgram, symbolCellValue } from './chart-scalar';
import { resolveSet } from './set-analysis';

type AggregateNode = Extract<ChartExpr, { kind: 'aggregate' }>;
type AggrNode = Extract<ChartExpr, { kind: 'aggr' }>;

/** A measure's values per cube row: numbers (NaN = null) on the fast path, cells otherwise. */
export type MeasureColumn = Float64Array | Cell[];

/** Where a measure is evaluated: the cube's rows and dimensions, and `$`, the session's state. */
export interface ChartEnv {
  model: DataModel;
  view: View;
  base: AssociativeState;
  dimFields: readonly number[];
  interner: TupleInterner;
  rowTuples: readonly number[];
  scalars: ScalarCompiler;
  /** performance.now() after which evaluation stops (MAX_EXPRESSION_EVAL_MS). */
  deadline: number;
  /** Record sets of the original model made to answer for calculated dimensions (default: as is). */
  derive?: (state: RowsState) => RowsState;
}

export function deadlineFromNow(): number {
  return performance.now() + MAX_EXPRESSION_EVAL_MS;
}

export function checkDeadline(env: { deadline: number }): void {
  if (performance.now() > env.deadline) throw new DataModelError(DataModelErrorCode.RESULT_TOO_LARGE, `expression evaluation exceeded ${MAX_EXPRESSION_EVAL_MS} ms`);
}

export function cellAt(col: MeasureColumn, i: number): Cell {
  if (col instanceof Float64Array) {
    const n = col[i]!;
    return Number.isNaN(n) ? null : n;
  }
  return col[i] ?? null;
}

/** Values of a measure on every row of the environment. */
export function evaluateMeasure(env: ChartEnv, expr: ChartExpr): MeasureColumn {
  const aggregates: AggregateNode[] = [];
  const tree = extractAggregates(expr, aggregates);
  const columns = aggregates.map((a) => evaluateAggregate(env, a));
  if (tree.kind === 'field' && columns.length === 1) return columns[0]!;
  const program = env.scalars(tree, aggregates.map((_, k) => `#${k}`));
  const out: Cell[] = new Array<Cell>(env.rowTuples.length);
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < columns.length; k++) program.set(k, cellAt(columns[k]!, i));
    out[i] = program.run();
  }
  return out;
}

/** The expression with each top-level aggregation replaced by input `#k` (k = its index). */
function extractAggregates(e: ChartExpr, out: AggregateNode[]): ChartExpr {
  switch (e.kind) {
    case 'aggregate':
      return { kind: 'field', name: `#${out.push(e) - 1}` };
    case 'unary':
      return { ...e, operand: extractAggregates(e.operand, out) };
    case 'binary':
      return { ...e, left: extractAggregates(e.left, out), right: extractAggregates(e.right, out) };
    case 'call':
      return { ...e, args: e.args.map((a) => extractAggregates(a, out)) };
    case 'aggr':
      throw chartSyntax('Aggr() is only allowed inside an aggregation');
    default:
      return e;
  }
}

/** Field names a record-level expression reads. */
export function fieldsOf(e: ChartExpr, out: Set<string> = new Set()): Set<string> {
  switch (e.kind) {
    case 'field':
      out.add(e.name);
      break;
    case 'unary':
      fieldsOf(e.operand, out);
      break;
    case 'binary':
      fieldsOf(e.left, out);
      fieldsOf(e.right, out);
      break;
    case 'call':
      e.args.forEach((a) => fieldsOf(a, out));
      break;
    default:
      break;
  }
  return out;
}

/**
 * The table an aggregation iterates: one that holds every field its arguments read (the first in
 * load order). An expression over fields of two tables is refused: Qlik would build their
 * cartesian association, which this engine does not (README).
 */
export function aggregateTable(model: DataModel, view: View, node: AggregateNode): { table: number; fields: number[]; names: string[] } {
  const names = new Set<string>();
  node.args.forEach((a) => fieldsOf(a, names));
  const list = [...names];
  const fields = list.map((n) => resolveField(model, view, n));
  if (fields.length === 0) throw chartSyntax('an aggregation must read at least one field');
  const table = model.fields[fields[0]!]!.tableIds.find((t) => fields.every((f) => model.fields[f]!.tableIds.includes(t)));
  if (table === undefined) throw chartSyntax('the fields of one aggregation must come from one table');
  return { table, fields, names: list };
}

function evaluateAggregate(env: ChartEnv, node: AggregateNode): MeasureColumn {
  checkDeadline(env);
  const { model } = env;
  const raw: RowsState = node.set === null ? env.base : resolveSet(node.set, env.base, env);
  const state = env.derive === undefined ? raw : env.derive(raw);
  const total = node.total;
  const positions = env.dimFields.map((_, i) => i).filter((i) => total === null || (total !== 'all' && total.includes(model.fields[env.dimFields[i]!]!.name)));
  const same = positions.length === env.dimFields.length;
  const interner = same ? env.interner : new TupleInterner(positions.length);
  const groupFields = positions.map((i) => env.dimFields[i]!);
  const empty = emptyAggregate(node.fn);
  const project = (t: number): number => {
    if (same) return t;
    let sub = TupleInterner.EMPTY;
    for (let j = 0; j < positions.length; j++) {
      const s = env.interner.symbol(t, positions[j]!);
      if (s < 0) return -1;
      sub = interner.merge(sub, interner.single(j, s, model.fields[groupFields[j]!]!.symbols.size));
    }
    return sub;
  };
  const arg = node.args[0]!;
  if (arg.kind === 'aggr') {
    if (node.args.length > 1) throw chartSyntax('Aggr() cannot be combined with further arguments of the aggregation');
    const groups = aggrGroups(env, arg, state, groupFields, interner);
    const perTuple = groups.map((g) => reduceGroup(node.fn, node.distinct, g, ''));
    return env.rowTuples.map((t) => {
      const g = project(t);
      return g >= 0 && g < perTuple.length ? (perTuple[g] ?? empty) : empty;
    });
  }
  const { table, fields, names } = aggregateTable(model, env.view, node);
  const pairs = new RowTupleIndex(model, state, groupFields, interner).pairs(table);
  checkDeadline(env);
  if (arg.kind === 'field' && node.args.length === 1 && (node.fn === 'sum' || node.fn === 'count' || node.fn === 'avg' || node.fn === 'min' || node.fn === 'max')) {
    // The hot path: one field, a numeric aggregation — no per-record cells at all.
    const fid = fields[0]!;
    const values = aggregate(node.fn, node.distinct, model.tables[table]!.columnByField.get(fid)!, model.fields[fid]!.symbols, pairs, interner.size);
    const out = new Float64Array(env.rowTuples.length);
    const none = empty === null ? Number.NaN : 0;
    const tuples = env.rowTuples;
    // Grouped by the chart's own dimensions (no TOTAL): a cube row's tuple is its group, no projection.
    if (same) for (let i = 0; i < out.length; i++) out[i] = values[tuples[i]!] ?? none;
    else {
      for (let i = 0; i < out.length; i++) {
        const g = project(tuples[i]!);
        out[i] = g >= 0 && g < values.length ? values[g]! : none;
      }
    }
    return out;
  }
  const columns = fields.map((f) => model.tables[table]!.columnByField.get(f)!);
  const symbols = fields.map((f) => model.fields[f]!.symbols);
  const compile = (e: ChartExpr): ScalarProgram => (e.kind === 'field' ? readInput(names.indexOf(e.name)) : env.scalars(e, names));
  const valueProgram = compile(arg);
  const weightArg = node.fn === 'firstsortedvalue' ? node.args[1] : node.fn === 'concat' ? node.args[2] : undefined;
  const weightProgram = weightArg === undefined ? null : compile(weightArg);
  const delimiterProgram = node.fn === 'concat' && node.args[1] !== undefined ? compile(node.args[1]) : null;
  let delimiter: string | null = null;
  const groups: (Group | undefined)[] = new Array<Group | undefined>(interner.size);
  for (let i = 0; i < pairs.length; i++) {
    if ((i & 0xffff) === 0xffff) checkDeadline(env);
    const r = pairs.rows[i]!;
    for (let k = 0; k < columns.length; k++) {
      const cell = symbolCellValue(symbols[k]!, columns[k]![r]!);
      valueProgram.set(k, cell);
      weightProgram?.set(k, cell);
      delimiterProgram?.set(k, cell);
    }
    const v = valueProgram.run();
    if (v === null) continue;
    if (delimiter === null && delimiterProgram !== null) delimiter = cellText(delimiterProgram.run()) ?? '';
    const g = pairs.tuples[i]!;
    let group = groups[g];
    if (group === undefined) groups[g] = group = { values: [], weights: weightProgram === null ? null : [] };
    group.values.push(v);
    if (weightProgram !== null) {
      const w = weightProgram.run();
      group.weights!.push(typeof w === 'number' ? w : w !== null && typeof w === 'object' ? w.num : Number.NaN);
    }
  }
  const perTuple = groups.map((g) => (g === undefined ? empty : reduceGroup(node.fn, node.distinct, g, delimiter ?? '')));
  return env.rowTuples.map((t) => {
    const g = project(t);
    return g >= 0 && g < perTuple.length ? (perTuple[g] ?? empty) : empty;
  });
}

/**
 * Aggr(measure, dims): the measure on every combination of the chart's grouping dimensions and
 * the Aggr dimensions that exists in the aggregation's set, grouped back onto the chart rows.
 * The virtual table is computed on the same (reduced) rows as everything else.
 */
function aggrGroups(env: ChartEnv, aggr: AggrNode, state: RowsState, groupFields: readonly number[], interner: TupleInterner): Group[] {
  const { model, view } = env;
  const own = aggr.dimensions.map((d) => resolveField(model, view, d));
  const innerFields = [...groupFields, ...own.filter((f) => !groupFields.includes(f))];
  const tables = measureTables(model, view, aggr.measure);
  const inner = cubeRows(model, state, innerFields, tables);
  const innerEnv: ChartEnv = { ...env, dimFields: innerFields, interner: inner.interner, rowTuples: inner.rowTuples };
  const values = evaluateMeasure(innerEnv, aggr.measure);
  const groups: Group[] = [];
  inner.rowTuples.forEach((t, j) => {
    let g = TupleInterner.EMPTY;
    for (let d = 0; d < groupFields.length; d++) g = interner.merge(g, interner.single(d, inner.interner.symbol(t, d), model.fields[groupFields[d]!]!.symbols.size));
    const v = cellAt(values, j);
    if (v === null) return;
    (groups[g] ??= { values: [], weights: null }).values.push(v);
  });
  return groups;
}

/** Tables the aggregations of a measure iterate (for the dimension combinations they can reach). */
export function measureTables(model: DataModel, view: View, e: ChartExpr, out: Set<number> = new Set()): number[] {
  switch (e.kind) {
    case 'aggregate':
      if (e.args[0]?.kind === 'aggr') measureTables(model, view, e.args[0].measure, out);
      else out.add(aggregateTable(model, view, e).table);
      break;
    case 'unary':
      measureTables(model, view, e.operand, out);
      break;
    case 'binary':
      measureTables(model, view, e.left, out);
      measureTables(model, view, e.right, out);
      break;
    case 'call':
      e.args.forEach((a) => measureTables(model, view, a, out));
      break;
    default:
      break;
  }
  return [...out];
}

/** A bare field needs no compiler: the program hands back the input itself (text, number or dual). */
function readInput(index: number): ScalarProgram {
  let value: Cell = null;
  return {
    set: (i, v) => {
      if (i === index) value = v;
    },
    run: () => value,
  };
}
