import type { Script } from './script-ast';
import { parseScript } from './script-parser';
import type { ScriptLimits } from './script-limits';

/**
 * The data connections a script reads (`lib://<name>/…`), in order of first use. The engine grants
 * the sandbox only these, so a connection the script never names (missing folder and all) cannot
 * fail its reload. A script that does not parse uses none: the worker reports the parse error.
 */
export function usedConnections(script: Script | string, limits?: Partial<ScriptLimits>): string[] {
  let parsed: Script;
  try {
    parsed = typeof script === 'string' ? parseScript(script, limits) : script;
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const s of parsed.statements) {
    if (s.kind === 'load' && s.source.kind === 'file' && !names.includes(s.source.connection)) names.push(s.source.connection);
  }
  return names;
}
