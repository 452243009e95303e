import { read, utils, type CellObject, type WorkSheet } from '@e965/xlsx';
import type { Cell } from '@trustzone/data-model';
import { dualCell } from '@trustzone/data-model';
import { textToCell } from './cell-value';
import type { SourceRows } from './delimited-text';
import type { SpreadsheetFormat } from './file-format';

export class SpreadsheetError extends Error {
  constructor(
    message: string,
    readonly isLimit = false,
  ) {
    super(message);
  }
}

/**
 * A cell as Qlik loads it from Excel: text by the loader's number rule; a number shown with a
 * number format (a date, a percentage, a currency) as a dual of the number and the text Excel
 * shows; booleans as -1/0 duals; error values as their text.
 */
function excelCell(c: CellObject | undefined): Cell {
  if (!c) return null;
  switch (c.t) {
    case 'n': {
      const v = c.v as number;
      if (!Number.isFinite(v)) return null;
      const shown = c.w;
      return typeof c.z === 'string' && c.z !== 'General' && shown !== undefined && shown !== String(v) ? dualCell(v, shown) : v;
    }
    case 's':
      return textToCell(String(c.v));
    case 'b':
      return c.v ? dualCell(-1, 'TRUE') : dualCell(0, 'FALSE');
    case 'e':
      return c.w ?? null;
    default:
      return null;
  }
}

const cellText = (c: CellObject | undefined): string => (c ? (c.w ?? String(c.v ?? '')) : '').trim();

/**
 * `(ooxml, embedded labels, table is Sheet1)`: one sheet of an .xlsx workbook, read with SheetJS.
 * Only the wanted sheet is parsed and only up to the row limit (plus header rows), so a huge
 * workbook cannot make the reader hold more than the limit allows. Fields without a label (and all
 * fields with `no labels`) are named by column letter, as Qlik names them.
 */
export function parseSpreadsheet(bytes: Uint8Array, f: SpreadsheetFormat, maxRows: number): SourceRows {
  // .xlsx is a ZIP package; SheetJS would otherwise happily read CSV or HTML as a "workbook".
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) throw new SpreadsheetError('not an .xlsx workbook (no ZIP package)');
  let names: string[];
  try {
    names = read(bytes, { type: 'array', bookSheets: true }).SheetNames;
  } catch {
    throw new SpreadsheetError('not a readable .xlsx workbook');
  }
  const sheetName = f.table === null ? names[0] : names.find((n) => n === f.table) ?? names.find((n) => n.toLowerCase() === f.table!.toLowerCase());
  if (sheetName === undefined) throw new SpreadsheetError(`sheet "${f.table ?? ''}" not found (sheets: ${names.slice(0, 20).join(', ')})`);
  const labelRows = f.labels === 'none' ? 0 : 1;
  let sheet: WorkSheet | undefined;
  try {
    sheet = read(bytes, { type: 'array', dense: true, sheets: sheetName, cellNF: true, cellText: true, cellFormula: false, cellHTML: false, sheetRows: f.headerRows + labelRows + maxRows + 1 }).Sheets[sheetName];
  } catch {
    throw new SpreadsheetError(`sheet "${sheetName}" cannot be read`);
  }
  const data = (sheet?.['!data'] ?? []) as (CellObject[] | undefined)[];
  const range = sheet?.['!ref'] ? utils.decode_range(sheet['!ref']) : null;
  const width = range ? range.e.c + 1 : 0;
  const rows = data.slice(f.headerRows).filter((row) => row?.some((c) => c !== undefined && c.t !== 'z' && cellText(c) !== ''));
  const letters = Array.from({ length: width }, (_, c) => utils.encode_col(c));
  let fields = letters;
  if (labelRows === 1) {
    const header = rows.shift();
    fields = letters.map((letter, c) => cellText(header?.[c]) || letter);
    const dup = fields.find((n, i) => fields.indexOf(n) !== i);
    if (dup !== undefined) throw new SpreadsheetError(`field name "${dup}" appears twice in the label row`);
  }
  if (rows.length > maxRows) throw new SpreadsheetError(`more rows than the limit maxRowsPerTable (${maxRows})`, true);
  const columns: Cell[][] = fields.map((_, c) => rows.map((row) => excelCell(row?.[c])));
  return { fields, columns };
}
