import type { Cell } from '@trustzone/data-model';
import { textToCell } from './cell-value';
import type { SourceRows } from './delimited-text';

/**
 * `(json)` files: an array of flat objects. Fields are the union of keys in first-seen order; a
 * missing key is null. Strings follow the same number rule as text cells; booleans become the
 * text `true`/`false`. Nested objects or arrays are refused — the model is flat.
 * Returns an error message instead of throwing so the caller can attach the script position.
 */
export function parseJsonRows(text: string, maxRows: number): SourceRows | { error: string; isLimit?: boolean } {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    return { error: `invalid JSON: ${e instanceof Error ? e.message : 'parse error'}` };
  }
  if (!Array.isArray(data)) return { error: 'JSON file must contain an array of objects' };
  if (data.length > maxRows) return { error: `more rows than the limit maxRowsPerTable (${maxRows})`, isLimit: true };
  const index = new Map<string, number>();
  const fields: string[] = [];
  const columns: Cell[][] = [];
  for (let r = 0; r < data.length; r++) {
    const item: unknown = data[r];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return { error: `JSON element ${r} is not an object` };
    for (const [key, value] of Object.entries(item)) {
      if (key.trim() === '') return { error: `JSON element ${r} has an empty key` };
      let col = index.get(key);
      if (col === undefined) {
        col = fields.length;
        index.set(key, col);
        fields.push(key);
        columns.push(new Array<Cell>(r).fill(null)); // earlier elements lacked this key
      }
      const cell = jsonCell(value);
      if (cell === undefined) return { error: `JSON element ${r} key "${key}" is not a string, number, boolean or null` };
      columns[col]!.push(cell);
    }
    for (const column of columns) if (column.length === r) column.push(null); // key missing here
  }
  if (fields.length === 0) return { error: 'JSON file has no fields' };
  return { fields, columns };
}

function jsonCell(value: unknown): Cell | undefined {
  if (value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return textToCell(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return undefined;
}
