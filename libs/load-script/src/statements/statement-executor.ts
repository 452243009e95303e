import { setTimeout as sleep } from 'node:timers/promises';
import { toNumber, toText } from '../cell-value';
import { ScriptError, ScriptErrorCode } from '../load-script.error';
import { storeTable } from '../table-store';
import type { WorkTable } from '../work-table';
import { executeLoadChain } from './load-executor';
import type { ScriptRuntime } from './script-runtime';
import type { Statement } from './statement-ast';
import { dropFields, dropTables, mapUsing, renameFields, renameFieldsUsing, renameTables, unmap } from './table-statements';

/** Runs one (non-control) statement. Preceding-load chains are assembled by the block runner. */
export async function executeStatement(stmt: Statement, rt: ScriptRuntime): Promise<void> {
  switch (stmt.kind) {
    case 'set':
      rt.setVariable(stmt.name, stmt.value, stmt.pos);
      return;
    case 'let':
      rt.setVariable(stmt.name, stmt.expr === null ? null : rt.evaluate(stmt.expr), stmt.pos);
      return;
    case 'section':
      rt.section = stmt.section;
      return;
    case 'load':
      await executeLoadChain([stmt], rt);
      return;
    case 'drop-tables':
      dropTables(stmt, rt);
      return;
    case 'drop-fields':
      dropFields(stmt, rt);
      return;
    case 'rename-tables':
      renameTables(stmt, rt);
      return;
    case 'rename-fields':
      renameFields(stmt.pairs, rt, true);
      return;
    case 'rename-fields-using':
      renameFieldsUsing(stmt, rt);
      return;
    case 'qualify':
      rt.addQualifyRules(stmt.patterns, stmt.on);
      return;
    case 'alias':
      for (const p of stmt.pairs) rt.aliases.set(p.from, p.to);
      return;
    case 'map-using':
      mapUsing(stmt, rt);
      return;
    case 'unmap':
      unmap(stmt, rt);
      return;
    case 'store':
      await store(stmt, rt);
      return;
    case 'trace':
      rt.options.onStatement?.({ kind: 'trace', line: stmt.pos.line, column: stmt.pos.column, text: stmt.text });
      return;
    case 'sleep': {
      const ms = toNumber(rt.evaluate(stmt.ms));
      if (ms === null || ms < 0) throw ScriptError.at(ScriptErrorCode.Data, stmt.pos, 'SLEEP needs a number of milliseconds');
      if (rt.sleptMs + ms > rt.limits.maxSleepMs) {
        throw ScriptError.at(ScriptErrorCode.Limit, stmt.pos, `SLEEP would wait longer than the limit maxSleepMs (${rt.limits.maxSleepMs} ms per reload)`);
      }
      rt.sleptMs += ms;
      await sleep(ms);
      return;
    }
    default:
      return assertNever(stmt);
  }
}

async function store(stmt: Extract<Statement, { kind: 'store' }>, rt: ScriptRuntime): Promise<void> {
  const table = rt.tables.get(stmt.table.name);
  if (!table) throw ScriptError.at(ScriptErrorCode.Data, stmt.table.pos, `STORE: no table named "${stmt.table.name}"`);
  let out: WorkTable = table;
  if (stmt.fields !== '*') {
    const columns = stmt.fields.map((f) => {
      const i = table.fields.indexOf(f.expr.kind === 'field' ? f.expr.name : f.name);
      if (i < 0) throw ScriptError.at(ScriptErrorCode.Data, f.pos, `STORE: table "${table.name}" has no field "${f.name}"`);
      return table.columns[i]!;
    });
    out = { ...table, fields: stmt.fields.map((f) => f.name), columns };
  }
  const ref = `lib://${stmt.connection}/${stmt.path}`;
  const stored = await storeTable(out, { connection: stmt.connection, path: stmt.path }, stmt.format, { sink: rt.options.sink, limits: rt.limits, pos: stmt.pos, delimiter: stmt.delimiter });
  rt.options.onStatement?.({ kind: 'trace', line: stmt.pos.line, column: stmt.pos.column, text: `stored ${stored.rows} rows of ${table.name} into ${ref}` });
}

function assertNever(stmt: never): never {
  throw new Error(`unhandled statement ${toText(JSON.stringify(stmt))}`);
}
