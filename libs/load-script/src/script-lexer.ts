import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import { OPERATORS, type Token, type TokenKind } from './script-token';

const IDENT_START = /[\p{L}_%]/u;
const IDENT_PART = /[\p{L}\p{N}_.%#]/u;
const DIGIT = /[0-9]/;

/**
 * Turns script text into tokens, dropping `//`, `/* *\/` and `REM …;` comments. Every token and every
 * error carries a 1-based line and column (columns count UTF-16 code units, as editors do for BMP text).
 */
export function tokenize(text: string): Token[] {
  return new Lexer(text).run();
}

class Lexer {
  private i = 0;
  private line = 1;
  private col = 1;
  private readonly tokens: Token[] = [];

  constructor(private readonly src: string) {}

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
    this.tokens.push({ kind: 'eof', text: '', line: this.line, column: this.col, start: this.i, end: this.i });
    return this.tokens;
  }

  private pos(): SourcePosition {
    return { line: this.line, column: this.col };
  }

  private fail(pos: SourcePosition, message: string): never {
    throw ScriptError.at(ScriptErrorCode.Syntax, pos, message);
  }

  private advance(): string {
    const ch = this.src[this.i++] ?? '';
    if (ch === '\n') {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return ch;
  }

  private skipTrivia(): void {
    while (this.i < this.src.length) {
      const ch = this.src[this.i];
      const nextCh = this.src[this.i + 1];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\uFEFF') {
        this.advance();
      } else if (ch === '/' && nextCh === '/') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.advance();
      } else if (ch === '/' && nextCh === '*') {
        const start = this.pos();
        const close = this.src.indexOf('*/', this.i + 2);
        if (close < 0) this.fail(start, 'unterminated /* comment');
        while (this.i < close + 2) this.advance();
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
    const start = this.pos();
    const end = this.src.indexOf(';', this.i);
    if (end < 0) this.fail(start, 'REM comment is not terminated by ";"');
    while (this.i <= end) this.advance();
  }

  private next(): Token {
    const start = this.i;
    const pos = this.pos();
    const ch = this.src[this.i] ?? '';
    const make = (kind: TokenKind, value: string, inner?: SourcePosition): Token => ({
      kind, text: value, ...pos, start, end: this.i, ...(inner ? { inner } : {}),
    });
    if (ch === "'") return make('string', this.quoted("'", pos, 'string'));
    if (ch === '"') return make('quoted', this.quoted('"', pos, 'quoted name'));
    if (ch === '[') {
      this.advance();
      const inner = this.pos();
      const close = this.src.indexOf(']', this.i);
      if (close < 0) this.fail(pos, 'unterminated "[" (missing "]")');
      const content = this.src.slice(this.i, close);
      while (this.i <= close) this.advance();
      return make('bracket', content, inner);
    }
    if (DIGIT.test(ch)) {
      while (DIGIT.test(this.src[this.i] ?? '')) this.advance();
      if (this.src[this.i] === '.' && DIGIT.test(this.src[this.i + 1] ?? '')) {
        this.advance();
        while (DIGIT.test(this.src[this.i] ?? '')) this.advance();
      }
      if (IDENT_PART.test(this.src[this.i] ?? '')) this.fail(this.pos(), `malformed number "${this.src.slice(start, this.i + 1)}"`);
      return make('number', this.src.slice(start, this.i));
    }
    if (IDENT_START.test(ch)) {
      while (IDENT_PART.test(this.src[this.i] ?? '')) this.advance();
      return make('ident', this.src.slice(start, this.i));
    }
    for (const op of OPERATORS) {
      if (this.src.startsWith(op, this.i)) {
        for (let k = 0; k < op.length; k++) this.advance();
        return make('op', op);
      }
    }
    return this.fail(pos, `unexpected character ${JSON.stringify(ch)}`);
  }

  /** Reads a quoted run; a doubled quote stands for one quote character. Newlines are refused. */
  private quoted(q: string, pos: SourcePosition, what: string): string {
    this.advance();
    let out = '';
    for (;;) {
      if (this.i >= this.src.length || this.src[this.i] === '\n') this.fail(pos, `unterminated ${what}`);
      const ch = this.advance();
      if (ch === q) {
        if (this.src[this.i] !== q) return out;
        this.advance();
      }
      out += ch;
    }
  }
}
