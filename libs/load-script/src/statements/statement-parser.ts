import { ExpressionParser } from '../expression-parser';
import { parseLibPath } from '../lib-path';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import type { FieldSpec } from '../script-ast';
import { tokenize } from '../script-lexer';
import type { ScriptLimits } from '../script-limits';
import type { Locate } from '../script/source-text';
import { describe, TokenStream } from '../token-stream';
import { LoadParser } from './load-parser';
import type { StoreFormat } from '../file-format';
import { parseStoreFormat } from '../load-options.parser';
import type { NamedRef, RenamePair, Statement } from './statement-ast';

/** Statements a script may contain in Qlik but the engine refuses, with the reason shown to the author. */
const REFUSED: Record<string, string> = {
  BINARY: 'BINARY is not supported: an app cannot load another app\'s data model (it would bypass that app\'s section access)',
  SQL: 'SQL is not supported: the engine has no database connections; load files through lib:// data connections',
  SELECT: 'SELECT is not supported: the engine has no database connections; load files through lib:// data connections',
  CONNECT: 'CONNECT is not supported: files come only through lib:// data connections',
  ODBC: 'ODBC is not supported: files come only through lib:// data connections',
  OLEDB: 'OLEDB is not supported: files come only through lib:// data connections',
  LIB: 'LIB CONNECT is not supported: files come only through lib:// data connections',
  DISCONNECT: 'DISCONNECT is not supported: there are no database connections',
  EXECUTE: 'EXECUTE is not supported: reloads never run programs',
  DIRECTORY: 'DIRECTORY is not supported: use lib://<connection>/<path> references',
  FORCE: 'FORCE is not supported',
  SEARCH: 'SEARCH is not supported',
  TAG: 'TAG is not supported',
  UNTAG: 'UNTAG is not supported',
  COMMENT: 'COMMENT is not supported',
  DECLARE: 'DECLARE is not supported',
  DERIVE: 'DERIVE is not supported',
  LOOSEN: 'LOOSEN TABLE is not supported',
  STAR: 'STAR IS is not supported',
  SWITCH: 'SWITCH is not supported; use IF … ELSEIF … ELSE … END IF',
};

/**
 * Parses the text of one statement (after `$(…)` expansion) into statements — usually one, more
 * when an expansion inserted `;`. Anything outside the documented subset is a ScriptError with
 * line and column — an unsupported statement is never skipped, because a silently ignored line
 * (say, a Section Access table) would change what users may see.
 */
export function parseStatements(text: string, limits: ScriptLimits, locate?: Locate): Statement[] {
  const ts = new TokenStream(tokenize(text, locate), text);
  const parser = new StatementParser(ts, limits);
  const out: Statement[] = [];
  while (ts.peek().kind !== 'eof') {
    out.push(parser.statement());
    if (ts.peek().kind !== 'eof') ts.expectOp(';', 'at the end of the statement');
  }
  return out;
}

class StatementParser {
  private readonly expressions: ExpressionParser;
  private readonly loads: LoadParser;

  constructor(
    private readonly ts: TokenStream,
    limits: ScriptLimits,
  ) {
    this.expressions = new ExpressionParser(ts, limits.maxExpressionDepth);
    this.loads = new LoadParser(ts, limits);
  }

  statement(): Statement {
    const t = this.ts.peek();
    const pos = { line: t.line, column: t.column };
    if (t.kind !== 'op' && this.ts.isOp(':', 1)) {
      const label = this.ts.expectName('table label').name;
      this.ts.next();
      if (!this.loads.startsLoad()) this.ts.fail(this.ts.peek(), `expected LOAD after label "${label}:", found ${describe(this.ts.peek())}`);
      return this.loads.parse(label, pos);
    }
    if (this.loads.startsLoad()) return this.loads.parse(null, pos);
    const word = t.kind === 'ident' ? t.text.toUpperCase() : '';
    const refused = REFUSED[word];
    if (refused) this.ts.fail(t, refused);
    this.ts.next();
    switch (word) {
      case 'SET':
        return this.set(pos);
      case 'LET':
        return this.let(pos);
      case 'SECTION':
        return this.section(pos);
      case 'DROP':
        return this.drop(pos);
      case 'RENAME':
        return this.rename(pos);
      case 'QUALIFY':
      case 'UNQUALIFY':
        return { kind: 'qualify', on: word === 'QUALIFY', patterns: this.patterns(), pos };
      case 'ALIAS':
        return { kind: 'alias', pairs: this.pairs('AS'), pos };
      case 'MAP':
        return this.mapUsing(pos);
      case 'UNMAP':
        if (this.ts.isOp('*')) {
          this.ts.next();
          return { kind: 'unmap', fields: '*', pos };
        }
        return { kind: 'unmap', fields: this.names('field name').map((n) => n.name), pos };
      case 'STORE':
        return this.store(pos);
      case 'TRACE':
        return { kind: 'trace', text: this.restOfStatement(), pos };
      case 'SLEEP':
        return { kind: 'sleep', ms: this.expressions.parse(), pos };
      default:
        return this.ts.fail(t, `unknown or unsupported statement starting with ${describe(t)}`);
    }
  }

  /** The raw text from the cursor to the end of the statement (TRACE, SET values). */
  private restOfStatement(): string {
    const first = this.ts.peek();
    if (first.kind === 'eof' || this.ts.isOp(';')) return '';
    let last = first;
    while (!this.ts.isOp(';') && this.ts.peek().kind !== 'eof') last = this.ts.next();
    return this.ts.source.slice(first.start, last.end).trim();
  }

  /** SET keeps the value as text: a lone string or number literal, else the raw source text of the line. */
  private set(pos: SourcePosition): Statement {
    const name = this.ts.expectName('variable name').name;
    const eq = this.ts.expectOp('=', 'after SET variable name');
    const first = this.ts.peek();
    let count = 0;
    let last = first;
    while (!this.ts.isOp(';') && this.ts.peek().kind !== 'eof') {
      // One line only: otherwise a forgotten ';' would swallow the next statement into the value.
      if (this.ts.peek().line !== eq.line) this.ts.fail(this.ts.peek(), `expected ";" at the end of SET ${name} (a SET value is one line)`);
      last = this.ts.next();
      count++;
    }
    let value = '';
    if (count === 1 && (first.kind === 'string' || first.kind === 'number')) value = first.text;
    else if (count > 0) value = this.ts.source.slice(first.start, last.end).trim();
    return { kind: 'set', name, value, pos };
  }

  private let(pos: SourcePosition): Statement {
    const name = this.ts.expectName('variable name').name;
    this.ts.expectOp('=', 'after LET variable name');
    const empty = this.ts.isOp(';') || this.ts.peek().kind === 'eof';
    return { kind: 'let', name, expr: empty ? null : this.expressions.parse(), pos };
  }

  private section(pos: SourcePosition): Statement {
    if (this.ts.acceptKeyword('ACCESS')) return { kind: 'section', section: 'access', pos };
    if (this.ts.acceptKeyword('APPLICATION')) return { kind: 'section', section: 'application', pos };
    return this.ts.fail(this.ts.peek(), `expected ACCESS or APPLICATION after SECTION, found ${describe(this.ts.peek())}`);
  }

  private names(what: string): NamedRef[] {
    const out: NamedRef[] = [];
    do out.push(this.ts.expectName(what));
    while (this.ts.acceptOp(','));
    return out;
  }

  private drop(pos: SourcePosition): Statement {
    if (this.ts.acceptKeyword('TABLE') || this.ts.acceptKeyword('TABLES')) return { kind: 'drop-tables', tables: this.names('table name'), pos };
    if (this.ts.acceptKeyword('FIELD') || this.ts.acceptKeyword('FIELDS')) {
      const fields = this.names('field name');
      const tables = this.ts.acceptKeyword('FROM') ? this.names('table name') : null;
      return { kind: 'drop-fields', fields, tables, pos };
    }
    return this.ts.fail(this.ts.peek(), `expected TABLE or FIELD after DROP, found ${describe(this.ts.peek())}`);
  }

  private pairs(separator: 'TO' | 'AS'): RenamePair[] {
    const out: RenamePair[] = [];
    do {
      const from = this.ts.expectName('name');
      this.ts.expectKeyword(separator, `after "${from.name}"`);
      out.push({ from: from.name, to: this.ts.expectName('new name').name, pos: from.pos });
    } while (this.ts.acceptOp(','));
    return out;
  }

  private rename(pos: SourcePosition): Statement {
    if (this.ts.acceptKeyword('TABLE') || this.ts.acceptKeyword('TABLES')) return { kind: 'rename-tables', pairs: this.pairs('TO'), pos };
    if (this.ts.acceptKeyword('FIELD') || this.ts.acceptKeyword('FIELDS')) {
      if (this.ts.acceptKeyword('USING')) return { kind: 'rename-fields-using', map: this.ts.expectName('mapping table name'), pos };
      return { kind: 'rename-fields', pairs: this.pairs('TO'), pos };
    }
    return this.ts.fail(this.ts.peek(), `expected TABLE or FIELD after RENAME, found ${describe(this.ts.peek())}`);
  }

  /** QUALIFY/UNQUALIFY: names, `*`, or quoted patterns with `*` and `?`. */
  private patterns(): string[] {
    const out: string[] = [];
    do {
      if (this.ts.isOp('*')) {
        this.ts.next();
        out.push('*');
      } else {
        out.push(this.ts.expectName('field name or pattern').name);
      }
    } while (this.ts.acceptOp(','));
    return out;
  }

  private mapUsing(pos: SourcePosition): Statement {
    const fields: string[] = [];
    do {
      if (this.ts.isOp('*')) {
        this.ts.next();
        fields.push('*');
      } else {
        fields.push(this.ts.expectName('field name').name);
      }
    } while (this.ts.acceptOp(','));
    this.ts.expectKeyword('USING', 'after the MAP field list');
    return { kind: 'map-using', fields, map: this.ts.expectName('mapping table name'), pos };
  }

  /** STORE [fields FROM] table INTO [lib://…] [(qvd) | (txt|csv [, delimiter is 'c'])]. */
  private store(pos: SourcePosition): Statement {
    let fields: FieldSpec[] | '*' = '*';
    const hasFieldList = this.lookAheadKeyword('FROM', 'INTO');
    if (hasFieldList) {
      if (this.ts.isOp('*')) this.ts.next();
      else {
        fields = [];
        do {
          const first = this.ts.peek();
          const ref = this.ts.expectName('field name');
          let name = ref.name;
          if (this.ts.acceptKeyword('AS')) name = this.ts.expectName('field name after AS').name;
          fields.push({ expr: { kind: 'field', name: ref.name, pos: ref.pos }, name, pos: { line: first.line, column: first.column } });
        } while (this.ts.acceptOp(','));
      }
      this.ts.expectKeyword('FROM', 'after the STORE field list');
    }
    const table = this.ts.expectName('table name');
    this.ts.expectKeyword('INTO', 'after the STORE table');
    const ref = this.ts.peek();
    if (ref.kind !== 'bracket' && ref.kind !== 'string') this.ts.fail(ref, `expected [lib://connection/path] after INTO, found ${describe(ref)}`);
    this.ts.next();
    const lib = parseLibPath(ref.text);
    if ('error' in lib) throw ScriptError.at(ScriptErrorCode.File, ref, lib.error);
    let format: StoreFormat | null = null;
    let delimiter = ',';
    if (this.ts.isOp('(')) ({ format, delimiter } = parseStoreFormat(this.ts));
    if (format === null) {
      const ext = lib.path.slice(lib.path.lastIndexOf('.') + 1).toLowerCase();
      if (ext !== 'qvd' && ext !== 'txt' && ext !== 'csv') this.ts.fail(ref, 'STORE needs a format: (qvd), (txt) or (csv), or a file name ending in .qvd, .txt or .csv');
      format = ext;
    }
    return { kind: 'store', fields, table, connection: lib.connection, path: lib.path, format, delimiter, pos };
  }

  /** Whether `first` appears before `second` at the top level of the statement. */
  private lookAheadKeyword(first: string, second: string): boolean {
    for (let k = 0; ; k++) {
      const t = this.ts.peek(k);
      if (t.kind === 'eof' || (t.kind === 'op' && t.text === ';')) return false;
      if (this.ts.isKeyword(second, k)) return false;
      if (this.ts.isKeyword(first, k)) return true;
    }
  }
}
