import { DataModelError, DataModelErrorCode } from './data-model.error';
import type { LoadedTable } from './loaded-table';
import type { DataField, DataModel, DataTable } from './model-types';
import type { SymbolTable } from './symbol-table';

export interface TablePart {
  name: string;
  rowCount: number;
  fieldIds: number[];
  columns: Int32Array[];
}

export interface FieldPart {
  name: string;
  symbols: SymbolTable;
}

/**
 * Turns columnar parts (from a reload or from a decoded payload) into a model: links fields to
 * tables, finds keys, refuses composite keys and circular references, and applies
 * HidePrefix/HideSuffix. One path for both sources, so a decoded payload gets the same checks.
 */
export function assembleModel(
  fieldParts: readonly FieldPart[],
  tableParts: readonly TablePart[],
  variables: Readonly<Record<string, string>>,
  securityTable: LoadedTable | null,
): DataModel {
  const fieldByName = new Map<string, number>();
  fieldParts.forEach((f, i) => {
    if (fieldByName.has(f.name)) throw invalid(`duplicate field name "${f.name}"`);
    fieldByName.set(f.name, i);
  });
  const tableByName = new Map<string, number>();
  const holders: number[][] = fieldParts.map(() => []);
  const tables: DataTable[] = tableParts.map((t, ti) => {
    if (t.name.length === 0) throw invalid('a table has an empty name');
    if (tableByName.has(t.name)) throw invalid(`duplicate table name "${t.name}"`);
    tableByName.set(t.name, ti);
    const columnByField = new Map<number, Int32Array>();
    t.fieldIds.forEach((fid, ci) => {
      const column = t.columns[ci];
      if (fid < 0 || fid >= fieldParts.length || column === undefined || column.length !== t.rowCount) {
        throw invalid(`table "${t.name}" has an inconsistent column`);
      }
      if (columnByField.has(fid)) throw invalid(`table "${t.name}" holds a field twice`);
      columnByField.set(fid, column);
      holders[fid]!.push(ti);
    });
    return { name: t.name, rowCount: t.rowCount, fieldIds: t.fieldIds, columns: t.columns, columnByField };
  });
  holders.forEach((ts, fid) => {
    if (ts.length === 0) throw invalid(`field "${fieldParts[fid]!.name}" is held by no table`);
  });
  checkAssociations(tables, fieldParts, holders);
  const hidden = hiddenTest(variables);
  const fields: DataField[] = fieldParts.map((f, i) => ({
    name: f.name,
    symbols: f.symbols,
    tableIds: holders[i]!,
    isKey: holders[i]!.length > 1,
    isHidden: hidden(f.name),
    isNumeric: allNumeric(f.symbols),
  }));
  return { tables, fields, fieldByName, tableByName, variables, securityTable };
}

/**
 * Two tables sharing two fields would need a synthetic key; we ask for a composite key instead.
 * A loop of associations (A–B–C–A) has no single meaning for propagation; Qlik breaks it by
 * loosening a table, we refuse it so the author decides.
 */
function checkAssociations(tables: DataTable[], fields: readonly FieldPart[], holders: number[][]): void {
  const shared = new Map<string, string[]>();
  holders.forEach((ts, fid) => {
    for (let a = 0; a < ts.length; a++) {
      for (let b = a + 1; b < ts.length; b++) {
        const key = `${ts[a]}:${ts[b]}`;
        const names = shared.get(key) ?? [];
        names.push(fields[fid]!.name);
        shared.set(key, names);
        if (names.length > 1) {
          throw new DataModelError(
            DataModelErrorCode.COMPOSITE_KEY,
            `tables "${tables[ts[a]!]!.name}" and "${tables[ts[b]!]!.name}" share fields ${names.map((n) => `"${n}"`).join(', ')}: ` +
              'build one composite key field (e.g. A & \'|\' & B AS KEY) and keep only that one in common',
          );
        }
      }
    }
  });
  // Union-find over tables and key fields: an edge joining two already-connected nodes is a loop.
  const parent = new Int32Array(tables.length + fields.length).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  holders.forEach((ts, fid) => {
    if (ts.length < 2) return;
    for (const t of ts) {
      const a = find(t);
      const b = find(tables.length + fid);
      if (a === b) {
        throw new DataModelError(
          DataModelErrorCode.CIRCULAR_REFERENCE,
          `field "${fields[fid]!.name}" closes a loop of associations through table "${tables[t]!.name}": rename a field to break it`,
        );
      }
      parent[a] = b;
    }
  });
}

function hiddenTest(variables: Readonly<Record<string, string>>): (name: string) => boolean {
  const lookup = (wanted: string): string => {
    for (const [k, v] of Object.entries(variables)) if (k.toLowerCase() === wanted) return v;
    return '';
  };
  const prefix = lookup('hideprefix');
  const suffix = lookup('hidesuffix');
  return (name) => (prefix !== '' && name.startsWith(prefix)) || (suffix !== '' && name.endsWith(suffix));
}

function allNumeric(symbols: SymbolTable): boolean {
  if (symbols.size === 0) return false;
  for (let i = 0; i < symbols.size; i++) if (!symbols.isNumeric(i)) return false;
  return true;
}

function invalid(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_INPUT, message);
}
