import type { LoadResult } from '@trustzone/data-model';
import { toText } from './cell-value';
import { compileExpression } from './expression-compiler';
import { ScriptError, ScriptErrorCode } from './load-script.error';
import { executeLoad, type LoadContext } from './load-statement.executor';
import { checkCompositeKeys, checkSectionAccess } from './model-checks';
import type { Script, Statement } from './script-ast';
import type { ScriptFileSink, ScriptFileSource } from './script-file-source';
import { resolveLimits, type ScriptLimits } from './script-limits';
import { parseScript } from './script-parser';
import { rowCount, TableSet, toLoadedTable, type WorkTable } from './work-table';

export interface ExecuteOptions {
  /** Needed only for `FROM [lib://…]`; without it such LOADs fail with SCRIPT_FILE. */
  files?: ScriptFileSource;
  /** Needed only for `STORE … INTO [lib://…]` (storeTable); without it a STORE fails with SCRIPT_FILE. */
  sink?: ScriptFileSink;
  limits?: Partial<ScriptLimits>;
  /** Rows loaded so far into `table`: every `progressEvery` rows and at the end of each LOAD. */
  progress?: (table: string, rows: number) => void;
}

/** Parses and runs a script. Every failure is a ScriptError with line and column. */
export async function runScript(text: string, options: ExecuteOptions = {}): Promise<LoadResult> {
  return executeScript(parseScript(text, options.limits), options);
}

/** Runs a parsed script and returns the data model, the security table and the variables. */
export async function executeScript(script: Script, options: ExecuteOptions = {}): Promise<LoadResult> {
  const limits = resolveLimits(options.limits);
  const tables = new TableSet();
  const variables = new Map<string, string>();
  const ctx: LoadContext = { tables, files: options.files, limits, section: 'application', cells: { total: 0 }, progress: options.progress };
  let executed = 0;
  for (const stmt of script.statements) {
    if (++executed > limits.maxStatements) {
      throw ScriptError.at(ScriptErrorCode.Limit, stmt.pos, `more statements than the limit maxStatements (${limits.maxStatements})`);
    }
    await executeStatement(stmt, ctx, variables);
  }
  checkCompositeKeys(tables.data());
  checkSectionAccess(tables);
  const access = tables.access();
  return {
    tables: tables.data().map(toLoadedTable),
    sectionAccess: access ? toLoadedTable(access) : null,
    variables: Object.fromEntries(variables),
  };
}

async function executeStatement(stmt: Statement, ctx: LoadContext, variables: Map<string, string>): Promise<void> {
  switch (stmt.kind) {
    case 'set':
      variables.set(stmt.name, stmt.value);
      return;
    case 'let': {
      const compiled = compileExpression(stmt.expr, (name, pos) => {
        throw ScriptError.at(ScriptErrorCode.Data, pos, `LET cannot refer to field "${name}": there is no current row`);
      });
      variables.set(stmt.name, toText(compiled({ recNo: null, rowNo: null, get: () => null })));
      return;
    }
    case 'section':
      ctx.section = stmt.section;
      return;
    case 'load':
      await executeLoad(stmt, ctx);
      return;
    case 'drop-table': {
      const table = ctx.tables.get(stmt.table);
      if (!table) throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, `DROP TABLE: no table named "${stmt.table}"`);
      dropTable(table, ctx);
      return;
    }
    case 'drop-field':
      dropField(stmt, ctx);
      return;
    default:
      return assertNever(stmt);
  }
}

function dropTable(table: WorkTable, ctx: LoadContext): void {
  ctx.cells.total -= rowCount(table) * table.fields.length;
  ctx.tables.remove(table);
}

/** DROP FIELD x [FROM T]: from T, or from every table holding x; a table left without fields goes too. */
function dropField(stmt: Extract<Statement, { kind: 'drop-field' }>, ctx: LoadContext): void {
  let holders: WorkTable[];
  if (stmt.table !== null) {
    const table = ctx.tables.get(stmt.table);
    if (!table) throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, `DROP FIELD: no table named "${stmt.table}"`);
    holders = [table];
  } else {
    holders = ctx.tables.all().filter((t) => t.fields.includes(stmt.field));
  }
  if (!holders.some((t) => t.fields.includes(stmt.field))) {
    const where = stmt.table === null ? 'any table' : `table "${stmt.table}"`;
    throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, `DROP FIELD: field "${stmt.field}" is not in ${where}`);
  }
  for (const table of holders) {
    const i = table.fields.indexOf(stmt.field);
    if (table.fields.length === 1) {
      dropTable(table, ctx);
      continue;
    }
    ctx.cells.total -= rowCount(table);
    table.fields.splice(i, 1);
    table.columns.splice(i, 1);
  }
}

function assertNever(stmt: never): never {
  throw new Error(`unhandled statement ${JSON.stringify(stmt)}`);
}
