export { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
export { DEFAULT_SCRIPT_LIMITS, resolveLimits, type ScriptLimits } from './script-limits';
export type { ScriptFileSource } from './script-file-source';
export { isConnectionName, parseLibPath, type LibPath } from './lib-path';
export { parseScript } from './script-parser';
export { executeScript, runScript, type ExecuteOptions } from './script-executor';
export { SECTION_ACCESS_SYSTEM_FIELDS } from './model-checks';
export { textToCell } from './cell-value';
export type { Script, Statement, Expression, FieldSpec, LoadSource, FileFormat } from './script-ast';
