import type { Cell } from '@trustzone/data-model';
import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import type { RowSource } from './load-source.reader';
import type { ScriptLimits } from './script-limits';
import { rowCount, type WorkTable } from './work-table';

/**
 * Qlik's "optimized load": `LOAD * FROM …` with no WHERE outside Section Access copies the source
 * columns as they are — their cells are already stored values (file readers and resident tables
 * produce them), so there is nothing to evaluate per row. Bounds and progress are the same as the
 * row-by-row path: the limits are checked before anything is appended, and progress is reported
 * at the same row counts.
 */
export function appendWholeSource(source: RowSource, target: WorkTable, ctx: { limits: ScriptLimits; cells: { total: number }; progress: ((table: string, rows: number) => void) | undefined }, pos: SourcePosition): void {
  const { maxRowsPerTable, maxTotalCells, progressEvery } = ctx.limits;
  const base = rowCount(target);
  const count = source.rowCount;
  if (base + count > maxRowsPerTable) {
    throw ScriptError.at(ScriptErrorCode.Limit, pos, `table "${target.name}" exceeds the limit maxRowsPerTable (${maxRowsPerTable})`);
  }
  if (ctx.cells.total + count * source.fields.length > maxTotalCells) {
    throw ScriptError.at(ScriptErrorCode.Limit, pos, `the reload exceeds the limit maxTotalCells (${maxTotalCells})`);
  }
  ctx.cells.total += count * source.fields.length;
  source.fields.forEach((name, k) => {
    const f = target.fields.indexOf(name);
    const from = source.columns[k]!;
    if (base === 0 && source.owned && from.length === count) {
      target.columns[f] = from as Cell[]; // a fresh array nobody else holds: adopt it
      return;
    }
    const to = target.columns[f]!;
    for (let r = 0; r < count; r++) to.push(from[r]!);
  });
  for (let k = progressEvery; k <= count; k += progressEvery) ctx.progress?.(target.name, base + k);
  ctx.progress?.(target.name, base + count);
}
