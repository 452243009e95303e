import { describe, expect, it } from 'vitest';
import { ScriptError } from './load-script.error';
import { tokenize } from './script-lexer';
import { positionOf } from './testing/position-of';

const kinds = (src: string) => tokenize(src).map((t) => `${t.kind}:${t.text}`);

describe('tokenize', () => {
  it('drops // and /* */ comments and keeps line/column of later tokens', () => {
    const src = '// first line\n/* a\n block */ LOAD x;';
    const tokens = tokenize(src);
    expect(tokens.map((t) => t.text)).toEqual(['LOAD', 'x', ';', '']);
    expect(tokens[0]).toMatchObject(positionOf(src, 'LOAD'));
    expect(tokens[1]).toMatchObject(positionOf(src, 'x;'));
  });

  it('treats REM as a comment only at the start of a statement', () => {
    expect(kinds('REM this; is skipped;')).toEqual(['ident:is', 'ident:skipped', 'op:;', 'eof:']);
    expect(kinds('SET a = 1; rem gone ; LOAD')).toEqual(['ident:SET', 'ident:a', 'op:=', 'number:1', 'op:;', 'ident:LOAD', 'eof:']);
    // Inside a statement REM is an ordinary name.
    expect(kinds('LOAD Rem')).toEqual(['ident:LOAD', 'ident:Rem', 'eof:']);
  });

  it('decodes strings, quoted names and doubled quotes', () => {
    expect(kinds(`'it''s' "a ""b"""`)).toEqual(["string:it's", 'quoted:a "b"', 'eof:']);
  });

  it('keeps bracket content verbatim, including // and newlines', () => {
    const src = 'x [lib://Conn/a.csv]\n[A, B\n1, 2]';
    const tokens = tokenize(src);
    expect(tokens[1]).toMatchObject({ kind: 'bracket', text: 'lib://Conn/a.csv' });
    expect(tokens[2]).toMatchObject({ kind: 'bracket', text: 'A, B\n1, 2' });
    expect(tokens[2]?.inner).toEqual(positionOf(src, 'A, B'));
  });

  it('reads numbers, identifiers with # and %, and two-character operators', () => {
    expect(kinds('12 3.5 Date# %Key a<>b<=c>=d')).toEqual([
      'number:12', 'number:3.5', 'ident:Date#', 'ident:%Key', 'ident:a', 'op:<>', 'ident:b', 'op:<=', 'ident:c', 'op:>=', 'ident:d', 'eof:',
    ]);
  });

  it('reads Qlik positional field names (@3, @1:5, @11:n) as names', () => {
    expect(kinds('LOAD @1:5 AS Code, @3, @11:n, [@2];')).toEqual([
      'ident:LOAD', 'ident:@1:5', 'ident:AS', 'ident:Code', 'op:,', 'ident:@3', 'op:,', 'ident:@11:n', 'op:,', 'bracket:@2', 'op:;', 'eof:',
    ]);
  });

  const broken: [string, string, string][] = [
    ['unterminated string', "LET a = 'abc;\nLOAD", "'abc"],
    ['unterminated quoted name', 'LOAD "abc', '"abc'],
    ['unterminated bracket', 'LOAD * INLINE [a, b\n1, 2;', '[a, b'],
    ['unterminated block comment', 'LOAD a; /* never closed', '/*'],
    ['unterminated REM', 'LOAD a;\n  REM no semicolon', 'REM'],
    ['unexpected character', 'LOAD a ! b;', '!'],
    ['malformed number', 'LET x = 12abc;', '12abc'],
    ['malformed column name', 'LOAD @1:5x FROM', 'x FROM'],
  ];
  it.each(broken)('reports %s with line and column', (_name, src, needle) => {
    let error: unknown;
    try {
      tokenize(src);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScriptError);
    const expected = needle === '12abc' ? { line: 1, column: positionOf(src, needle).column + 2 } : positionOf(src, needle);
    expect(error).toMatchObject(expected);
  });
});
