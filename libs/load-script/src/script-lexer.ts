import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import { LineIndex, type Locate } from './script/source-text';
import { OPERATORS, type Token, type TokenKind } from './script-token';

const IDENT_START = /[\p{L}_%]/u;
const IDENT_PART = /[\p{L}\p{N}_.%#]/u;
const DIGIT = /[0-9]/;

/**
 * Turns script text into tokens, dropping `//`, `/* *\/` and `REM …;` comments. Every token and every
 * error carries a 1-based line and column (columns count UTF-16 code units, as editors do for BMP text).
 * `locate` maps offsets of `text` to positions in what the author wrote: the executor lexes one
 * statement at a time, after `$(…)` expansion, and still reports positions in the script.
 */
export function tokenize(text: string, locate?: Locate): Token[] {
  return new Lexer(text, locate ?? defaultLocate(text)).run();
}

function defaultLocate(text: string): Locate {
  const lines = new LineIndex(text);
  return (offset) => lines.position(offset);
}

class Lexer {
  private i = 0;
  private readonly tokens: Token[] = [];

  constructor(
    private readonly src: string,
    private readonly locate: Locate,
  ) {}

  run(): Token[] {
    for (;;) {
      this.skipTrivia();
      if (this.i >= this.src.length) break;
      if (this.atStatementStart() && this.matchesRem()) {
        this.skipRem();
        continue;
      }
      this.tokens.push(this.next());
    }
    this.tokens.push({ kind: 'eof', text: '', ...this.locate(this.i), start: this.i, end: this.i });
    return this.tokens;
  }

  private fail(at: number, message: string): never {
    throw ScriptError.at(ScriptErrorCode.Syntax, this.locate(at), message);
  }

  private skipTrivia(): void {
    while (this.i < this.src.length) {
      const ch = this.src[this.i];
      const nextCh = this.src[this.i + 1];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\uFEFF') {
        this.i++;
      } else if (ch === '/' && nextCh === '/') {
        const eol = this.src.indexOf('\n', this.i);
        this.i = eol < 0 ? this.src.length : eol;
      } else if (ch === '/' && nextCh === '*') {
        const close = this.src.indexOf('*/', this.i + 2);
        if (close < 0) this.fail(this.i, 'unterminated /* comment');
        this.i = close + 2;
      } else {
        return;
      }
    }
  }

  /** REM only starts a comment where a statement may start (Qlik semantics). */
  private atStatementStart(): boolean {
    const last = this.tokens[this.tokens.length - 1];
    return last === undefined || (last.kind === 'op' && last.text === ';');
  }

  private matchesRem(): boolean {
    const word = this.src.slice(this.i, this.i + 3).toUpperCase();
    const after = this.src[this.i + 3];
    return word === 'REM' && (after === undefined || /[\s;]/.test(after));
  }

  private skipRem(): void {
    const end = this.src.indexOf(';', this.i);
    if (end < 0) this.fail(this.i, 'REM comment is not terminated by ";"');
    this.i = end + 1;
  }

  private next(): Token {
    const start = this.i;
    const ch = this.src[this.i] ?? '';
    const make = (kind: TokenKind, value: string, inner?: SourcePosition): Token => ({
      kind, text: value, ...this.locate(start), start, end: this.i, ...(inner ? { inner } : {}),
    });
    if (ch === "'") return make('string', this.quoted("'", 'string'));
    if (ch === '"') return make('quoted', this.quoted('"', 'quoted name'));
    if (ch === '[') {
      const close = this.src.indexOf(']', this.i + 1);
      if (close < 0) this.fail(start, 'unterminated "[" (missing "]")');
      const content = this.src.slice(this.i + 1, close);
      this.i = close + 1;
      return make('bracket', content, this.locate(start + 1));
    }
    if (DIGIT.test(ch)) {
      while (DIGIT.test(this.src[this.i] ?? '')) this.i++;
      if (this.src[this.i] === '.' && DIGIT.test(this.src[this.i + 1] ?? '')) {
        this.i++;
        while (DIGIT.test(this.src[this.i] ?? '')) this.i++;
      }
      if (IDENT_PART.test(this.src[this.i] ?? '')) this.fail(this.i, `malformed number "${this.src.slice(start, this.i + 1)}"`);
      return make('number', this.src.slice(start, this.i));
    }
    if (IDENT_START.test(ch)) {
      while (IDENT_PART.test(this.src[this.i] ?? '')) this.i++;
      return make('ident', this.src.slice(start, this.i));
    }
    if (ch === '@' && DIGIT.test(this.src[this.i + 1] ?? '')) return make('ident', this.columnName());
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.i)) {
        this.i += op.length;
        return make('op', op);
      }
    }
    return this.fail(start, `unexpected character ${JSON.stringify(ch)}`);
  }

  /**
   * Qlik's positional field names, written bare as field references: `@3` (the third column of an
   * unlabelled file) and `@1:5`, `@11:n` (characters of a fixed-record line).
   */
  private columnName(): string {
    const start = this.i;
    this.i++;
    while (DIGIT.test(this.src[this.i] ?? '')) this.i++;
    if (this.src[this.i] === ':') {
      const after = this.src[this.i + 1] ?? '';
      if (DIGIT.test(after)) {
        this.i++;
        while (DIGIT.test(this.src[this.i] ?? '')) this.i++;
      } else if (after === 'n' || after === 'N') {
        this.i += 2;
      }
    }
    if (IDENT_PART.test(this.src[this.i] ?? '')) this.fail(this.i, `malformed column name "${this.src.slice(start, this.i + 1)}"`);
    return this.src.slice(start, this.i);
  }

  /** Reads a quoted run; a doubled quote stands for one quote character. Newlines are refused. */
  private quoted(q: string, what: string): string {
    const start = this.i;
    this.i++;
    let out = '';
    for (;;) {
      if (this.i >= this.src.length || this.src[this.i] === '\n') this.fail(start, `unterminated ${what}`);
      const close = this.src.indexOf(q, this.i);
      const eol = this.src.indexOf('\n', this.i);
      if (close < 0 || (eol >= 0 && eol < close)) {
        this.i = eol < 0 ? this.src.length : eol;
        continue;
      }
      out += this.src.slice(this.i, close);
      this.i = close + 1;
      if (this.src[this.i] !== q) return out;
      out += q;
      this.i++;
    }
  }
}
