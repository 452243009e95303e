import { DataModelError, DataModelErrorCode } from '../data-model.error';

/*
 * Dollar-sign expansion of chart expressions, as Qlik does it before parsing: `$(name)` is replaced
 * by the variable's text, `$(=expr)` by the text of expr's value. Inner expansions come first, so
 * `$(v$(i))` and `$(=Max($(vField)))` work; a variable's text is itself expanded (Qlik nests). The
 * caller supplies both the lookup and the evaluator, so an `=…` is computed wherever the caller
 * computes (the engine: the user's reduced view, never the whole app).
 *
 * Bounded: nesting depth, a cycle (a variable reached again while expanding itself) is refused,
 * and the expanded text has a maximum length. A name no variable has expands to nothing (Qlik).
 */
export interface DollarExpansion {
  /** The variable's text; an `=` definition is the caller's to evaluate. undefined: no such variable. */
  variable(name: string): string | undefined;
  /** The text of an expression's value, computed on the caller's view. */
  evaluate(expression: string): string;
  maxDepth?: number;
  maxLength?: number;
  /** `=` evaluations one expansion may make (each is a whole aggregation over the view). */
  maxEvaluations?: number;
}

export const DEFAULT_EXPANSION_DEPTH = 16;
export const DEFAULT_EXPANSION_LENGTH = 200_000;
export const DEFAULT_EXPANSION_EVALUATIONS = 256;

const refuse = (message: string) => new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, message);

/** True when the text holds a `$(` at all (the common case has none and costs nothing more). */
export function hasDollarExpansion(text: string): boolean {
  return text.includes('$(');
}

export function expandDollars(text: string, x: DollarExpansion): string {
  if (!hasDollarExpansion(text)) return text;
  const maxDepth = x.maxDepth ?? DEFAULT_EXPANSION_DEPTH;
  const maxLength = x.maxLength ?? DEFAULT_EXPANSION_LENGTH;
  const maxEvaluations = x.maxEvaluations ?? DEFAULT_EXPANSION_EVALUATIONS;
  let evaluations = 0;
  const evaluate = (expression: string): string => {
    if (++evaluations > maxEvaluations) throw refuse(`dollar expansion evaluates more than ${maxEvaluations} expressions`);
    return x.evaluate(expression);
  };
  const check = (s: string) => {
    if (s.length > maxLength) throw refuse(`dollar expansion produced more than ${maxLength} characters`);
    return s;
  };

  const expand = (s: string, depth: number, stack: readonly string[]): string => {
    if (depth > maxDepth) throw refuse(`dollar expansion nested deeper than ${maxDepth}`);
    let out = '';
    let i = 0;
    while (i < s.length) {
      const at = s.indexOf('$(', i);
      if (at < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, at);
      const end = closingParen(s, at + 2);
      if (end < 0) throw refuse('dollar expansion without a closing parenthesis');
      const inner = expand(s.slice(at + 2, end), depth + 1, stack).trim();
      out += check(replacement(inner, depth, stack));
      check(out);
      i = end + 1;
    }
    return out;
  };

  const replacement = (inner: string, depth: number, stack: readonly string[]): string => {
    if (inner.startsWith('=')) return evaluate(inner.slice(1));
    const key = inner.toLowerCase();
    if (stack.includes(key)) throw refuse(`variable ${inner} refers to itself`);
    const value = x.variable(inner);
    if (value === undefined) return '';
    // A variable defined as an expression (`=…`) stands for its value; otherwise for its text.
    const text = expand(value, depth + 1, [...stack, key]);
    return text.trimStart().startsWith('=') ? evaluate(text.trimStart().slice(1)) : text;
  };

  return check(expand(text, 0, []));
}

/** Index of the `)` that closes a `$(` whose body starts at `from` (nested parentheses and quotes skipped). */
function closingParen(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === "'" || c === '"') {
      const close = s.indexOf(c, i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
