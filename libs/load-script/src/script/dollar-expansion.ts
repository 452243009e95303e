import { ScriptError, ScriptErrorCode } from '../load-script.error';
import type { Locate } from './source-text';

/** What `$(…)` needs from the running script. */
export interface ExpansionHost {
  /** Text of variable `name`; undefined when it does not exist (it then expands to nothing, as in Qlik). */
  variableText(name: string): string | undefined;
  /** `$(#name)`: the variable's number with `.` as decimal separator; undefined when not numeric. */
  variableNumber(name: string): string | undefined;
  /** `$(=expression)`: the expression's value as text. `locate` maps offsets of `text`. */
  evaluate(text: string, locate: Locate): string;
}

export interface ExpandedText {
  text: string;
  /** Offsets of `text` → positions in the script; text an expansion inserted maps to its `$(`. */
  locate: Locate;
}

/** Variables may hold `$(…)` themselves; deeper chains are almost certainly a cycle. */
const MAX_DEPTH = 16;

interface Segment {
  outStart: number;
  /** Offset in the input for verbatim text; -1 for inserted text. */
  srcStart: number;
  /** Offset in the input of the `$(` that inserted the text. */
  anchor: number;
}

/**
 * Dollar-sign expansion, Qlik's text substitution that runs before a statement is parsed:
 * `$(name)`, `$(name(a, b))` with `$1`, `$2` placeholders, `$(=expression)`, `$(#name)`, nested
 * `$(v$(i))`. It applies everywhere in the statement (strings, brackets, inline data and file
 * paths included) except comments, which the splitter has already blanked.
 */
export function expandDollars(code: string, locate: Locate, host: ExpansionHost, maxChars: number, depth = 0): ExpandedText {
  if (!code.includes('$(')) return { text: code, locate };
  const segments: Segment[] = [];
  let out = '';
  let i = 0;
  const push = (text: string, srcStart: number, anchor: number) => {
    if (text.length === 0) return;
    segments.push({ outStart: out.length, srcStart, anchor });
    out += text;
    if (out.length > maxChars) {
      throw ScriptError.at(ScriptErrorCode.Limit, locate(anchor), `$( ) expansion is longer than the limit maxScriptChars (${maxChars})`);
    }
  };
  for (let j = code.indexOf('$(', i); j >= 0; j = code.indexOf('$(', i)) {
    push(code.slice(i, j), i, i);
    const close = matchingParen(code, j + 1);
    if (close < 0) throw ScriptError.at(ScriptErrorCode.Syntax, locate(j), 'unterminated $( … ) (missing ")")');
    if (depth >= MAX_DEPTH) throw ScriptError.at(ScriptErrorCode.Limit, locate(j), `$( ) expansions nest deeper than ${MAX_DEPTH} levels (a variable that refers to itself?)`);
    const innerLocate: Locate = (o) => locate(j + 2 + o);
    const inner = expandDollars(code.slice(j + 2, close), innerLocate, host, maxChars, depth + 1);
    let value = directive(inner, locate(j), host);
    if (value.includes('$(')) value = expandDollars(value, () => locate(j), host, maxChars, depth + 1).text;
    push(value, -1, j);
    i = close + 1;
  }
  push(code.slice(i), i, i);
  const text = out;
  return {
    text,
    locate: (offset) => {
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid]!.outStart <= offset) lo = mid;
        else hi = mid - 1;
      }
      const s = segments[lo];
      if (!s) return locate(code.length);
      return locate(s.srcStart < 0 ? s.anchor : s.srcStart + (offset - s.outStart));
    },
  };
}

/** The `)` closing the `(` at `open`; parentheses inside `'…'` strings do not count. */
function matchingParen(code: string, open: number): number {
  let depth = 0;
  for (let k = open; k < code.length; k++) {
    const ch = code[k];
    if (ch === "'") {
      const end = code.indexOf("'", k + 1);
      if (end < 0) return -1;
      k = end;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')' && --depth === 0) {
      return k;
    }
  }
  return -1;
}

function directive(inner: ExpandedText, at: { line: number; column: number }, host: ExpansionHost): string {
  const body = inner.text;
  const trimmed = body.trim();
  if (trimmed.startsWith('=')) {
    const offset = body.indexOf('=') + 1;
    return host.evaluate(body.slice(offset), (o) => inner.locate(offset + o));
  }
  if (/^(must_)?include\s*=/i.test(trimmed)) {
    throw ScriptError.at(ScriptErrorCode.Syntax, at, '$(Include=…) must be a statement of its own');
  }
  if (trimmed.startsWith('#')) return host.variableNumber(trimmed.slice(1).trim()) ?? '';
  // name(args): split by hand rather than by a regular expression (the text is the author's).
  const open = trimmed.indexOf('(');
  if (open > 0 && trimmed.endsWith(')')) {
    const template = host.variableText(trimmed.slice(0, open).trim()) ?? '';
    const args = splitArgs(trimmed.slice(open + 1, -1));
    return template.replace(/\$([1-9])/g, (m, d: string) => args[Number(d) - 1] ?? m);
  }
  return host.variableText(trimmed) ?? '';
}

/** Arguments of `$(name(a, b))`: split at commas outside parentheses and strings, trimmed. */
function splitArgs(text: string): string[] {
  const args: string[] = [];
  let depth = 0;
  let from = 0;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === "'") {
      const end = text.indexOf("'", k + 1);
      k = end < 0 ? text.length : end;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      args.push(text.slice(from, k).trim());
      from = k + 1;
    }
  }
  args.push(text.slice(from).trim());
  return args;
}
