import { DataModelError, DataModelErrorCode } from './data-model.error';

export type Token =
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'name'; value: string; quoted: boolean; pos: number }
  | { kind: 'op'; value: '(' | ')' | '+' | '-' | '*' | '/'; pos: number }
  | { kind: 'end'; pos: number };

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const IDENT = /^[A-Za-z_%$#@\u00c0-\uffff][A-Za-z0-9_%$#@.\u00c0-\uffff]*/;

/** Tokens of a measure expression. Field names may be bare, `[bracketed]` or `"quoted"`. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i, i + 400);
    if (c === '(' || c === ')' || c === '+' || c === '-' || c === '*' || c === '/') {
      out.push({ kind: 'op', value: c, pos: i });
      i++;
    } else if (c === '[' || c === '"') {
      const close = c === '[' ? ']' : '"';
      const end = src.indexOf(close, i + 1);
      if (end < 0) throw syntaxError(`unterminated field name starting at position ${i + 1}`);
      out.push({ kind: 'name', value: src.slice(i + 1, end), quoted: true, pos: i });
      i = end + 1;
    } else if (NUMBER.test(rest)) {
      const text = NUMBER.exec(rest)![0];
      out.push({ kind: 'number', value: Number(text), pos: i });
      i += text.length;
    } else if (IDENT.test(rest)) {
      const text = IDENT.exec(rest)![0];
      out.push({ kind: 'name', value: text, quoted: false, pos: i });
      i += text.length;
    } else {
      throw syntaxError(`unexpected character at position ${i + 1}`);
    }
  }
  out.push({ kind: 'end', pos: src.length });
  return out;
}

export function syntaxError(message: string): DataModelError {
  return new DataModelError(DataModelErrorCode.INVALID_EXPRESSION, `Invalid expression: ${message}`);
}
