import { isConnectionName } from './lib-path';
import type { Script } from './script-parser';
import type { ScriptLimits } from './script-limits';

const LIB_REF = /lib:\/\/([^/\]\r\n'"]{1,128})\//gi;

/**
 * The data connections a script may read (`lib://<name>/…`), in order of first mention. The engine
 * grants the sandbox only these, so a connection the script never names (missing folder and all)
 * cannot fail its reload. Since a script now builds paths with `$(…)` and reads through FROM,
 * `$(Include=…)`, FileList() and STORE, every literal `lib://Name/` in its text counts — in strings,
 * SET values and comments too. A connection named only inside an included file, or only through
 * a variable (`lib://$(vConn)/…`), is not granted: the reload then fails at the statement that
 * reads it, naming it; mention it in the script (a comment will do) to grant it.
 */
export function usedConnections(script: Script | string, _limits?: Partial<ScriptLimits>): string[] {
  const text = typeof script === 'string' ? script : script.unit.text;
  const names: string[] = [];
  for (const m of text.matchAll(LIB_REF)) {
    const name = m[1]!;
    if (isConnectionName(name) && !names.includes(name)) names.push(name);
  }
  return names;
}
