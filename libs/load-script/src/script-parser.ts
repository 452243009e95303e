import { ScriptError, ScriptErrorCode } from './load-script.error';
import { ExpressionParser } from './expression-parser';
import { parseFileFormat, parseInlineOptions } from './load-options.parser';
import { parseLibPath } from './lib-path';
import type { FieldSpec, LoadSource, Script, Statement } from './script-ast';
import { tokenize } from './script-lexer';
import { resolveLimits, type ScriptLimits } from './script-limits';
import type { Token } from './script-token';
import { describe, TokenStream } from './token-stream';

/**
 * Parses a load script into statements. Anything outside the documented subset is a ScriptError
 * with line and column — an unsupported statement is never skipped, because a silently ignored
 * line (say, a Section Access table) would change what users may see.
 */
export function parseScript(text: string, limits: Partial<ScriptLimits> = {}): Script {
  const resolved = resolveLimits(limits);
  if (text.length > resolved.maxScriptChars) {
    throw new ScriptError(ScriptErrorCode.Limit, 1, 1, `script is longer than the limit maxScriptChars (${resolved.maxScriptChars})`);
  }
  const ts = new TokenStream(tokenize(text), text);
  const parser = new StatementParser(ts, resolved);
  const statements: Statement[] = [];
  while (ts.peek().kind !== 'eof') statements.push(parser.statement());
  return { statements };
}

class StatementParser {
  private readonly expressions: ExpressionParser;

  constructor(
    private readonly ts: TokenStream,
    private readonly limits: ScriptLimits,
  ) {
    this.expressions = new ExpressionParser(ts, limits.maxExpressionDepth);
  }

  statement(): Statement {
    const t = this.ts.peek();
    const pos = { line: t.line, column: t.column };
    let stmt: Statement;
    if (t.kind !== 'op' && this.ts.isOp(':', 1)) {
      const label = this.ts.expectName('table label').name;
      this.ts.next();
      this.ts.expectKeyword('LOAD', `after label "${label}:"`);
      stmt = this.load(label, pos);
    } else if (this.ts.acceptKeyword('LOAD')) {
      stmt = this.load(null, pos);
    } else if (this.ts.acceptKeyword('SET')) {
      stmt = this.set(pos);
    } else if (this.ts.acceptKeyword('LET')) {
      const name = this.ts.expectName('variable name').name;
      this.ts.expectOp('=', 'after LET variable name');
      stmt = { kind: 'let', name, expr: this.expressions.parse(), pos };
    } else if (this.ts.acceptKeyword('SECTION')) {
      stmt = this.section(pos);
    } else if (this.ts.acceptKeyword('DROP')) {
      stmt = this.drop(pos);
    } else {
      return this.ts.fail(t, `unknown or unsupported statement starting with ${describe(t)}`);
    }
    this.ts.expectOp(';', 'at the end of the statement');
    return stmt;
  }

  /** SET keeps the value as text: a lone string or number literal, else the raw source text of the line. */
  private set(pos: Statement['pos']): Statement {
    const name = this.ts.expectName('variable name').name;
    const eq = this.ts.expectOp('=', 'after SET variable name');
    const first = this.ts.peek();
    const parts: Token[] = [];
    while (!this.ts.isOp(';') && this.ts.peek().kind !== 'eof') {
      // One line only: otherwise a forgotten ';' would swallow the next statement into the value.
      if (this.ts.peek().line !== eq.line) this.ts.fail(this.ts.peek(), `expected ";" at the end of SET ${name} (a SET value is one line)`);
      parts.push(this.ts.next());
    }
    const only = parts.length === 1 ? parts[0] : undefined;
    let value = '';
    if (only && (only.kind === 'string' || only.kind === 'number')) value = only.text;
    else if (parts.length > 0) value = this.ts.source.slice(first.start, this.ts.previous().end).trim();
    return { kind: 'set', name, value, pos };
  }

  private section(pos: Statement['pos']): Statement {
    if (this.ts.acceptKeyword('ACCESS')) return { kind: 'section', section: 'access', pos };
    if (this.ts.acceptKeyword('APPLICATION')) return { kind: 'section', section: 'application', pos };
    return this.ts.fail(this.ts.peek(), `expected ACCESS or APPLICATION after SECTION, found ${describe(this.ts.peek())}`);
  }

  private drop(pos: Statement['pos']): Statement {
    if (this.ts.acceptKeyword('TABLE')) return { kind: 'drop-table', table: this.ts.expectName('table name').name, pos };
    if (this.ts.acceptKeyword('FIELD')) {
      const field = this.ts.expectName('field name').name;
      const table = this.ts.acceptKeyword('FROM') ? this.ts.expectName('table name').name : null;
      return { kind: 'drop-field', field, table, pos };
    }
    return this.ts.fail(this.ts.peek(), `expected TABLE or FIELD after DROP, found ${describe(this.ts.peek())}`);
  }

  private load(label: string | null, pos: Statement['pos']): Statement {
    const fields = this.fieldList();
    const source = this.source();
    const where = this.ts.acceptKeyword('WHERE') ? this.expressions.parse() : null;
    return { kind: 'load', label, fields, source, where, pos };
  }

  private fieldList(): FieldSpec[] | '*' {
    if (this.ts.isOp('*') && this.isSourceKeyword(1)) {
      this.ts.next();
      return '*';
    }
    const specs: FieldSpec[] = [];
    do {
      const first = this.ts.peek();
      if (first.kind === 'op' && first.text === '*') this.ts.fail(first, '"*" must be the only item of a LOAD field list');
      const expr = this.expressions.parse();
      const text = this.ts.source.slice(first.start, this.ts.previous().end).trim();
      let name = expr.kind === 'field' ? expr.name : text;
      if (this.ts.acceptKeyword('AS')) name = this.ts.expectName('field name after AS').name;
      specs.push({ expr, name, pos: { line: first.line, column: first.column } });
    } while (this.ts.acceptOp(','));
    if (!this.isSourceKeyword(0)) this.ts.fail(this.ts.peek(), `expected "," or INLINE, FROM or RESIDENT after a LOAD field, found ${describe(this.ts.peek())}`);
    return specs;
  }

  private isSourceKeyword(ahead: number): boolean {
    return this.ts.isKeyword('INLINE', ahead) || this.ts.isKeyword('FROM', ahead) || this.ts.isKeyword('RESIDENT', ahead);
  }

  private source(): LoadSource {
    const kw = this.ts.next();
    const pos = { line: kw.line, column: kw.column };
    switch (kw.text.toUpperCase()) {
      case 'INLINE': {
        const data = this.ts.peek();
        if (data.kind !== 'bracket' || !data.inner) this.ts.fail(data, `expected [ inline data ] after INLINE, found ${describe(data)}`);
        this.ts.next();
        if (data.text.length > this.limits.maxInlineChars) {
          throw ScriptError.at(ScriptErrorCode.Limit, data, `inline data exceeds the limit maxInlineChars (${this.limits.maxInlineChars})`);
        }
        const delimiter = this.ts.isOp('(') ? parseInlineOptions(this.ts) : ',';
        return { kind: 'inline', content: data.text, contentPos: data.inner, delimiter, pos };
      }
      case 'FROM': {
        const ref = this.ts.peek();
        if (ref.kind !== 'bracket' && ref.kind !== 'string') this.ts.fail(ref, `expected [lib://connection/path] after FROM, found ${describe(ref)}`);
        this.ts.next();
        const lib = parseLibPath(ref.text);
        if ('error' in lib) throw ScriptError.at(ScriptErrorCode.File, ref, lib.error);
        if (!this.ts.isOp('(')) this.ts.fail(this.ts.peek(), 'expected a format specification such as (txt, utf8, embedded labels, delimiter is \',\') or (json)');
        return { kind: 'file', connection: lib.connection, path: lib.path, format: parseFileFormat(this.ts), pos };
      }
      default:
        return { kind: 'resident', table: this.ts.expectName('table name after RESIDENT').name, pos };
    }
  }
}
