import type { Cell, EncodedColumn } from '@trustzone/data-model';
import { cellKey, isTrue, toStoredCell } from '../cell-value';
import { RowContext, type Compiled, type ScriptServices } from '../eval-context';
import { compileExpression, hasAggregation, type CompileScope } from '../expression-compiler';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import type { Expression } from '../script-ast';
import type { RowSource } from '../load-source.reader';
import type { ScriptLimits } from '../script-limits';
import { orderPermutation } from './order-by';
import type { LoadStage } from './statement-ast';

export type { RowSource };

/** Where a stage's rows go: columns to push to, plus the per-row bookkeeping of the destination. */
export interface StageSink {
  /** One column per output field, in output order. */
  columns: Cell[][];
  /** Per output field: a last transformation (access upper-casing, MAP … USING), or null. */
  transforms: readonly (((v: Cell) => Cell) | null)[];
  /** Columns of the destination this LOAD does not fill: padded with null row by row. */
  pad: readonly Cell[][];
  /** Per output field: the Exists() set to add values to, or null; asked once the expressions are compiled. */
  existsSets(): readonly (Set<string | number> | null)[];
  /** RowNo() of the first row this stage adds. */
  firstRowNo: number;
  /** Called before `n` rows are added: throws when a limit would be exceeded; reports progress. */
  admit(n: number): void;
  /**
   * Makes `column` the destination's k-th column (it is still empty): whole-column loads of a
   * source made for this LOAD (files, inline) hand their arrays over instead of copying them.
   */
  adopt?(k: number, column: Cell[]): void;
  /**
   * Makes the encoded columns (output order) the destination's whole content, if it is a new
   * empty table of exactly these fields; false when it is not (the caller then copies cells).
   */
  adoptEncoded?(columns: readonly EncodedColumn[]): boolean;
}

/** The output items of a stage with `*` expanded: a source column to copy, or an expression. */
export interface StageOutputs {
  names: string[];
  items: ({ copy: number; pos: SourcePosition } | { expr: Expression; pos: SourcePosition })[];
}

export function stageOutputs(stage: LoadStage, source: RowSource): StageOutputs {
  const out: StageOutputs = { names: [], items: [] };
  for (const item of stage.fields) {
    if ('kind' in item) {
      source.fields.forEach((name, i) => {
        out.names.push(name);
        out.items.push({ copy: i, pos: item.pos });
      });
    } else {
      const spec = item;
      const plain = spec.expr.kind === 'field' ? source.fields.indexOf(spec.expr.name) : -1;
      out.names.push(spec.name);
      out.items.push(plain >= 0 ? { copy: plain, pos: spec.pos } : { expr: spec.expr, pos: spec.pos });
    }
  }
  return out;
}

/** Composite key of several values (GROUP BY, DISTINCT): typed so 1 and '1' stay apart where they differ. */
export function tupleKey(values: readonly Cell[]): string {
  let key = '';
  for (const v of values) {
    const k = cellKey(v);
    key += k === null ? '\u0000n|' : typeof k === 'number' ? `\u0000#${k}|` : `\u0000$${k.length}:${k}|`;
  }
  return key;
}

export interface StageRun {
  stage: LoadStage;
  source: RowSource;
  outputs: StageOutputs;
  services: ScriptServices;
  limits: ScriptLimits;
  sink: StageSink;
}

/**
 * Evaluates one LOAD stage over its source into the sink: ORDER BY, then per record WHILE
 * repetitions and WHERE, then either the output expressions (SubField generators expanding a
 * record into several) or, with aggregations, one row per GROUP BY group. Field references were
 * resolved to column indexes when the expressions were compiled; the loop allocates nothing per
 * record beyond the cells it stores.
 */
export function runStage(run: StageRun): void {
  const { stage, source, outputs, services, limits, sink } = run;
  const index = new Map(source.fields.map((f, i) => [f, i] as const));
  const fieldIndex = (name: string) => index.get(name) ?? -1;
  const aggregating = stage.groupBy !== null || outputs.items.some((it) => 'expr' in it && hasAggregation(it.expr));
  for (const g of stage.groupBy ?? []) {
    if (!index.has(g.name)) throw ScriptError.at(ScriptErrorCode.Data, g.pos, `GROUP BY field "${g.name}" is not in the LOAD source`);
  }
  const generators: ((c: RowContext) => number)[] = [];
  const scope: CompileScope = {
    services,
    fieldIndex,
    fieldNames: source.fields,
    groupBy: aggregating ? new Set((stage.groupBy ?? []).map((g) => g.name)) : null,
    ...(aggregating ? {} : { generators }),
  };
  const rowScope: CompileScope = { services, fieldIndex, fieldNames: source.fields };
  const compiled: Compiled[] = outputs.items.map((it) => {
    if ('copy' in it) {
      const i = it.copy;
      if (aggregating && !scope.groupBy!.has(source.fields[i]!)) {
        throw ScriptError.at(ScriptErrorCode.Data, it.pos, `field "${source.fields[i]}" must be listed in GROUP BY or used inside an aggregation`);
      }
      return (c: RowContext) => c.columns[i]![c.row] ?? null;
    }
    return compileExpression(it.expr, scope);
  });
  const where = stage.where ? compileExpression(stage.where, rowScope) : null;
  const whileCond = stage.while ? compileExpression(stage.while, rowScope) : null;
  if (aggregating && whileCond) throw ScriptError.at(ScriptErrorCode.Data, stage.pos, 'WHILE cannot be combined with aggregations or GROUP BY');
  const order = stage.orderBy ? orderPermutation(source, stage.orderBy) : null;

  const c = new RowContext();
  const emitter = new Emitter(sink, sink.existsSets(), compiled, generators, c);
  if (!aggregating && !where && !whileCond && !order && generators.length === 0 && outputs.items.every((it) => 'copy' in it)) {
    emitter.copyColumns(source, outputs.items.map((it) => (it as { copy: number }).copy));
    return;
  }
  // Read only here: an encoded source (QVD) builds its per-cell columns on this first read.
  c.columns = source.columns;
  let iterations = 0;
  const groups = aggregating ? new Map<string, number[]>() : null;
  const groupCols = (stage.groupBy ?? []).map((g) => index.get(g.name)!);
  const keyBuffer: Cell[] = groupCols.map(() => null);
  for (let i = 0; i < source.rowCount; i++) {
    const r = order ? order[i]! : i;
    c.row = r;
    c.recNo = r + 1;
    for (let iter = 1; ; iter++) {
      if (++iterations > limits.maxLoadIterations) {
        throw ScriptError.at(ScriptErrorCode.Limit, stage.pos, `the LOAD evaluates more records than the limit maxLoadIterations (${limits.maxLoadIterations}); check its WHILE condition`);
      }
      c.iterNo = iter;
      if (whileCond && !isTrue(whileCond(c))) break;
      if (!where || isTrue(where(c))) {
        if (groups) {
          for (let k = 0; k < groupCols.length; k++) keyBuffer[k] = source.columns[groupCols[k]!]![r] ?? null;
          const key = tupleKey(keyBuffer);
          let rows = groups.get(key);
          if (!rows) groups.set(key, (rows = []));
          rows.push(r);
        } else {
          emitter.record();
        }
        c.prevRow = r;
      }
      if (!whileCond) break;
    }
  }
  if (groups) {
    // Without GROUP BY an aggregating LOAD is one group of every record (none: no row).
    for (const rows of groups.values()) {
      c.group = rows;
      c.row = rows[0]!;
      c.recNo = c.row + 1;
      emitter.row();
    }
    c.group = null;
  }
}

class Emitter {
  private added = 0;
  private readonly values: Cell[];

  constructor(
    private readonly sink: StageSink,
    private readonly existsSets: readonly (Set<string | number> | null)[],
    private readonly compiled: readonly Compiled[],
    private readonly generators: readonly ((c: RowContext) => number)[],
    private readonly c: RowContext,
  ) {
    this.values = compiled.map(() => null);
  }

  /** One source record: one row, or one per combination of SubField pieces. */
  record(): void {
    const gens = this.generators;
    if (gens.length === 0) {
      this.row();
      return;
    }
    const counts = gens.map((g) => Math.max(1, g(this.c)));
    const piece = new Array<number>(gens.length).fill(0);
    this.c.piece = piece;
    for (;;) {
      this.row();
      let k = gens.length - 1;
      while (k >= 0 && ++piece[k]! >= counts[k]!) piece[k--] = 0;
      if (k < 0) break;
    }
  }

  row(): void {
    const { sink, compiled, c, values } = this;
    sink.admit(1);
    c.rowNo = sink.firstRowNo + this.added++;
    // Every expression sees the table as it was before this row (Peek(-1) is the previous row).
    for (let k = 0; k < compiled.length; k++) values[k] = compiled[k]!(c);
    for (let k = 0; k < compiled.length; k++) {
      let v = toStoredCell(values[k]!);
      const t = sink.transforms[k];
      if (t) v = t(v);
      sink.columns[k]!.push(v);
      const set = this.existsSets[k];
      if (set && v !== null) set.add(cellKey(v)!);
    }
    for (const col of sink.pad) col.push(null);
  }

  /** `LOAD *` and plain field lists: whole columns, no per-row evaluation. */
  copyColumns(source: RowSource, from: readonly number[]): void {
    const { sink } = this;
    const n = source.rowCount;
    sink.admit(n);
    // Qlik's optimized load: whole encoded fields, untransformed, into a new table of exactly them.
    const encoded = source.encoded;
    if (encoded && sink.adoptEncoded && source.owned && sink.pad.length === 0 && new Set(from).size === from.length &&
      from.every((f, k) => !sink.transforms[k] && !this.existsSets[k] && sink.columns[k]!.length === 0) &&
      sink.adoptEncoded(from.map((f) => encoded[f]!))) {
      return;
    }
    const adopted = new Set<number>();
    for (let k = 0; k < from.length; k++) {
      const src = source.columns[from[k]!]!;
      const dst = sink.columns[k]!;
      const t = sink.transforms[k];
      const set = this.existsSets[k];
      if (sink.adopt && source.owned && !t && !set && dst.length === 0 && src.length === n && !adopted.has(from[k]!)) {
        adopted.add(from[k]!); // a column listed twice is copied the second time
        sink.adopt(k, src as Cell[]);
        continue;
      }
      for (let r = 0; r < n; r++) {
        const v = t ? t(src[r] ?? null) : (src[r] ?? null);
        dst.push(v);
        if (set && v !== null) set.add(cellKey(v)!);
      }
    }
    for (const col of sink.pad) for (let r = 0; r < n; r++) col.push(null);
  }
}
