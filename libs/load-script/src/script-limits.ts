/**
 * Bounds on what one reload may consume. A script is user input: without bounds a tiny script
 * (a RESIDENT loop, a huge inline table, a deeply nested expression) could exhaust the engine.
 * Exceeding any of them is a ScriptError (code SCRIPT_LIMIT) that names the limit.
 */
export interface ScriptLimits {
  /** Characters of script text accepted by the parser. */
  maxScriptChars: number;
  /**
   * Statements and control clauses executed, loop iterations included: with the reload's time
   * limit this is what bounds `DO WHILE 1=1 … LOOP`.
   */
  maxStatements: number;
  /** Rows in any single table (after concatenation). */
  maxRowsPerTable: number;
  /** Cells (rows × fields) over all tables of the reload together. */
  maxTotalCells: number;
  /** Characters between the brackets of one `INLINE [ … ]`. */
  maxInlineChars: number;
  /** Nesting depth of one expression (parentheses, operators, function calls). */
  maxExpressionDepth: number;
  /** Characters of one file delivered by the file source. */
  maxFileChars: number;
  /** `progress` is called every this many rows of a LOAD (and at its end). */
  progressEvery: number;
  /** Milliseconds all SLEEP statements of a reload may wait in total. */
  maxSleepMs: number;
  /** Nesting of `$(Include=…)` files (an include including itself stops here). */
  maxIncludeDepth: number;
  /** Records × WHILE repetitions one LOAD may evaluate (WHILE 1=1 with a WHERE that drops every row). */
  maxLoadIterations: number;
  /** Characters of one variable's value, and of one statement after `$(…)` expansion. */
  maxVariableChars: number;
}

export const DEFAULT_SCRIPT_LIMITS: Readonly<ScriptLimits> = Object.freeze({
  maxScriptChars: 1_000_000,
  maxStatements: 10_000,
  maxRowsPerTable: 5_000_000,
  maxTotalCells: 50_000_000,
  maxInlineChars: 1_000_000,
  maxExpressionDepth: 64,
  maxFileChars: 256 * 1024 * 1024,
  progressEvery: 10_000,
  maxSleepMs: 60_000,
  maxIncludeDepth: 16,
  maxLoadIterations: 50_000_000,
  maxVariableChars: 1_000_000,
});

/** Merges overrides onto the defaults, refusing values that are not positive integers. */
export function resolveLimits(overrides: Partial<ScriptLimits> = {}): ScriptLimits {
  const limits: ScriptLimits = { ...DEFAULT_SCRIPT_LIMITS };
  for (const key of Object.keys(DEFAULT_SCRIPT_LIMITS) as (keyof ScriptLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`script limit ${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return limits;
}
