import type { Cell } from '@trustzone/data-model';
import { isTrue, toStoredCell } from './cell-value';
import { compileExpression, type CompiledExpression, type EvalRow } from './expression-compiler';
import { appendWholeSource } from './bulk-append';
import { ScriptError, ScriptErrorCode } from './load-script.error';
import { readLoadSource, referencedFieldNames, type SourceContext } from './load-source.reader';
import type { Statement } from './script-ast';
import { rowCount, type Section } from './work-table';

export type LoadStatement = Extract<Statement, { kind: 'load' }>;

export interface LoadContext extends SourceContext {
  section: Section;
  /** Cells over all tables so far; updated in place. */
  cells: { total: number };
  progress: ((table: string, rows: number) => void) | undefined;
}

interface Output {
  name: string;
  compute: CompiledExpression;
}

/** Runs one LOAD: read the source, resolve fields, evaluate per row, append to the target table. */
export async function executeLoad(stmt: LoadStatement, ctx: LoadContext): Promise<void> {
  const source = await readLoadSource(stmt.source, ctx, referencedFieldNames([stmt.fields, stmt.where]));
  const index = new Map(source.fields.map((f, i) => [f, i] as const));
  const resolve = (name: string, pos: LoadStatement['pos']): number => {
    const i = index.get(name);
    if (i !== undefined) return i;
    const known = source.fields.slice(0, 20).join(', ') + (source.fields.length > 20 ? ', …' : '');
    throw ScriptError.at(ScriptErrorCode.Data, pos, `field "${name}" not found in the LOAD source (fields: ${known})`);
  };
  const outputs: Output[] = stmt.fields === '*'
    ? source.fields.map((name, i) => ({ name, compute: (row: EvalRow) => row.get(i) }))
    : stmt.fields.map((spec) => ({ name: spec.name, compute: compileExpression(spec.expr, resolve) }));
  const where = stmt.where ? compileExpression(stmt.where, resolve) : null;

  const access = ctx.section === 'access';
  // Section access: every column name and value is upper-cased (section-access.md, "Upper case").
  const names = outputs.map((o) => (access ? o.name.toUpperCase() : o.name));
  const seen = new Set<string>();
  names.forEach((n, k) => {
    if (seen.has(n)) {
      const at = stmt.fields === '*' ? stmt.pos : (stmt.fields[k]?.pos ?? stmt.pos);
      throw ScriptError.at(ScriptErrorCode.Data, at, `field "${n}" appears twice in this LOAD`);
    }
    seen.add(n);
  });

  const target = ctx.tables.target(ctx.section, names, stmt.label, stmt.pos);
  if (stmt.fields === '*' && !where && !access) {
    appendWholeSource(source, target, ctx, stmt.pos);
    return;
  }
  const columns = names.map((n) => {
    const col = target.columns[target.fields.indexOf(n)];
    if (!col) throw new Error(`target table lacks field ${n}`); // target() guarantees the same field set
    return col;
  });
  const { maxRowsPerTable, maxTotalCells, progressEvery } = ctx.limits;
  const count = source.rowCount;
  let r = 0;
  const sourceColumns = source.columns;
  const row: EvalRow = { recNo: 0, rowNo: 0, get: (f) => sourceColumns[f]?.[r] ?? null };
  let added = 0;
  for (; r < count; r++) {
    row.recNo = r + 1;
    row.rowNo = rowCount(target) + 1;
    if (where && !isTrue(where(row))) continue;
    if (rowCount(target) >= maxRowsPerTable) {
      throw ScriptError.at(ScriptErrorCode.Limit, stmt.pos, `table "${target.name}" exceeds the limit maxRowsPerTable (${maxRowsPerTable})`);
    }
    ctx.cells.total += columns.length;
    if (ctx.cells.total > maxTotalCells) {
      throw ScriptError.at(ScriptErrorCode.Limit, stmt.pos, `the reload exceeds the limit maxTotalCells (${maxTotalCells})`);
    }
    for (let k = 0; k < columns.length; k++) {
      let value: Cell = outputs[k]!.compute(row);
      if (access && typeof value === 'string') value = value.toUpperCase();
      columns[k]!.push(toStoredCell(value));
    }
    if (++added % progressEvery === 0) ctx.progress?.(target.name, rowCount(target));
  }
  ctx.progress?.(target.name, rowCount(target));
}
