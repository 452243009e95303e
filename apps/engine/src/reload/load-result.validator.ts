import { dualCell, type LoadResult, type LoadedTable } from '@trustzone/data-model';

/**
 * The worker is the least trusted process in the engine, so what it sends back is checked before
 * the engine stores it: shape, field-name uniqueness, equal column lengths and cell types.
 * A plain loop rather than a schema library: results can hold millions of cells.
 *
 * Dual cells (dates, formatted numbers) arrive as plain `{num, text}` objects (IPC structured
 * clone) and are rebuilt as frozen DualCells. The security table never holds duals (the loader
 * stores access-section values as upper-case text or plain numbers), so one there is refused.
 */
export function validateLoadResult(value: unknown): LoadResult | string {
  if (!isRecord(value)) return 'result is not an object';
  const { tables, sectionAccess, variables } = value;
  if (!Array.isArray(tables)) return 'result.tables is not an array';
  const names = new Set<string>();
  for (const t of tables) {
    const problem = tableProblem(t, true);
    if (problem) return problem;
    const name = (t as LoadedTable).name;
    if (names.has(name)) return `duplicate table name ${name}`;
    names.add(name);
  }
  if (sectionAccess !== null) {
    const problem = tableProblem(sectionAccess, false);
    if (problem) return `sectionAccess: ${problem}`;
  }
  if (!isRecord(variables) || Object.values(variables).some((v) => typeof v !== 'string')) return 'result.variables is not a string map';
  return { tables: tables as LoadedTable[], sectionAccess: sectionAccess as LoadedTable | null, variables: variables as Record<string, string> };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function tableProblem(t: unknown, allowDuals: boolean): string | null {
  if (!isRecord(t)) return 'table is not an object';
  const { name, fields, columns } = t;
  if (typeof name !== 'string' || name === '') return 'table without a name';
  if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f !== '')) return `table ${name}: bad fields`;
  if (new Set(fields).size !== fields.length) return `table ${name}: duplicate field names`;
  if (!Array.isArray(columns) || columns.length !== fields.length) return `table ${name}: columns do not match fields`;
  const rows = Array.isArray(columns[0]) ? columns[0].length : -1;
  for (const col of columns) {
    if (!Array.isArray(col) || col.length !== rows) return `table ${name}: columns of unequal length`;
    for (let r = 0; r < col.length; r++) {
      const c: unknown = col[r];
      if (c === null || typeof c === 'string' || (typeof c === 'number' && Number.isFinite(c))) continue;
      if (!allowDuals || !isWireDual(c)) return `table ${name}: invalid cell`;
      col[r] = dualCell(c.num, c.text);
    }
  }
  return null;
}

/** Exactly `{num, text}` with a finite number: nothing else rides along into the model. */
function isWireDual(c: unknown): c is { num: number; text: string } {
  if (!isRecord(c)) return false;
  const keys = Object.keys(c);
  return keys.length === 2 && typeof c['num'] === 'number' && Number.isFinite(c['num']) && typeof c['text'] === 'string';
}
