import type { Cell, LoadedTable, LoadResult } from '../loaded-table';

/**
 * Test helper: a table from INLINE-style text (header line, comma-separated rows). Cells are
 * trimmed; an empty cell is null; everything else stays text, as a CSV load delivers it.
 */
export function inline(name: string, text: string): LoadedTable {
  const lines = text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const fields = lines[0]!.split(',').map((f) => f.trim());
  const columns: Cell[][] = fields.map(() => []);
  for (const line of lines.slice(1)) {
    const cells = line.split(',').map((c) => c.trim());
    fields.forEach((_, i) => columns[i]!.push(cells[i] === undefined || cells[i] === '' ? null : cells[i]!));
  }
  return { name, fields, columns };
}

export function loadResult(tables: LoadedTable[], sectionAccess: LoadedTable | null = null, variables: Record<string, string> = {}): LoadResult {
  return { tables, sectionAccess, variables };
}
