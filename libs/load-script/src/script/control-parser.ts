import { ExpressionParser } from '../expression-parser';
import type { SourcePosition } from '../load-script.error';
import type { Expression } from '../script-ast';
import { tokenize } from '../script-lexer';
import { describe, TokenStream } from '../token-stream';
import type { Locate } from './source-text';

export type ForEachItem =
  | { kind: 'value'; expr: Expression }
  /** FileList('lib://conn/dir/*.csv'): the matching files, as `lib://` references. */
  | { kind: 'file-list'; pattern: Expression; pos: SourcePosition }
  /** FieldValueList('Field'): the field's distinct values so far. */
  | { kind: 'field-value-list'; field: Expression; pos: SourcePosition };

export type Condition = { negate: boolean; expr: Expression } | null;

export type ControlClause =
  | { kind: 'if'; cond: Expression }
  | { kind: 'for'; variable: string; from: Expression; to: Expression; step: Expression | null }
  | { kind: 'for-each'; variable: string; items: ForEachItem[] }
  | { kind: 'next'; variable: string | null }
  | { kind: 'do' | 'loop'; test: Condition }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'exit'; what: 'script' | 'for' | 'do' | 'sub'; test: Condition };

/** Parses one control clause after `$(…)` expansion (the clause text includes its keywords). */
export function parseControlClause(text: string, locate: Locate, maxDepth: number): ControlClause {
  const ts = new TokenStream(tokenize(text, locate), text);
  const expressions = new ExpressionParser(ts, maxDepth);
  const clause = parse(ts, expressions);
  if (ts.peek().kind !== 'eof') ts.fail(ts.peek(), `unexpected ${describe(ts.peek())} in the control statement`);
  return clause;
}

function parse(ts: TokenStream, x: ExpressionParser): ControlClause {
  const t = ts.next();
  switch (t.text.toUpperCase()) {
    case 'IF':
    case 'ELSEIF': {
      const cond = x.parse();
      ts.expectKeyword('THEN', 'after the IF condition');
      return { kind: 'if', cond };
    }
    case 'FOR': {
      if (ts.acceptKeyword('EACH')) {
        const variable = ts.expectName('loop variable').name;
        ts.expectKeyword('IN', 'after the FOR EACH variable');
        const items: ForEachItem[] = [];
        do items.push(forEachItem(ts, x));
        while (ts.acceptOp(','));
        return { kind: 'for-each', variable, items };
      }
      const variable = ts.expectName('loop variable').name;
      ts.expectOp('=', 'after the FOR variable');
      const from = x.parse();
      ts.expectKeyword('TO', 'in FOR … = … TO …');
      const to = x.parse();
      const step = ts.acceptKeyword('STEP') ? x.parse() : null;
      return { kind: 'for', variable, from, to, step };
    }
    case 'NEXT':
      return { kind: 'next', variable: ts.peek().kind === 'eof' ? null : ts.expectName('loop variable').name };
    case 'DO':
    case 'LOOP':
      return { kind: t.text.toUpperCase() === 'DO' ? 'do' : 'loop', test: condition(ts, x, 'WHILE', 'UNTIL') };
    case 'CALL': {
      const name = ts.expectName('subroutine name').name;
      const args: Expression[] = [];
      if (ts.acceptOp('(')) {
        if (!ts.isOp(')')) {
          do args.push(x.parse());
          while (ts.acceptOp(','));
        }
        ts.expectOp(')', 'to close the CALL arguments');
      }
      return { kind: 'call', name, args };
    }
    case 'EXIT': {
      const w = ts.next();
      const what = w.text.toUpperCase();
      if (w.kind !== 'ident' || !['SCRIPT', 'FOR', 'DO', 'SUB'].includes(what)) ts.fail(w, `expected SCRIPT, FOR, DO or SUB after EXIT, found ${describe(w)}`);
      return { kind: 'exit', what: what.toLowerCase() as 'script', test: condition(ts, x, 'WHEN', 'UNLESS') };
    }
    default:
      return ts.fail(t, `unexpected ${describe(t)}`);
  }
}

/**
 * `WHILE c` / `UNTIL c` (DO, LOOP: go on while the test holds) or `WHEN c` / `UNLESS c` (EXIT:
 * leave when it holds); `negate` is set for UNTIL and UNLESS.
 */
function condition(ts: TokenStream, x: ExpressionParser, plainWord: string, negatedWord: string): Condition {
  if (ts.acceptKeyword(plainWord)) return { negate: false, expr: x.parse() };
  if (ts.acceptKeyword(negatedWord)) return { negate: true, expr: x.parse() };
  return null;
}

function forEachItem(ts: TokenStream, x: ExpressionParser): ForEachItem {
  const t = ts.peek();
  const word = t.kind === 'ident' ? t.text.toUpperCase() : '';
  if ((word === 'FILELIST' || word === 'FIELDVALUELIST') && ts.isOp('(', 1)) {
    ts.next();
    ts.next();
    const arg = x.parse();
    ts.expectOp(')', `to close ${t.text}(`);
    const pos = { line: t.line, column: t.column };
    return word === 'FILELIST' ? { kind: 'file-list', pattern: arg, pos } : { kind: 'field-value-list', field: arg, pos };
  }
  if (word === 'DIRLIST' && ts.isOp('(', 1)) ts.fail(t, 'DirList() is not supported; FileList() lists the files of a data connection folder');
  return { kind: 'value', expr: x.parse() };
}
