import { describe, expect, it } from 'vitest';
import { ScriptError, ScriptErrorCode } from '../load-script.error';
import { positionOf } from '../testing/position-of';
import { expandDollars, type ExpansionHost } from './dollar-expansion';
import { LineIndex } from './source-text';
import { splitStatements } from './statement-splitter';

const texts = (src: string) => {
  const unit = splitStatements(src);
  return unit.statements.map((s) => [s.control, unit.code.slice(s.start, s.end).trim()]);
};

describe('splitStatements', () => {
  it('ends statements at ; outside strings, names, brackets and comments', () => {
    expect(texts("SET a = 'x;y';\nLOAD \"f;g\" INLINE [a;b\n1;2] (delimiter is ';'); // c;d\n/* e;f */ SET b = 1;")).toEqual([
      [null, "SET a = 'x;y'"],
      [null, 'LOAD "f;g" INLINE [a;b\n1;2] (delimiter is \';\')'],
      [null, 'SET b = 1'],
    ]);
  });

  it('ends control clauses at the line end (or ;) and IF/ELSEIF at THEN', () => {
    expect(texts('IF a = 1 THEN TRACE x;\nELSEIF b THEN\nELSE\nEND IF\nFOR i = 1 TO 3\nNEXT i;\nDO WHILE x < 3\nLOOP\nSUB s(a)\nEND SUB\nCALL s(1)\nEXIT SCRIPT;')).toEqual([
      ['if', 'IF a = 1 THEN'], [null, 'TRACE x'], ['elseif', 'ELSEIF b THEN'], ['else', 'ELSE'], ['end-if', 'END IF'],
      ['for', 'FOR i = 1 TO 3'], ['next', 'NEXT i'], ['do', 'DO WHILE x < 3'], ['loop', 'LOOP'],
      ['sub', 'SUB s(a)'], ['end-sub', 'END SUB'], ['call', 'CALL s(1)'], ['exit', 'EXIT SCRIPT'],
    ]);
    expect(texts("FOR EACH f IN 'a', 'b'\nNEXT")[0]).toEqual(['for-each', "FOR EACH f IN 'a', 'b'"]);
  });

  it('keeps offsets: comments are blanked, not removed', () => {
    const src = 'SET a = 1; // note\nLOAD /* x */ b INLINE [b\n1];';
    const unit = splitStatements(src);
    expect(unit.code.length).toBe(src.length);
    expect(unit.code.indexOf('b INLINE')).toBe(src.indexOf('b INLINE'));
  });

  it('reports a misplaced or unclosed structure where it is', () => {
    for (const [src, needle] of [['SET a = 1;\n  END FOR', 'END'], ["IF x = ';';\nTRACE a;", 'IF'], ['$(Include=lib://c/a.qvs', '$(']] as const) {
      let err: unknown;
      try {
        splitStatements(src);
      } catch (e) {
        err = e;
      }
      expect(err, src).toBeInstanceOf(ScriptError);
      expect(err).toMatchObject(positionOf(src, needle));
    }
  });
});

describe('expandDollars', () => {
  const vars: Record<string, string> = { a: 'A', n: '2', v2: 'second', f: 'x$1y$2', self: '$(self)' };
  const host: ExpansionHost = {
    variableText: (name) => vars[name],
    variableNumber: (name) => (vars[name] !== undefined && !Number.isNaN(Number(vars[name])) ? vars[name] : undefined),
    evaluate: (text) => `<${text.trim()}>`,
  };
  const expand = (code: string) => {
    const lines = new LineIndex(code);
    return expandDollars(code, (o) => lines.position(o), host, 10_000);
  };

  it('variables, nesting, parameters, expressions; unknown variables expand to nothing', () => {
    expect(expand("LOAD '$(a)' & $(n) AS x, '$(v$(n))' AS y, '$(f(1, 2))' AS z, $(=1+1) AS e, '$(missing)' AS m").text)
      .toBe("LOAD 'A' & 2 AS x, 'second' AS y, 'x1y2' AS z, <1+1> AS e, '' AS m");
  });

  it('maps positions of the expanded text back to the script', () => {
    const code = "SET x = 1;\nLOAD $(a) AS aa, Oops AS b";
    const x = expand(code);
    expect(x.locate(x.text.indexOf('Oops'))).toEqual(positionOf(code, 'Oops'));
    expect(x.locate(x.text.indexOf('A AS aa'))).toEqual(positionOf(code, '$(a)'));
  });

  it('a variable expanding to itself stops at the nesting limit', () => {
    let err: unknown;
    try {
      expand('LET x = $(self);');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: ScriptErrorCode.Limit });
  });
});
