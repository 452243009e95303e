import { formatNumber, NULL_TEXT } from './cell-value';
import type { Cell } from './loaded-table';
import type { SymbolTable } from './symbol-table';

/** Cell states as QIX names them: selected, optional (possible), alternative, excluded, excluded-selected, locked. */
export type CellState = 'S' | 'O' | 'A' | 'X' | 'XS' | 'L';

/** A hypercube or list cell in QIX shape. Non-numeric qNum is the string "NaN", as QIX sends it. */
export interface QixCell {
  qText: string;
  qNum: number | 'NaN';
  qElemNumber: number;
  qState: CellState;
}

/** A field value in the shape of QIX FieldValue (GetTableData, EvaluateEx). */
export interface FieldValue {
  qText: string;
  qIsNumeric: boolean;
  qNumber: number | 'NaN';
}

/** qElemNumber QIX uses for a null cell. */
export const NULL_ELEM_NUMBER = -2;

export function symbolCell(symbols: SymbolTable, s: number, state: CellState): QixCell {
  if (s < 0) return { qText: NULL_TEXT, qNum: 'NaN', qElemNumber: NULL_ELEM_NUMBER, qState: state };
  const n = symbols.num(s);
  return { qText: symbols.text(s), qNum: Number.isNaN(n) ? 'NaN' : n, qElemNumber: s, qState: state };
}

export function numberCell(n: number): QixCell {
  return Number.isNaN(n)
    ? { qText: NULL_TEXT, qNum: 'NaN', qElemNumber: 0, qState: 'L' }
    : { qText: formatNumber(n), qNum: n, qElemNumber: 0, qState: 'L' };
}

export function symbolValue(symbols: SymbolTable, s: number): FieldValue {
  if (s < 0) return { qText: NULL_TEXT, qIsNumeric: false, qNumber: 'NaN' };
  const n = symbols.num(s);
  return { qText: symbols.text(s), qIsNumeric: !Number.isNaN(n), qNumber: Number.isNaN(n) ? 'NaN' : n };
}

/** A computed value (a measure that may be text or dual) as a cube cell. */
export function cellValueCell(c: Cell): QixCell {
  if (c === null) return numberCell(Number.NaN);
  if (typeof c === 'number') return numberCell(c);
  if (typeof c === 'string') return { qText: c, qNum: 'NaN', qElemNumber: 0, qState: 'L' };
  return { qText: c.text, qNum: Number.isFinite(c.num) ? c.num : 'NaN', qElemNumber: 0, qState: 'L' };
}

/** A computed value as a QIX FieldValue (Evaluate/EvaluateEx). */
export function cellValue(c: Cell): FieldValue {
  const q = cellValueCell(c);
  return { qText: q.qText, qIsNumeric: q.qNum !== 'NaN', qNumber: q.qNum };
}
