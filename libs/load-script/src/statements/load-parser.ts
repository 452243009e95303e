import { ExpressionParser } from '../expression-parser';
import { parseLibPath } from '../lib-path';
import { ScriptError, ScriptErrorCode, type SourcePosition } from '../load-script.error';
import { parseFileFormat, parseInlineOptions } from '../load-options.parser';
import type { FieldSpec, LoadSource } from '../script-ast';
import type { ScriptLimits } from '../script-limits';
import { describe, type TokenStream } from '../token-stream';
import type { FieldItem, LoadInput, LoadPrefix, LoadStage, LoadStatement, NamedRef } from './statement-ast';

const SOURCE_KEYWORDS = ['FROM', 'INLINE', 'RESIDENT', 'AUTOGENERATE'];
const CLAUSE_KEYWORDS = ['WHERE', 'WHILE', 'GROUP', 'ORDER'];
const UNSUPPORTED_PREFIXES = ['CROSSTABLE', 'INTERVALMATCH', 'HIERARCHY', 'HIERARCHYBELONGSTO', 'GENERIC', 'SEMANTIC', 'REPLACE', 'ADD', 'BUFFER', 'FIRST', 'SAMPLE'];
const LOAD_STARTS = ['LOAD', 'MAPPING', 'NOCONCATENATE', 'CONCATENATE', 'LEFT', 'RIGHT', 'INNER', 'OUTER', 'JOIN', 'KEEP', ...UNSUPPORTED_PREFIXES];

/**
 * `[label:] [prefix] LOAD [DISTINCT] fields [source] [WHERE c] [WHILE c] [GROUP BY …] [ORDER BY …]`.
 * No source means a preceding load: it reads the output of the LOAD that follows it.
 */
export class LoadParser {
  private readonly expressions: ExpressionParser;

  constructor(
    private readonly ts: TokenStream,
    private readonly limits: ScriptLimits,
  ) {
    this.expressions = new ExpressionParser(ts, limits.maxExpressionDepth);
  }

  /** Whether the tokens at the cursor start a LOAD (possibly behind prefixes). */
  startsLoad(): boolean {
    return LOAD_STARTS.some((w) => this.ts.isKeyword(w));
  }

  parse(label: string | null, pos: SourcePosition): LoadStatement {
    const prefix = this.prefix();
    this.ts.expectKeyword('LOAD', 'after the LOAD prefix');
    const stagePos = pos;
    const distinct = this.ts.acceptKeyword('DISTINCT');
    const fields = this.fieldList();
    const input = this.input();
    const stage: LoadStage = { distinct, fields, where: null, while: null, groupBy: null, orderBy: null, pos: stagePos };
    for (;;) {
      if (stage.where === null && this.ts.acceptKeyword('WHERE')) stage.where = this.expressions.parse();
      else if (stage.while === null && this.ts.acceptKeyword('WHILE')) stage.while = this.expressions.parse();
      else if (stage.groupBy === null && this.ts.isKeyword('GROUP')) stage.groupBy = this.groupBy();
      else if (stage.orderBy === null && this.ts.isKeyword('ORDER')) stage.orderBy = this.orderBy(input);
      else break;
    }
    return { kind: 'load', label, prefix, stage, input, pos };
  }

  private tableRef(): NamedRef | null {
    if (!this.ts.acceptOp('(')) return null;
    const ref = this.ts.expectName('table name');
    this.ts.expectOp(')', 'after the table name');
    return ref;
  }

  private prefix(): LoadPrefix {
    const t = this.ts.peek();
    if (this.ts.acceptKeyword('MAPPING')) return { kind: 'mapping' };
    if (this.ts.acceptKeyword('NOCONCATENATE')) return { kind: 'noconcatenate' };
    if (this.ts.acceptKeyword('CONCATENATE')) return { kind: 'concatenate', table: this.tableRef() };
    const how = ['LEFT', 'RIGHT', 'INNER', 'OUTER'].find((w) => this.ts.isKeyword(w));
    if (how) this.ts.next();
    if (this.ts.acceptKeyword('JOIN')) return { kind: 'join', how: (how?.toLowerCase() ?? 'outer') as 'outer', table: this.tableRef() };
    if (this.ts.isKeyword('KEEP')) {
      if (!how || how === 'OUTER') this.ts.fail(t, 'KEEP needs LEFT, RIGHT or INNER');
      this.ts.next();
      return { kind: 'keep', how: how.toLowerCase() as 'left', table: this.tableRef() };
    }
    if (how) this.ts.fail(this.ts.peek(), `expected JOIN or KEEP after ${how}, found ${describe(this.ts.peek())}`);
    for (const unsupported of UNSUPPORTED_PREFIXES) {
      if (this.ts.isKeyword(unsupported)) this.ts.fail(this.ts.peek(), `the ${unsupported} prefix is not supported`);
    }
    return { kind: 'none' };
  }

  private isEndOfFields(ahead: number): boolean {
    const t = this.ts.peek(ahead);
    if (t.kind === 'eof' || (t.kind === 'op' && t.text === ';')) return true;
    return [...SOURCE_KEYWORDS, ...CLAUSE_KEYWORDS].some((w) => this.ts.isKeyword(w, ahead));
  }

  private fieldList(): FieldItem[] {
    const items: FieldItem[] = [];
    do {
      const first = this.ts.peek();
      const pos = { line: first.line, column: first.column };
      if (first.kind === 'op' && first.text === '*' && (this.ts.isOp(',', 1) || this.isEndOfFields(1))) {
        this.ts.next();
        items.push({ kind: 'star', pos });
        continue;
      }
      const expr = this.expressions.parse();
      const text = this.ts.source.slice(first.start, this.ts.previous().end).trim();
      let name = expr.kind === 'field' ? expr.name : text;
      if (this.ts.acceptKeyword('AS')) name = this.ts.expectName('field name after AS').name;
      items.push({ expr, name, pos } satisfies FieldSpec);
    } while (this.ts.acceptOp(','));
    if (!this.isEndOfFields(0)) {
      this.ts.fail(this.ts.peek(), `expected "," or a LOAD source (FROM, INLINE, RESIDENT, AUTOGENERATE) after a LOAD field, found ${describe(this.ts.peek())}`);
    }
    return items;
  }

  private input(): LoadInput {
    const kw = this.ts.peek();
    const pos = { line: kw.line, column: kw.column };
    if (this.ts.acceptKeyword('AUTOGENERATE')) return { kind: 'autogenerate', count: this.expressions.parse(), pos };
    if (!SOURCE_KEYWORDS.some((w) => this.ts.isKeyword(w))) return { kind: 'preceding', pos };
    return this.source();
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

  private groupBy(): NamedRef[] {
    this.ts.next();
    this.ts.expectKeyword('BY', 'after GROUP');
    const names: NamedRef[] = [];
    do names.push(this.ts.expectName('GROUP BY field'));
    while (this.ts.acceptOp(','));
    return names;
  }

  private orderBy(input: LoadInput): LoadStage['orderBy'] {
    const t = this.ts.next();
    if (input.kind !== 'resident') this.ts.fail(t, 'ORDER BY is only allowed in a RESIDENT LOAD (as in Qlik)');
    this.ts.expectKeyword('BY', 'after ORDER');
    const keys: NonNullable<LoadStage['orderBy']> = [];
    do {
      const ref = this.ts.expectName('ORDER BY field');
      let descending = false;
      if (this.ts.acceptKeyword('DESC')) descending = true;
      else this.ts.acceptKeyword('ASC');
      keys.push({ ...ref, descending });
    } while (this.ts.acceptOp(','));
    return keys;
  }
}
