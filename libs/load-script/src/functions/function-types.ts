import type { Cell } from '@trustzone/data-model';
import type { Compiled, RowContext, ScriptServices } from '../eval-context';
import type { SourcePosition } from '../load-script.error';
import type { Expression } from '../script-ast';

export type CallExpression = Extract<Expression, { kind: 'call' }>;

/** What a function sees when its call is compiled (once per statement, never per row). */
export interface CompileSite {
  node: CallExpression;
  services: ScriptServices;
  /** Compiles argument `i` in the caller's scope (aggregations: inside the aggregation). */
  arg(i: number): Compiled;
  /** Whether the call is evaluated with a current record (LOAD) rather than none (LET, IF). */
  hasRow: boolean;
  fail(message: string, at?: SourcePosition): never;
  /**
   * SubField(s, d) in a LOAD: reserves a generator slot. The LOAD asks `pieces` how many records
   * the current source record becomes and sets RowContext.piece[slot] for each.
   */
  generator(pieces: (c: RowContext) => number): number;
}

export type FunctionDef =
  /** Evaluates every argument, then applies (args are reused per call site: do not keep them). */
  | { kind: 'scalar'; min: number; max: number; apply(args: Cell[], s: ScriptServices): Cell }
  /** Controls its own evaluation: lazy arguments, field-name arguments, other records. */
  | { kind: 'special'; min: number; max: number; compile(site: CompileSite): Compiled }
  /** Over the records of the current GROUP BY group (RowContext.group). */
  | { kind: 'aggregate'; min: number; max: number; compile(site: CompileSite): Compiled };

export const scalar = (min: number, max: number, apply: (args: Cell[], s: ScriptServices) => Cell): FunctionDef => ({ kind: 'scalar', min, max, apply });
export const special = (min: number, max: number, compile: (site: CompileSite) => Compiled): FunctionDef => ({ kind: 'special', min, max, compile });

/** A name given as an argument: `Peek('Sales')`, `Exists(ID)`, `NoOfRows(vTable)`. */
export function nameArg(site: CompileSite, i: number): (c: RowContext) => string {
  const a = site.node.args[i];
  if (a?.kind === 'field' && site.services.variable(a.name) === undefined) {
    const name = a.name;
    return () => name;
  }
  if (a?.kind === 'string') {
    const name = a.value;
    return () => name;
  }
  const f = site.arg(i);
  return (c) => {
    const v = f(c);
    return v === null ? '' : typeof v === 'string' ? v : typeof v === 'number' ? String(v) : v.text;
  };
}
