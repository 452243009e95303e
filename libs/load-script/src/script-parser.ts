import { ScriptError, ScriptErrorCode } from './load-script.error';
import { buildBlocks, type Block } from './script/script-blocks';
import { sliceLocate } from './script/source-text';
import { splitStatements, type RawStatement, type SourceUnit } from './script/statement-splitter';
import { resolveLimits, type ScriptLimits } from './script-limits';
import type { Statement } from './statements/statement-ast';
import { parseStatements } from './statements/statement-parser';

/** A parsed script: its control structure, and every statement that needs no `$(…)` already parsed. */
export interface Script {
  unit: SourceUnit;
  blocks: Block[];
  /** Statements whose text holds no `$(`: parsed once, up front, so their errors show before anything runs. */
  parsed: Map<RawStatement, Statement[]>;
}

/**
 * Parses a load script: splits it into statements and control clauses, nests the control
 * structures, and parses every statement that does not depend on `$(…)` expansion. Statements
 * with `$(…)` are parsed when they run, after expansion, as Qlik does. Anything outside the
 * documented subset is a ScriptError with line and column.
 */
export function parseScript(text: string, limits: Partial<ScriptLimits> = {}): Script {
  const resolved = resolveLimits(limits);
  if (text.length > resolved.maxScriptChars) {
    throw new ScriptError(ScriptErrorCode.Limit, 1, 1, `script is longer than the limit maxScriptChars (${resolved.maxScriptChars})`);
  }
  return parseUnit(text, resolved);
}

export function parseUnit(text: string, limits: ScriptLimits): Script {
  const unit = splitStatements(text);
  const blocks = buildBlocks(unit);
  const parsed = new Map<RawStatement, Statement[]>();
  for (const raw of unit.statements) {
    if (raw.control !== null) continue;
    const code = unit.code.slice(raw.start, raw.end);
    if (code.includes('$(')) continue;
    parsed.set(raw, parseStatements(code, limits, sliceLocate(unit.lines, raw.start)));
  }
  return { unit, blocks, parsed };
}
