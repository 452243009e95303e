import { cellValueCell, numberCell, type QixCell, SymbolTable, symbolCell } from '@trustzone/data-model';
import { afterEach, describe, expect, it } from 'vitest';
import { CUBE_CACHE } from './cube-cache';
import { cellJson, rowJson } from './cube-layout';

// Every kind of cell the data model makes: symbols (text, number, dual, null), measures (number,
// NaN, infinite, text, dual, null), with texts that need escaping and every state.
const symbols = SymbolTable.fromValues(['plain', 'quote " and \\ backslash', 'line\nbreak \u2028 é', '12.50', ''], Float64Array.from([Number.NaN, Number.NaN, Number.NaN, 12.5, Number.NaN]));
const cells: QixCell[] = [
  ...[0, 1, 2, 3, 4, -1].flatMap((s) => (['S', 'O', 'A', 'X', 'XS', 'L'] as const).map((st) => symbolCell(symbols, s, st))),
  numberCell(0), numberCell(-0), numberCell(1e21), numberCell(-3.25e-7), numberCell(Number.NaN), numberCell(Number.POSITIVE_INFINITY),
  cellValueCell('text "quoted"'), cellValueCell({ text: '1 Jan', num: 45292 }), cellValueCell({ text: 'x', num: Number.NaN }), cellValueCell(null), cellValueCell(42),
];

describe('cube rows as JSON (what GetHyperCubeData writes)', () => {
  afterEach(() => CUBE_CACHE.resize(64 * 1024 * 1024));

  it('writes each cell exactly as JSON.stringify does', () => {
    for (const c of cells) expect(cellJson(c)).toBe(JSON.stringify(c));
  });

  it('writes a row, frozen or not, with the cube cache on or off, as JSON.stringify does', () => {
    const row = cells.slice(0, 7);
    const frozen = Object.freeze(cells.slice(7).map((c) => Object.freeze({ ...c })));
    for (const budget of [64 * 1024 * 1024, 0]) {
      CUBE_CACHE.resize(budget);
      expect(rowJson(row)).toBe(JSON.stringify(row));
      expect(rowJson(frozen)).toBe(JSON.stringify(frozen));
      expect(rowJson(frozen)).toBe(JSON.stringify(frozen));
    }
  });
});
