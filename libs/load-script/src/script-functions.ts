import type { Cell } from '@trustzone/data-model';
import { toNumber, toText } from './cell-value';

/** Where the evaluator is: record number in the source and row number in the target (1-based). */
export interface RowPosition {
  recNo: number | null;
  rowNo: number | null;
}

export interface ScriptFunction {
  minArgs: number;
  maxArgs: number;
  /** Absent for `IF`, which the compiler evaluates lazily. */
  apply?: (args: Cell[], at: RowPosition) => Cell;
}

const str = (fn: (s: string) => Cell) => (args: Cell[]): Cell => (args[0] === null || args[0] === undefined ? null : fn(toText(args[0])));

/** Integer count argument; `null` when it is missing, not numeric or negative. */
function count(value: Cell | undefined): number | null {
  const n = value === undefined ? null : toNumber(value);
  return n === null || n < 0 ? null : Math.floor(n);
}

function left(args: Cell[]): Cell {
  const n = count(args[1]);
  return args[0] === null || n === null ? null : toText(args[0] ?? null).slice(0, n);
}

function right(args: Cell[]): Cell {
  const n = count(args[1]);
  if (args[0] === null || n === null) return null;
  const s = toText(args[0] ?? null);
  return n === 0 ? '' : s.slice(-n);
}

/** Mid(s, start[, n]): start is 1-based, as in Qlik. */
function mid(args: Cell[]): Cell {
  const start = count(args[1]);
  if (args[0] === null || start === null || start < 1) return null;
  const s = toText(args[0] ?? null);
  if (args.length < 3) return s.slice(start - 1);
  const n = count(args[2]);
  return n === null ? null : s.slice(start - 1, start - 1 + n);
}

/** Function names are case-insensitive; the keys are the canonical upper-case spelling. */
export const SCRIPT_FUNCTIONS: ReadonlyMap<string, ScriptFunction> = new Map<string, ScriptFunction>([
  ['UPPER', { minArgs: 1, maxArgs: 1, apply: str((s) => s.toUpperCase()) }],
  ['LOWER', { minArgs: 1, maxArgs: 1, apply: str((s) => s.toLowerCase()) }],
  ['TRIM', { minArgs: 1, maxArgs: 1, apply: str((s) => s.trim()) }],
  ['LEN', { minArgs: 1, maxArgs: 1, apply: (a) => toText(a[0] ?? null).length }],
  ['LEFT', { minArgs: 2, maxArgs: 2, apply: left }],
  ['RIGHT', { minArgs: 2, maxArgs: 2, apply: right }],
  ['MID', { minArgs: 2, maxArgs: 3, apply: mid }],
  // Num/Text with a format code would need Qlik's formatting engine; the subset has one argument.
  ['NUM', { minArgs: 1, maxArgs: 1, apply: (a) => toNumber(a[0] ?? null) }],
  ['TEXT', { minArgs: 1, maxArgs: 1, apply: (a) => (a[0] === null || a[0] === undefined ? null : toText(a[0])) }],
  ['IF', { minArgs: 2, maxArgs: 3 }],
  ['RECNO', { minArgs: 0, maxArgs: 0, apply: (_a, at) => at.recNo }],
  ['ROWNO', { minArgs: 0, maxArgs: 0, apply: (_a, at) => at.rowNo }],
]);
