import { DataModelError, DataModelErrorCode } from '../data-model.error';

export type ChartToken =
  | { kind: 'number'; value: number; pos: number }
  /** 'text' (single quotes, '' escapes a quote). */
  | { kind: 'string'; value: string; pos: number }
  /** "text": a field name in an expression, a search string in an element list. */
  | { kind: 'dquoted'; value: string; pos: number }
  /** [text]: a field name. */
  | { kind: 'bracketed'; value: string; pos: number }
  | { kind: 'name'; value: string; pos: number }
  | { kind: 'op'; value: string; pos: number }
  | { kind: 'end'; pos: number };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_%$#@\u00c0-\uffff][A-Za-z0-9_%$#@.\u00c0-\uffff]*/;
/** Longest first: `<=` before `<`, `+=` before `+`. */
const OPERATORS = ['<=', '>=', '<>', '+=', '-=', '*=', '/=', '(', ')', '{', '}', '<', '>', ',', '=', '+', '-', '*', '/', '&'];

/**
 * Tokens of a chart expression. Position-carrying errors echo where, never what: an expression
 * may embed a value the user typed, but error text stays about syntax.
 */
export function tokenizeChart(src: string): ChartToken[] {
  const out: ChartToken[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === "'") {
      const { text, end } = quoted(src, i, "'");
      out.push({ kind: 'string', value: text, pos: i });
      i = end;
      continue;
    }
    if (c === '"') {
      const { text, end } = quoted(src, i, '"');
      out.push({ kind: 'dquoted', value: text, pos: i });
      i = end;
      continue;
    }
    if (c === '[') {
      const close = src.indexOf(']', i + 1);
      if (close < 0) throw chartSyntax(`unterminated [name] starting at position ${i + 1}`);
      out.push({ kind: 'bracketed', value: src.slice(i + 1, close), pos: i });
      i = close + 1;
      continue;
    }
    const rest = src.slice(i, i + 400);
    const num = NUMBER.exec(rest);
    if (num !== null) {
      out.push({ kind: 'number', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = IDENT.exec(rest);
    if (id !== null) {
      out.push({ kind: 'name', value: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op === undefined) throw chartSyntax(`unexpected character at position ${i + 1}`);
    out.push({ kind: 'op', value: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'end', pos: src.length });
  return out;
}

/** A quoted text; the quote doubled inside stands for itself (Qlik's escape). */
function quoted(src: string, start: number, q: string): { text: string; end: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    const close = src.indexOf(q, i);
    if (close < 0) throw chartSyntax(`unterminated ${q === "'" ? 'string' : 'quoted name'} starting at position ${start + 1}`);
    text += src.slice(i, close);
    if (src[close + 1] === q) {
      text += q;
      i = close + 2;
      continue;
    }
    return { text, end: close + 1 };
  }
}

export function chartSyntax(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, `Error in expression: ${message}`);
}
