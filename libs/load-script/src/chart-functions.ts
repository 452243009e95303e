import { type Cell, type ChartExpr, DataModelError, DataModelErrorCode, type ScalarCompiler } from '@trustzone/data-model';
import { RowContext, type ScriptServices } from './eval-context';
import { compileExpression } from './expression-compiler';
import { DEFAULT_FORMATS } from './format/format-settings';
import { SCRIPT_FUNCTIONS } from './functions/function-table';
import { ScriptError } from './load-script.error';
import type { Expression } from './script-ast';

const AT = { line: 1, column: 1 };

/**
 * Functions a chart cannot call: they read the script's records, tables, files or mappings, which
 * do not exist when a chart is computed (aggregations are the data model's own).
 */
const SCRIPT_ONLY = new Set(['RECNO', 'ROWNO', 'ITERNO', 'PREVIOUS', 'PEEK', 'EXISTS', 'APPLYMAP', 'NOOFROWS', 'FIELDVALUECOUNT', 'FILENAME', 'FILEBASENAME', 'FILEEXTENSION', 'FILEPATH']);

/**
 * The chart side of the one scalar-function library: chart expressions are compiled by the very
 * compiler and function table load scripts use (If, Alt, Num, Date, Year, Left, …), over numbered
 * inputs instead of a LOAD's source fields. Errors come back as the data model's
 * INVALID_EXPRESSION, which the engine answers as a QIX calculation error.
 */
export function chartScalarCompiler(options: { now?: () => number } = {}): ScalarCompiler {
  const now = options.now ?? (() => Date.now());
  const services: ScriptServices = {
    formats: DEFAULT_FORMATS,
    // Rand() in a chart: not reproducible by design, like Qlik's.
    random: () => Math.random(),
    now,
    get reloadStart() {
      return now();
    },
    table: () => undefined,
    currentTable: () => undefined,
    mapping: () => undefined,
    exists: () => false,
    watchField: () => undefined,
    fieldValueCount: () => null,
    variable: () => undefined,
    fileName: null,
  };
  return (expr, inputs) => {
    const columns: Cell[][] = inputs.map(() => [null]);
    const index = new Map(inputs.map((name, i) => [name, i]));
    let compiled;
    try {
      compiled = compileExpression(toScript(expr), { services, fieldIndex: (name) => index.get(name) ?? -1, fieldNames: inputs, groupBy: null });
    } catch (err) {
      if (err instanceof ScriptError) throw new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, `Error in expression: ${err.message}`);
      throw err;
    }
    const ctx = new RowContext();
    ctx.columns = columns;
    ctx.row = 0;
    return {
      set: (i, v) => {
        columns[i]![0] = v;
      },
      run: () => compiled(ctx),
    };
  };
}

function toScript(e: ChartExpr): Expression {
  switch (e.kind) {
    case 'number':
    case 'string':
      return { kind: e.kind, value: e.value, pos: AT } as Expression;
    case 'field':
      return { kind: 'field', name: e.name, pos: AT };
    case 'unary':
      return { kind: 'unary', op: e.op, operand: toScript(e.operand), pos: AT };
    case 'binary':
      return { kind: 'binary', op: e.op, left: toScript(e.left), right: toScript(e.right), pos: AT };
    case 'call': {
      const def = SCRIPT_FUNCTIONS.get(e.name);
      if (def === undefined || SCRIPT_ONLY.has(e.name) || def.kind === 'aggregate') throw new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, `Error in expression: unknown function ${e.name}() in a chart expression`);
      if (e.args.length < def.min || e.args.length > def.max) throw new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, `Error in expression: ${e.name}() takes ${def.min === def.max ? def.min : `${def.min} to ${def.max}`} argument(s)`);
      return { kind: 'call', name: e.name, args: e.args.map(toScript), distinct: false, pos: AT };
    }
    case 'aggregate':
    case 'aggr':
      // evaluateMeasure replaces aggregations by inputs before compiling: this is a bug if reached.
      throw new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, 'Error in expression: an aggregation where a value was expected');
  }
}
