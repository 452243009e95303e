/**
 * Qlik's dual value: one number and the text it is shown as (dates, times, formatted numbers,
 * `Dual()`), as load scripts and QVD files produce them. The number drives sorting, arithmetic and
 * association; the text is what clients see. Frozen so a value shared by many rows of a column
 * cannot be changed through one of them.
 */
export interface DualCell {
  readonly num: number;
  readonly text: string;
}

export function dualCell(num: number, text: string): DualCell {
  return Object.freeze({ num, text });
}

export function isDualCell(v: unknown): v is DualCell {
  return typeof v === 'object' && v !== null && typeof (v as DualCell).num === 'number' && typeof (v as DualCell).text === 'string';
}
