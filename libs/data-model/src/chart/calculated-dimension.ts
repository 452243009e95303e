import type { Bitset } from '../bitset';
import { resolveField } from '../field-resolver';
import type { DataField, DataModel, DataTable } from '../model-types';
import { collectSymbols } from '../row-scan';
import { SymbolTable } from '../symbol-table';
import type { View } from '../view';
import type { ChartExpr } from './chart-ast';
import { checkDeadline, fieldsOf } from './chart-eval';
import { chartSyntax } from './chart-lexer';
import { parseChartExpression } from './chart-parser';
import { cellNumber, cellText, type ScalarCompiler, symbolCellValue } from './chart-scalar';
import type { RowsState } from './rows-state';

/**
 * A calculated dimension (`=Upper(NAME)`, `=If(AMOUNT > 100, 'big', 'small')`): a record-level
 * expression over the fields of one table, evaluated on the rows of that table the view shows, and
 * added to a copy of the model as one more field of that table — so cubes, sorting and set
 * analysis treat it like any field. Rows outside the view get no value: the derived symbols are
 * drawn from visible rows only. Aggregations inside a dimension (Qlik's `=Aggr(…)`) are refused.
 */
export interface DerivedModel {
  model: DataModel;
  /** Field ids of the cube's dimensions in the derived model. */
  dimFields: number[];
  /** Wraps a record set of the original model so it answers for the derived fields too. */
  derive(state: RowsState): RowsState;
}

export function deriveDimensions(model: DataModel, view: View, dimensions: readonly string[], scalars: ScalarCompiler, deadline: { deadline: number }): DerivedModel {
  let tables = model.tables;
  const fields: DataField[] = [...model.fields];
  const fieldByName = new Map(model.fieldByName);
  const derivedTable = new Map<number, number>();
  const dimFields = dimensions.map((d) => {
    if (typeof d !== 'string' || !d.trim().startsWith('=')) return resolveField(model, view, d);
    const expr = rowLevel(parseChartExpression(d.trim()));
    const names = [...fieldsOf(expr)];
    const ids = names.map((n) => resolveField(model, view, n));
    if (ids.length === 0) throw chartSyntax('a calculated dimension must read at least one field');
    const tableId = model.fields[ids[0]!]!.tableIds.find((t) => ids.every((f) => model.fields[f]!.tableIds.includes(t)));
    if (tableId === undefined) throw chartSyntax('the fields of a calculated dimension must come from one table');
    const table = model.tables[tableId]!;
    const program = expr.kind === 'field' ? null : scalars(expr, names);
    const columns = ids.map((f) => table.columnByField.get(f)!);
    const symbolsOf = ids.map((f) => model.fields[f]!.symbols);
    const column = new Int32Array(table.rowCount).fill(-1);
    const texts: string[] = [];
    const nums: number[] = [];
    const index = new Map<string, number>();
    let n = 0;
    const visit = (r: number): void => {
      if ((++n & 0xffff) === 0) checkDeadline(deadline);
      let v;
      if (program === null) v = symbolCellValue(symbolsOf[0]!, columns[0]![r]!);
      else {
        for (let k = 0; k < ids.length; k++) program.set(k, symbolCellValue(symbolsOf[k]!, columns[k]![r]!));
        v = program.run();
      }
      if (v === null) return;
      const num = cellNumber(v);
      const text = cellText(v)!;
      const key = Number.isNaN(num) ? `s${text}` : `n${num}`;
      let s = index.get(key);
      if (s === undefined) {
        s = texts.push(text) - 1;
        nums.push(num);
        index.set(key, s);
      }
      column[r] = s;
    };
    const rows = view.rowSet(tableId);
    if (rows === null) for (let r = 0; r < table.rowCount; r++) visit(r);
    else rows.forEach(visit);
    const fid = fields.length;
    fields.push({ name: d, symbols: SymbolTable.fromValues(texts, Float64Array.from(nums)), tableIds: [tableId], isKey: false, isHidden: false, isNumeric: nums.length > 0 && nums.every((x) => !Number.isNaN(x)) });
    fieldByName.set(d, fid);
    const t: DataTable = tables[tableId]!;
    const next: DataTable = { ...t, fieldIds: [...t.fieldIds, fid], columns: [...t.columns, column], columnByField: new Map([...t.columnByField, [fid, column]]) };
    tables = tables.map((x, i) => (i === tableId ? next : x));
    derivedTable.set(fid, tableId);
    return fid;
  });
  if (derivedTable.size === 0) return { model, dimFields, derive: (s) => s };
  const derived: DataModel = { ...model, tables, fields, fieldByName };
  return { model: derived, dimFields, derive: (s) => new DerivedRows(derived, s, derivedTable) };
}

/** Bare fields back to record reads (the parser read them as Only() outside an aggregation). */
function rowLevel(e: ChartExpr): ChartExpr {
  switch (e.kind) {
    case 'aggregate':
      if (e.fn === 'only' && e.set === null && e.total === null && !e.distinct && e.args[0]?.kind === 'field') return e.args[0];
      throw chartSyntax('aggregations in a calculated dimension are not supported');
    case 'unary':
      return { ...e, operand: rowLevel(e.operand) };
    case 'binary':
      return { ...e, left: rowLevel(e.left), right: rowLevel(e.right) };
    case 'call':
      return { ...e, args: e.args.map(rowLevel) };
    default:
      return e;
  }
}

/** A record set of the original model that also answers for the derived fields (same tables, same rows). */
class DerivedRows implements RowsState {
  private readonly cache = new Map<number, Bitset>();
  constructor(
    readonly model: DataModel,
    private readonly base: RowsState,
    private readonly derivedTable: ReadonlyMap<number, number>,
  ) {}
  get view(): View {
    return this.base.view;
  }
  tableRows(tableId: number): Bitset | null {
    return this.base.tableRows(tableId);
  }
  possibleSymbols(fieldId: number): Bitset | null {
    const t = this.derivedTable.get(fieldId);
    if (t === undefined) return this.base.possibleSymbols(fieldId);
    let out = this.cache.get(fieldId);
    if (out === undefined) {
      out = collectSymbols(this.model.tables[t]!.columnByField.get(fieldId)!, this.base.tableRows(t) ?? this.base.view.rowSet(t), this.model.fields[fieldId]!.symbols.size);
      this.cache.set(fieldId, out);
    }
    return out;
  }
}
