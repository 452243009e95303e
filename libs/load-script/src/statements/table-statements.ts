import { toText } from '../cell-value';
import { ScriptError, ScriptErrorCode } from '../load-script.error';
import { rowCount, type WorkTable } from '../work-table';
import type { ScriptRuntime } from './script-runtime';
import type { Statement } from './statement-ast';

type Of<K extends Statement['kind']> = Extract<Statement, { kind: K }>;

function dropTable(table: WorkTable, rt: ScriptRuntime): void {
  rt.cells.total -= rowCount(table) * table.fields.length;
  rt.tables.remove(table);
}

export function dropTables(stmt: Of<'drop-tables'>, rt: ScriptRuntime): void {
  for (const ref of stmt.tables) {
    const table = rt.tables.get(ref.name);
    if (!table) throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, `DROP TABLE: no table named "${ref.name}"`);
    dropTable(table, rt);
  }
  rt.exists.invalidate();
}

/** DROP FIELD x [FROM T]: from T, or from every table holding x; a table left without fields goes too. */
export function dropFields(stmt: Of<'drop-fields'>, rt: ScriptRuntime): void {
  const scope = stmt.tables?.map((ref) => {
    const t = rt.tables.get(ref.name);
    if (!t) throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, `DROP FIELD: no table named "${ref.name}"`);
    return t;
  });
  for (const { name: field } of stmt.fields) {
    const holders = (scope ?? rt.tables.all()).filter((t) => t.fields.includes(field));
    if (holders.length === 0) {
      const where = scope === undefined ? 'any table' : `table ${scope.map((t) => `"${t.name}"`).join(', ')}`;
      throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, `DROP FIELD: field "${field}" is not in ${where}`);
    }
    for (const table of holders) {
      if (table.fields.length === 1) {
        dropTable(table, rt);
        continue;
      }
      const i = table.fields.indexOf(field);
      rt.cells.total -= rowCount(table);
      table.fields.splice(i, 1);
      table.columns.splice(i, 1);
    }
  }
  rt.exists.invalidate();
}

export function renameTables(stmt: Of<'rename-tables'>, rt: ScriptRuntime): void {
  for (const pair of stmt.pairs) {
    const table = rt.tables.get(pair.from);
    if (!table) throw ScriptError.at(ScriptErrorCode.Data, pair.pos, `RENAME TABLE: no table named "${pair.from}"`);
    if (pair.from === pair.to) continue;
    if (rt.tables.get(pair.to)) throw ScriptError.at(ScriptErrorCode.Model, pair.pos, `RENAME TABLE: a table named "${pair.to}" already exists`);
    table.name = pair.to;
  }
}

/** RENAME FIELD a TO b: in every table; a table that has both a and b refuses the rename. */
export function renameFields(pairs: readonly { from: string; to: string; pos: { line: number; column: number } }[], rt: ScriptRuntime, strict: boolean): void {
  for (const pair of pairs) {
    const holders = rt.tables.all().filter((t) => t.fields.includes(pair.from));
    if (holders.length === 0) {
      if (strict) throw ScriptError.at(ScriptErrorCode.Data, pair.pos, `RENAME FIELD: no table has a field "${pair.from}"`);
      continue;
    }
    if (pair.from === pair.to) continue;
    for (const t of holders) {
      if (t.fields.includes(pair.to)) throw ScriptError.at(ScriptErrorCode.Model, pair.pos, `RENAME FIELD: table "${t.name}" already has a field "${pair.to}"`);
      t.fields[t.fields.indexOf(pair.from)] = pair.to;
    }
  }
  rt.exists.invalidate();
}

/** RENAME FIELDS USING map: every field whose name the mapping table maps (others stay). */
export function renameFieldsUsing(stmt: Of<'rename-fields-using'>, rt: ScriptRuntime): void {
  const map = rt.mappings.get(stmt.map.name);
  if (!map) throw ScriptError.at(ScriptErrorCode.Data, stmt.map.pos, `RENAME FIELDS USING: no mapping table named "${stmt.map.name}"`);
  const names = [...new Set(rt.tables.all().flatMap((t) => t.fields))];
  const pairs = names.flatMap((from) => {
    const to = map.get(from);
    return to === undefined || to === null ? [] : [{ from, to: toText(to), pos: stmt.pos }];
  });
  renameFields(pairs, rt, false);
}

export function mapUsing(stmt: Of<'map-using'>, rt: ScriptRuntime): void {
  if (!rt.mappings.has(stmt.map.name)) throw ScriptError.at(ScriptErrorCode.Data, stmt.map.pos, `MAP … USING: no mapping table named "${stmt.map.name}"`);
  for (const f of stmt.fields) rt.mapUsing.set(f, stmt.map.name);
}

export function unmap(stmt: Of<'unmap'>, rt: ScriptRuntime): void {
  if (stmt.fields === '*') rt.mapUsing.clear();
  else for (const f of stmt.fields) rt.mapUsing.delete(f);
}
