import type { LoadResult } from '@trustzone/data-model';
import { toText } from './cell-value';
import { ScriptError, ScriptErrorCode } from './load-script.error';
import { checkCompositeKeys, checkSectionAccess } from './model-checks';
import { resolveLimits } from './script-limits';
import { parseScript, type Script } from './script-parser';
import { BlockRunner } from './statements/block-runner';
import { ScriptRuntime, type ExecuteOptions } from './statements/script-runtime';
import { toLoadedTable } from './work-table';

export type { ExecuteOptions, StatementEvent } from './statements/script-runtime';

/** Parses and runs a script. Every failure is a ScriptError with line and column. */
export async function runScript(text: string, options: ExecuteOptions = {}): Promise<LoadResult> {
  return executeScript(parseScript(text, options.limits), options);
}

/** Runs a parsed script and returns the data model, the security table and the variables. */
export async function executeScript(script: Script, options: ExecuteOptions = {}): Promise<LoadResult> {
  const rt = new ScriptRuntime(resolveLimits(options.limits), options);
  await new BlockRunner(rt, script).run(script.blocks);
  // Mapping tables end with the script (they never reach the model); the rest is checked as a whole.
  const extra = rt.tables.accessTables()[1];
  if (extra) {
    throw ScriptError.at(ScriptErrorCode.Model, extra.origin,
      `Section Access ends with more than one table ("${rt.tables.accessTables().map((t) => t.name).join('", "')}"): join them into one security table or DROP the helpers`);
  }
  checkCompositeKeys(rt.tables.data());
  checkSectionAccess(rt.tables);
  const access = rt.tables.access();
  return {
    tables: rt.tables.data().map(toLoadedTable),
    sectionAccess: access ? toLoadedTable(access) : null,
    variables: Object.fromEntries([...rt.variables].map(([k, v]) => [k, toText(v)])),
  };
}
