import { makeEncoded, type Cell } from '@trustzone/data-model';
import { cellKey, isDual, textToCell, toNumber } from '../cell-value';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import { readLoadSource, referencedFieldNames } from '../load-source.reader';
import { rowCount, type WorkTable } from '../work-table';
import { distinctRows, joinInto, keepMatching, type Columns } from './join';
import { runStage, stageOutputs, type RowSource, type StageOutputs, type StageSink } from './load-stage';
import type { ScriptRuntime } from './script-runtime';
import type { LoadStatement } from './statement-ast';

/**
 * Runs one LOAD with the preceding loads stacked on it (`chain[0]` is the top, the last one has
 * the source). Stages run bottom-up, each over the previous one's output; the top stage writes
 * into its destination: a table (new, auto-concatenated or CONCATENATE), a JOIN or KEEP partner,
 * or a mapping table.
 */
export async function executeLoadChain(chain: readonly LoadStatement[], rt: ScriptRuntime): Promise<void> {
  const top = chain[0]!;
  const bottom = chain[chain.length - 1]!;
  for (const s of chain.slice(1)) {
    if (s.label !== null || s.prefix.kind !== 'none') {
      throw ScriptError.at(ScriptErrorCode.Syntax, s.pos, 'a LOAD below a preceding LOAD cannot have a label or prefix (put them on the top LOAD)');
    }
  }
  let source = await readSource(bottom, rt);
  const fileName = bottom.input.kind === 'file' ? `lib://${bottom.input.connection}/${bottom.input.path}` : null;
  for (let k = chain.length - 1; k >= 1; k--) {
    const stmt = chain[k]!;
    const outputs = stageOutputs(stmt.stage, source);
    checkUnique(outputs.names, outputs, stmt.pos);
    const temp: Columns = { fields: outputs.names, columns: outputs.names.map(() => []) };
    runStage({ stage: stmt.stage, source, outputs, services: rt.services({ fileName }), limits: rt.limits, sink: tempSink(temp, rt, stmt.pos) });
    if (stmt.stage.distinct) distinctRows(temp);
    source = { fields: temp.fields, columns: temp.columns, rowCount: temp.columns[0]?.length ?? 0, owned: true };
  }
  const outputs = stageOutputs(top.stage, source);
  await deliver(top, source, outputs, rt, fileName);
}

async function readSource(stmt: LoadStatement, rt: ScriptRuntime): Promise<RowSource> {
  const input = stmt.input;
  switch (input.kind) {
    case 'preceding':
      throw ScriptError.at(ScriptErrorCode.Syntax, stmt.pos, 'this LOAD has no source (FROM, INLINE, RESIDENT or AUTOGENERATE) and no LOAD follows it to read from');
    case 'autogenerate': {
      const n = toNumber(rt.evaluate(input.count));
      if (n === null || !Number.isInteger(n) || n < 0) throw ScriptError.at(ScriptErrorCode.Data, input.pos, 'AUTOGENERATE needs a whole number of rows (0 or more)');
      if (n > rt.limits.maxRowsPerTable) throw ScriptError.at(ScriptErrorCode.Limit, input.pos, `AUTOGENERATE ${n} exceeds the limit maxRowsPerTable (${rt.limits.maxRowsPerTable})`);
      return { fields: [], columns: [], rowCount: n, owned: true };
    }
    default:
      // Fixed-record files take their columns from the names the LOAD mentions (@1:5).
      return readLoadSource(input, { tables: rt.tables, files: rt.options.files, limits: rt.limits }, referencedFieldNames(stmt.stage));
  }
}

function checkUnique(names: readonly string[], outputs: StageOutputs, fallback: SourcePosition): void {
  const seen = new Set<string>();
  names.forEach((n, k) => {
    if (seen.has(n)) throw ScriptError.at(ScriptErrorCode.Data, outputs.items[k]?.pos ?? fallback, `field "${n}" appears twice in this LOAD`);
    seen.add(n);
  });
}

/** Rows of an intermediate result (a preceding load's input, a JOIN/KEEP partner, a mapping). */
function tempSink(temp: Columns, rt: ScriptRuntime, pos: SourcePosition): StageSink {
  let rows = 0;
  return {
    columns: temp.columns,
    transforms: temp.fields.map(() => null),
    pad: [],
    existsSets: () => temp.fields.map(() => null),
    firstRowNo: 1,
    admit(n) {
      rows += n;
      if (rows > rt.limits.maxRowsPerTable) throw ScriptError.at(ScriptErrorCode.Limit, pos, `the LOAD exceeds the limit maxRowsPerTable (${rt.limits.maxRowsPerTable})`);
    },
  };
}

/** Access-section values are upper case; a dual keeps only its (upper-cased) text there. */
function accessValue(v: Cell): Cell {
  if (typeof v === 'string') return v.toUpperCase();
  if (isDual(v)) return textToCell(v.text.toUpperCase());
  return v;
}

async function deliver(top: LoadStatement, source: RowSource, outputs: StageOutputs, rt: ScriptRuntime, fileName: string | null): Promise<void> {
  const access = rt.section === 'access';
  const renamed = outputs.names.map((n) => rt.aliases.get(n) ?? n);
  const prefix = top.prefix;
  const run = (sink: StageSink, currentTable: WorkTable | null) =>
    runStage({ stage: top.stage, source, outputs, services: rt.services({ fileName, currentTable }), limits: rt.limits, sink });

  if (prefix.kind === 'mapping') {
    if (top.label === null) throw ScriptError.at(ScriptErrorCode.Syntax, top.pos, 'a MAPPING LOAD needs a label: the mapping table\'s name (Map1: MAPPING LOAD …)');
    if (renamed.length !== 2) throw ScriptError.at(ScriptErrorCode.Data, top.pos, `a MAPPING LOAD must have exactly two fields (value to map, result), this one has ${renamed.length}`);
    const temp: Columns = { fields: renamed, columns: [[], []] };
    run(tempSink(temp, rt, top.pos), null);
    const map = new Map<string | number, Cell>();
    const [from, to] = temp.columns as [Cell[], Cell[]];
    for (let r = 0; r < from.length; r++) {
      const k = cellKey(from[r] ?? null);
      if (k !== null && !map.has(k)) map.set(k, to[r] ?? null);
    }
    rt.cells.total += 2 * from.length;
    rt.mappings.set(top.label, map);
    return;
  }

  const names = access ? renamed.map((n) => n.toUpperCase()) : renamed;
  if (prefix.kind === 'join' || prefix.kind === 'keep') {
    checkUnique(names, outputs, top.pos);
    const target = partner(prefix.table, rt, top.pos, prefix.kind.toUpperCase());
    const temp: Columns = { fields: names, columns: names.map(() => []) };
    const before = rowCount(target) * target.fields.length;
    const sink = tempSink(temp, rt, top.pos);
    if (access) sink.transforms = names.map(() => accessValue);
    run(sink, null);
    if (top.stage.distinct) distinctRows(temp);
    if (prefix.kind === 'join') {
      joinInto(target, temp, prefix.how, rt.limits.maxRowsPerTable, top.pos);
      rt.cells.total += rowCount(target) * target.fields.length - before;
      checkCells(rt, top.pos);
      rt.tables.lastLoaded = target;
    } else {
      if (prefix.how !== 'left') keepMatching(target, temp);
      if (prefix.how !== 'right') keepMatching(temp, target);
      const table = rt.tables.create(rt.section, top.label, names, top.pos);
      table.columns = temp.columns;
      rt.cells.total += rowCount(target) * target.fields.length - before + rowCount(table) * names.length;
      checkCells(rt, top.pos);
      rt.tables.lastLoaded = table;
    }
    rt.exists.invalidate();
    rt.options.progress?.(rt.tables.lastLoaded!.name, rowCount(rt.tables.lastLoaded!));
    return;
  }

  // A table destination: new, auto-concatenated, or CONCATENATE.
  let finalNames = names;
  let target: WorkTable | undefined;
  if (prefix.kind === 'concatenate') {
    target = partner(prefix.table, rt, top.pos, 'CONCATENATE');
  } else {
    if (!access && rt.qualifyRules.length > 0) {
      const tableName = top.label ?? rt.tables.peekAutoName();
      finalNames = names.map((n) => rt.qualified(n, tableName));
    }
    checkUnique(finalNames, outputs, top.pos);
    if (prefix.kind === 'none') target = rt.tables.withFields(rt.section, finalNames);
  }
  checkUnique(finalNames, outputs, top.pos);
  if (!target) {
    target = rt.tables.create(rt.section, top.label, finalNames, top.pos);
  } else {
    for (const f of finalNames) {
      if (target.fields.includes(f)) continue;
      const rows = rowCount(target);
      target.fields.push(f);
      target.columns.push(new Array<Cell>(rows).fill(null));
      rt.cells.total += rows;
    }
    checkCells(rt, top.pos);
  }
  const table = target;
  const start = rowCount(table);
  const width = table.fields.length;
  let added = 0;
  const { maxRowsPerTable, maxTotalCells, progressEvery } = rt.limits;
  const progress = rt.options.progress;
  const sink: StageSink = {
    columns: finalNames.map((n) => table.columns[table.fields.indexOf(n)]!),
    transforms: finalNames.map((n) => (access ? accessValue : mapper(rt, n))),
    pad: table.fields.filter((f) => !finalNames.includes(f)).map((f) => table.columns[table.fields.indexOf(f)]!),
    existsSets: () => (access ? finalNames.map(() => null) : rt.exists.sets(finalNames)),
    firstRowNo: start + 1,
    admit(n) {
      if (start + added + n > maxRowsPerTable) {
        throw ScriptError.at(ScriptErrorCode.Limit, top.pos, `table "${table.name}" exceeds the limit maxRowsPerTable (${maxRowsPerTable})`);
      }
      rt.cells.total += n * width;
      if (rt.cells.total > maxTotalCells) throw ScriptError.at(ScriptErrorCode.Limit, top.pos, `the reload exceeds the limit maxTotalCells (${maxTotalCells})`);
      if (progress) {
        if (n === 1) {
          if ((added + 1) % progressEvery === 0) progress(table.name, start + added + 1);
        } else {
          for (let m = (Math.floor(added / progressEvery) + 1) * progressEvery; m <= added + n; m += progressEvery) progress(table.name, start + m);
        }
      }
      added += n;
    },
    adopt(k, column) {
      const f = table.fields.indexOf(finalNames[k]!);
      table.columns[f] = column;
      this.columns[k] = column;
    },
    adoptEncoded(columns) {
      if (start !== 0 || table.fields.length !== finalNames.length || added !== columns[0]?.indexes.length) return false;
      makeEncoded(table, table.fields.map((f) => columns[finalNames.indexOf(f)]!));
      return true;
    },
  };
  run(sink, table);
  if (top.stage.distinct) {
    const before = rowCount(table);
    distinctRows(table);
    rt.cells.total -= (before - rowCount(table)) * width;
    rt.exists.invalidate();
  }
  rt.tables.lastLoaded = table;
  progress?.(table.name, rowCount(table));
}

/** The table a JOIN, KEEP or CONCATENATE works on: the one named, else the last one loaded. */
function partner(ref: { name: string; pos: SourcePosition } | null, rt: ScriptRuntime, pos: SourcePosition, what: string): WorkTable {
  const t = ref ? rt.tables.get(ref.name) : rt.tables.lastLoaded;
  if (!t) {
    throw ScriptError.at(ScriptErrorCode.Data, ref?.pos ?? pos, ref ? `${what}: no table named "${ref.name}"` : `${what} without a table name needs a table loaded before it`);
  }
  return t;
}

/** MAP … USING: the mapping applied to a field's values as they are stored. */
function mapper(rt: ScriptRuntime, field: string): ((v: Cell) => Cell) | null {
  const name = rt.mapUsing.get(field) ?? rt.mapUsing.get('*');
  const map = name === undefined ? undefined : rt.mappings.get(name);
  if (!map) return null;
  return (v) => {
    const k = cellKey(v);
    const hit = k === null ? undefined : map.get(k);
    return hit === undefined ? v : hit;
  };
}

function checkCells(rt: ScriptRuntime, pos: SourcePosition): void {
  if (rt.cells.total > rt.limits.maxTotalCells) throw ScriptError.at(ScriptErrorCode.Limit, pos, `the reload exceeds the limit maxTotalCells (${rt.limits.maxTotalCells})`);
}
