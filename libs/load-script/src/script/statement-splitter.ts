import { ScriptError, ScriptErrorCode } from '../load-script.error';
import { LineIndex } from './source-text';

/** Control statements end at `;` or at the end of their line (Qlik: "ended with either a semicolon or end-of-line"). */
export type ControlKind =
  | 'if' | 'elseif' | 'else' | 'end-if'
  | 'for' | 'for-each' | 'next'
  | 'do' | 'loop'
  | 'sub' | 'end-sub' | 'call'
  | 'exit' | 'include';

/** One statement or control clause of a source text: `code.slice(start, end)`, without its `;`. */
export interface RawStatement {
  control: ControlKind | null;
  start: number;
  end: number;
}

/** A script or an included file: the text, the same text with comments blanked, and line starts. */
export interface SourceUnit {
  text: string;
  /** `text` with every comment replaced by spaces (newlines kept), so offsets stay valid. */
  code: string;
  lines: LineIndex;
  statements: RawStatement[];
}

const WORD = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_.#%]/;
const LINE_CLAUSES = new Set(['FOR', 'NEXT', 'DO', 'LOOP', 'SUB', 'CALL', 'EXIT']);
const UNSUPPORTED_CONTROL: Record<string, string> = {
  SWITCH: 'SWITCH … CASE is not supported; use IF … ELSEIF … ELSE … END IF',
  CASE: 'CASE outside SWITCH (SWITCH is not supported)',
  DEFAULT: 'DEFAULT outside SWITCH (SWITCH is not supported)',
};

/**
 * Splits a script into statements and control clauses in one pass that knows strings, quoted
 * names, brackets (inline data, `lib://` paths) and comments, so a `;` inside any of them never
 * ends a statement. Nothing is expanded here: `$(…)` is expanded per statement when it runs,
 * as in Qlik, so a FOR loop's `$(i)` sees each iteration's value.
 */
export function splitStatements(text: string): SourceUnit {
  return new Splitter(text).run();
}

class Splitter {
  private i = 0;
  private readonly blanks: [number, number][] = [];
  private readonly statements: RawStatement[] = [];
  private readonly lines: LineIndex;

  constructor(private readonly src: string) {
    this.lines = new LineIndex(src);
  }

  run(): SourceUnit {
    for (;;) {
      this.skipTrivia();
      if (this.i >= this.src.length) break;
      this.statement();
    }
    return { text: this.src, code: this.blanked(), lines: this.lines, statements: this.statements };
  }

  private fail(at: number, message: string): never {
    throw ScriptError.at(ScriptErrorCode.Syntax, this.lines.position(at), message);
  }

  private statement(): void {
    const start = this.i;
    const word = this.word(start);
    const upper = word.toUpperCase();
    if (upper === 'REM') {
      const end = this.src.indexOf(';', start);
      if (end < 0) this.fail(start, 'REM comment is not terminated by ";"');
      this.blanks.push([start, end + 1]);
      this.i = end + 1;
      return;
    }
    if (this.src.startsWith('$(', start) && /^\$\((must_)?include\s*=/i.test(this.src.slice(start, start + 24))) {
      const close = this.closingParen(start + 1);
      this.control('include', start, close + 1);
      return;
    }
    const unsupported = UNSUPPORTED_CONTROL[upper];
    if (unsupported) this.fail(start, unsupported);
    switch (upper) {
      case 'IF':
      case 'ELSEIF':
        this.control(upper === 'IF' ? 'if' : 'elseif', start, this.untilThen(start));
        return;
      case 'ELSE':
        this.control('else', start, start + word.length);
        return;
      case 'END': {
        const next = this.skipSpaces(start + word.length);
        const what = this.word(next).toUpperCase();
        if (what !== 'IF' && what !== 'SUB') this.fail(start, 'expected END IF or END SUB');
        this.control(what === 'IF' ? 'end-if' : 'end-sub', start, next + what.length);
        return;
      }
      default:
        break;
    }
    if (LINE_CLAUSES.has(upper)) {
      let kind = upper.toLowerCase() as ControlKind;
      if (upper === 'FOR' && this.word(this.skipSpaces(start + word.length)).toUpperCase() === 'EACH') kind = 'for-each';
      this.control(kind, start, this.scan(start, true));
      return;
    }
    const end = this.scan(start, false);
    this.statements.push({ control: null, start, end });
    this.i = end < this.src.length ? end + 1 : end;
  }

  /** Records a control clause and consumes an optional `;` right after it on the same line. */
  private control(kind: ControlKind, start: number, end: number): void {
    this.statements.push({ control: kind, start, end });
    let j = end;
    while (this.src[j] === ' ' || this.src[j] === '\t' || this.src[j] === '\r') j++;
    this.i = this.src[j] === ';' ? j + 1 : end;
  }

  private word(at: number): string {
    if (!WORD.test(this.src[at] ?? '')) return '';
    let j = at + 1;
    while (WORD_PART.test(this.src[j] ?? '')) j++;
    return this.src.slice(at, j);
  }

  private skipSpaces(at: number): number {
    let j = at;
    while (this.src[j] === ' ' || this.src[j] === '\t') j++;
    return j;
  }

  /** Whitespace and comments between statements. */
  private skipTrivia(): void {
    while (this.i < this.src.length) {
      const ch = this.src[this.i];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\uFEFF' || ch === ';') this.i++;
      else if (!this.comment()) return;
    }
  }

  /** Consumes a comment at `i` (recording it for blanking); false when there is none. */
  private comment(): boolean {
    const at = this.i;
    if (this.src[at] !== '/') return false;
    if (this.src[at + 1] === '/') {
      const eol = this.src.indexOf('\n', at);
      this.i = eol < 0 ? this.src.length : eol;
    } else if (this.src[at + 1] === '*') {
      const close = this.src.indexOf('*/', at + 2);
      if (close < 0) this.fail(at, 'unterminated /* comment');
      this.i = close + 2;
    } else {
      return false;
    }
    this.blanks.push([at, this.i]);
    return true;
  }

  /**
   * Scans from `from` to the end of a statement: the next `;` outside strings, names, brackets and
   * comments (or, for a control clause, also the end of the line). Returns the end offset.
   */
  private scan(from: number, lineClause: boolean): number {
    this.i = from;
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!;
      if (ch === ';' || (lineClause && ch === '\n')) return this.i;
      if (this.comment()) continue;
      this.skipToken();
    }
    return this.src.length;
  }

  /** IF/ELSEIF: the clause runs to the keyword THEN, which must come before `;`. */
  private untilThen(from: number): number {
    this.i = from + 2;
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!;
      if (ch === ';') break;
      if (this.comment()) continue;
      if (WORD.test(ch) && !WORD_PART.test(this.src[this.i - 1] ?? '')) {
        const w = this.word(this.i);
        if (w.toUpperCase() === 'THEN') return this.i + w.length;
        this.i += w.length;
        continue;
      }
      this.skipToken();
    }
    return this.fail(from, 'IF/ELSEIF needs THEN before the end of the statement');
  }

  /** Skips one character, or a whole string, quoted name or bracket starting here. */
  private skipToken(): void {
    const ch = this.src[this.i]!;
    if (ch === "'" || ch === '"') {
      // An unterminated string ends at the line end; the lexer reports it with its position.
      let j = this.i + 1;
      for (;;) {
        const close = this.src.indexOf(ch, j);
        const eol = this.src.indexOf('\n', j);
        if (close < 0 || (eol >= 0 && eol < close)) {
          this.i = eol < 0 ? this.src.length : eol;
          return;
        }
        if (this.src[close + 1] === ch) {
          j = close + 2;
          continue;
        }
        this.i = close + 1;
        return;
      }
    }
    if (ch === '[') {
      const close = this.src.indexOf(']', this.i + 1);
      this.i = close < 0 ? this.src.length : close + 1;
      return;
    }
    this.i++;
  }

  /** The `)` matching the `(` at `open`, skipping strings; used for `$(Include=…)`. */
  private closingParen(open: number): number {
    let depth = 0;
    this.i = open;
    while (this.i < this.src.length) {
      const ch = this.src[this.i]!;
      if (ch === '\n') break;
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) return this.i;
      if (ch === "'" || ch === '[') {
        this.skipToken();
        continue;
      }
      this.i++;
    }
    return this.fail(open - 1, 'unterminated $( … ) (missing ")" on the same line)');
  }

  private blanked(): string {
    if (this.blanks.length === 0) return this.src;
    let out = '';
    let at = 0;
    for (const [s, e] of this.blanks) {
      out += this.src.slice(at, s) + this.src.slice(s, e).replace(/[^\n]/g, ' ');
      at = e;
    }
    return out + this.src.slice(at);
  }
}
