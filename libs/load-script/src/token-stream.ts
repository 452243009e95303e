import { ScriptError, ScriptErrorCode, type SourcePosition } from './load-script.error';
import type { Token } from './script-token';

/** Cursor over the token list with the small helpers both parsers need. */
export class TokenStream {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    readonly source: string,
  ) {}

  peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
    if (!t) throw new Error('token list is empty'); // tokenize() always ends with eof
    return t;
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.index++;
    return t;
  }

  /** The token just consumed (for source-text slices). */
  previous(): Token {
    return this.tokens[Math.max(0, this.index - 1)] ?? this.peek();
  }

  isOp(symbol: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'op' && t.text === symbol;
  }

  /** Keywords are bare identifiers compared case-insensitively. */
  isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  acceptOp(symbol: string): boolean {
    if (!this.isOp(symbol)) return false;
    this.next();
    return true;
  }

  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false;
    this.next();
    return true;
  }

  expectOp(symbol: string, context: string): Token {
    if (!this.isOp(symbol)) this.fail(this.peek(), `expected "${symbol}" ${context}, found ${describe(this.peek())}`);
    return this.next();
  }

  expectKeyword(word: string, context: string): Token {
    if (!this.isKeyword(word)) this.fail(this.peek(), `expected ${word} ${context}, found ${describe(this.peek())}`);
    return this.next();
  }

  /** A name: bare identifier, `"quoted"` or `[bracketed]`. */
  expectName(what: string): { name: string; pos: SourcePosition } {
    const t = this.peek();
    if (t.kind !== 'ident' && t.kind !== 'quoted' && t.kind !== 'bracket') this.fail(t, `expected ${what}, found ${describe(t)}`);
    this.next();
    if (t.text.trim() === '' || /[\r\n]/.test(t.text)) this.fail(t, `invalid ${what} ${JSON.stringify(t.text)}`);
    return { name: t.text, pos: { line: t.line, column: t.column } };
  }

  fail(at: SourcePosition, message: string): never {
    throw ScriptError.at(ScriptErrorCode.Syntax, { line: at.line, column: at.column }, message);
  }
}

export function describe(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of script';
    case 'string':
      return `string '${t.text.slice(0, 40)}'`;
    case 'bracket':
      return `[${t.text.slice(0, 40)}]`;
    case 'quoted':
      return `"${t.text.slice(0, 40)}"`;
    default:
      return `"${t.text.slice(0, 40)}"`;
  }
}
