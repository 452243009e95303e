import { describe, expect, it } from 'vitest';
import { ScriptError, ScriptErrorCode } from './load-script.error';
import type { Expression, Statement } from './script-ast';
import { parseScript } from './script-parser';
import { positionOf } from './testing/position-of';

const statementsOf = (src: string): Statement[] => {
  const script = parseScript(src);
  return script.unit.statements.flatMap((raw) => script.parsed.get(raw) ?? []);
};

const one = (src: string): Statement => {
  const statements = statementsOf(src);
  expect(statements).toHaveLength(1);
  return statements[0]!;
};

function parseError(src: string, limits = {}): ScriptError {
  try {
    parseScript(src, limits);
  } catch (e) {
    if (e instanceof ScriptError) return e;
    throw e;
  }
  throw new Error('expected a ScriptError');
}

describe('parseScript: constructs', () => {
  it('SET keeps text; LET keeps an expression', () => {
    expect(one("SET HidePrefix = '%';")).toMatchObject({ kind: 'set', name: 'HidePrefix', value: '%' });
    expect(one('SET n = 42;')).toMatchObject({ kind: 'set', value: '42' });
    expect(one('SET f = Sum( x );')).toMatchObject({ kind: 'set', value: 'Sum( x )' });
    expect(one("LET v = 'a' & 1;")).toMatchObject({ kind: 'let', name: 'v', expr: { kind: 'binary', op: '&' } });
  });

  it('Section Access / Section Application, case-insensitive', () => {
    expect(statementsOf('section access; SECTION Application;').map((s) => s.kind === 'section' && s.section)).toEqual(['access', 'application']);
  });

  it('labelled INLINE load with delimiter option and WHERE', () => {
    const s = one("[My Sales]: load A, B as [Bee Field] inline [A;B\n1;2] (delimiter is ';') where A > 0;");
    expect(s).toMatchObject({
      kind: 'load', label: 'My Sales',
      stage: { fields: [{ name: 'A' }, { name: 'Bee Field' }], where: { kind: 'binary', op: '>' } },
      input: { kind: 'inline', delimiter: ';', content: 'A;B\n1;2' },
    });
  });

  it('names computed fields after their source text when there is no AS', () => {
    const s = one('LOAD Upper( "first name" ) & x, "first name" INLINE [x]; ');
    expect(s.kind === 'load' && s.stage.fields.map((f) => ('name' in f ? f.name : '*'))).toEqual(['Upper( "first name" ) & x', 'first name']);
  });

  it('FROM csv with every format item, and FROM json', () => {
    expect(one("T: LOAD * FROM [lib://Data Files/sub/sales.csv] (txt, utf8, embedded labels, delimiter is '\\t', msq);")).toMatchObject({
      label: 'T', stage: { fields: [{ kind: 'star' }] },
      input: { kind: 'file', connection: 'Data Files', path: 'sub/sales.csv', format: { type: 'txt', delimiter: '\t', quoting: 'msq', labels: 'embedded' } },
    });
    expect(one('LOAD * FROM [lib://c/a.json] (json);')).toMatchObject({ input: { kind: 'file', format: { type: 'json', codepage: 'utf-8' } } });
    expect(one("LOAD * FROM 'lib://c/a.csv' (txt, embedded labels);")).toMatchObject({
      input: { format: { type: 'txt', delimiter: ',', quoting: 'standard' } },
    });
  });

  it('RESIDENT, DROP TABLE, DROP FIELD [FROM]', () => {
    expect(one('LOAD * RESIDENT [Old Table] WHERE not x = 1;')).toMatchObject({ input: { kind: 'resident', table: 'Old Table' }, stage: { where: { kind: 'unary', op: 'not' } } });
    expect(one('DROP TABLE T;')).toMatchObject({ kind: 'drop-tables', tables: [{ name: 'T' }] });
    expect(one('drop field F;')).toMatchObject({ kind: 'drop-fields', fields: [{ name: 'F' }], tables: null });
    expect(one('DROP FIELDS "F 1", G FROM T, U;')).toMatchObject({ kind: 'drop-fields', fields: [{ name: 'F 1' }, { name: 'G' }], tables: [{ name: 'T' }, { name: 'U' }] });
  });

  it('expression precedence: * over +, + over &, & over =, = over not, not over and, and over or', () => {
    const s = one('LET v = not 1 + 2 * 3 & x = y and a or b;');
    if (s.kind !== 'let' || !s.expr) throw new Error('expected LET');
    const shape = (e: Expression): unknown => {
      switch (e.kind) {
        case 'binary': return [e.op, shape(e.left), shape(e.right)];
        case 'unary': return [e.op, shape(e.operand)];
        case 'call': return [e.name, ...e.args.map(shape)];
        case 'field': return e.name;
        default: return e.value;
      }
    };
    expect(shape(s.expr)).toEqual(['or', ['and', ['not', ['=', ['&', ['+', 1, ['*', 2, 3]], 'x'], 'y']], 'a'], 'b']);
  });

  it('function names are case-insensitive and arity is checked', () => {
    const s = one('LET v = upper(mid(\'abc\', 2, 1));');
    expect(s).toMatchObject({ expr: { kind: 'call', name: 'UPPER', args: [{ kind: 'call', name: 'MID' }] } });
  });
});

describe('parseScript: errors carry line and column', () => {
  const cases: [string, string, string, number?][] = [
    ['unsupported LOAD prefix', 'SET a = 1;\n  Generic LOAD * INLINE [a\n1];', 'Generic'],
    ['BINARY is refused', 'LOAD a INLINE [a\n1];\nBINARY [lib://c/x.qvf];', 'BINARY'],
    ['missing semicolon after SET', "SET a = 1\nSET b = 2;", 'SET b'],
    ['missing semicolon after LOAD', 'LOAD a INLINE [a\n1]\nLOAD b INLINE [b\n2];', 'LOAD b'],
    ['unknown function', 'LET x = 1;\nT: LOAD Summ(a) INLINE [a\n1];', 'Summ'],
    ['wrong arity', 'LOAD Left(a) INLINE [a\n1];', 'Left'],
    ['star inside an expression', 'LOAD a + * INLINE [a\n1];', '* INLINE'],
    ['ORDER BY outside RESIDENT', 'LOAD a INLINE [a\n1] ORDER BY a;', 'ORDER'],
    ['STORE without a format', 'STORE T INTO [lib://c/x.dat];', '[lib'],
    ['STORE delimiter on a QVD', "STORE T INTO [lib://c/x.qvd] (qvd, delimiter is ';');", 'delimiter'],
    ['STORE as parquet', 'STORE T INTO [lib://c/x.parquet] (parquet);', 'parquet)'],
    ['IF without END IF', 'SET a = 1;\nIF a = 1 THEN\n  SET b = 2;', 'IF'],
    ['NEXT without FOR', 'SET a = 1;\n NEXT i', 'NEXT'],
    ['LOOP without DO', 'SET a = 1;\n LOOP', 'LOOP'],
    ['FROM without lib://', 'LOAD * FROM [C:\\data\\x.csv] (txt, embedded labels);', '[C:'],
    ['lib path escaping', 'LOAD * FROM [lib://data/../../etc/passwd] (txt, embedded labels);', '[lib:'],
    ['absolute lib path', 'LOAD * FROM [lib://data//etc/passwd] (txt, embedded labels);', '[lib:'],
    ['unsupported format item', "LOAD * FROM [lib://c/a.csv] (txt, verbatim, delimiter is ',');", 'verbatim'],
    ['format item that does not fit the file type', 'LOAD * FROM [lib://c/a.qvd] (qvd, embedded labels);', 'embedded'],
    ['bad delimiter', "LOAD * INLINE [a\n1] (delimiter is ';;');", "';;'"],
    ['unclosed parenthesis', 'LET x = (1 + 2;', ';'],
    ['dangling operator', 'LET x = 1 +;', ';'],
    ['section without name', 'Section Data;', 'Data'],
    ['DROP without TABLE/FIELD', 'DROP T;', 'T;'],
    ['keyword as value', 'LOAD FROM [lib://c/a.json] (json);', 'FROM'],
  ];
  it.each(cases)('%s', (_name, src, needle) => {
    const err = parseError(src);
    expect({ line: err.line, column: err.column }).toEqual(positionOf(src, needle));
    expect(err.message.length).toBeGreaterThan(5);
  });

  it('an unknown statement is refused, never skipped', () => {
    for (const stmt of ['Binary [lib://c/app.qvf];', 'Directory lib://c;', 'EXECUTE cmd.exe;', 'SQL SELECT * FROM t;', 'Crosstable(a, b) LOAD * INLINE [a\n1];', 'Frobnicate;', 'SWITCH x\nCASE 1\nEND SWITCH']) {
      expect(parseError(stmt).code).toBe(ScriptErrorCode.Syntax);
    }
  });

  it('limits: script size, inline size and expression depth are named', () => {
    expect(parseError('LET a = 1;', { maxScriptChars: 5 }).message).toContain('maxScriptChars');
    const inline = parseError('LOAD * INLINE [a\n1\n2\n3];', { maxInlineChars: 4 });
    expect([inline.code, inline.message.includes('maxInlineChars')]).toEqual([ScriptErrorCode.Limit, true]);
    const deepParens = `LET a = ${'('.repeat(100)}1${')'.repeat(100)};`;
    expect(parseError(deepParens, { maxExpressionDepth: 50 }).message).toContain('maxExpressionDepth');
    const longChain = `LET a = 1${' + 1'.repeat(100)};`;
    expect(parseError(longChain, { maxExpressionDepth: 50 }).message).toContain('maxExpressionDepth');
    // Within the limit the same shapes parse.
    expect(() => parseScript(`LET a = 1${' + 1'.repeat(40)};`, { maxExpressionDepth: 50 })).not.toThrow();
  });

  it('deep nesting far beyond the stack is a clean error, not a crash', () => {
    const err = parseError(`LET a = ${'-'.repeat(200_000)}1;`);
    expect(err.code).toBe(ScriptErrorCode.Limit);
  });
});
