import { describe, expect, it } from 'vitest';
import { RuleParseError } from '../rule-parse.error';
import type { Expr } from './condition-ast';
import { CONDITION_LIMITS, parseCondition } from './condition-parser';
import { printCondition } from './condition-printer';

function parseError(text: string): RuleParseError {
  try {
    parseCondition(text);
  } catch (error) {
    if (error instanceof RuleParseError) return error;
    throw error;
  }
  throw new Error(`expected a parse error for ${text}`);
}

describe('parseCondition', () => {
  it('returns null for an empty or blank condition', () => {
    expect(parseCondition('')).toBeNull();
    expect(parseCondition('  \n\t ')).toBeNull();
  });

  it('parses a comparison into path and string operands', () => {
    const expr = parseCondition('user.group = "Sales"');
    expect(expr).toMatchObject({ kind: 'compare', op: '=', left: { kind: 'path', segments: ['user', 'group'] }, right: { kind: 'string', value: 'Sales' } });
  });

  it.each(['=', '!=', '==', '!==', 'like', 'matches'])('accepts the %s operator', (op) => {
    expect(parseCondition(`resource.name ${op} "x"`)).toMatchObject({ kind: 'compare', op });
  });

  it('gives NOT precedence over AND over OR', () => {
    const expr = parseCondition('!user.name = "a" and user.name = "b" or user.name = "c"') as Expr;
    expect(expr.kind).toBe('or');
    const [left, right] = (expr as Extract<Expr, { kind: 'or' }>).operands;
    expect(left?.kind).toBe('and');
    expect((left as Extract<Expr, { kind: 'and' }>).operands[0]?.kind).toBe('not');
    expect(right?.kind).toBe('compare');
  });

  it('treats && and || as and/or', () => {
    expect(printCondition(parseCondition('user.name = "a" && user.name = "b" || user.name = "c"'))).toBe(
      'user.name = "a" and user.name = "b" or user.name = "c"',
    );
  });

  it('keeps parenthesised groups as nested nodes', () => {
    const expr = parseCondition('user.name = "a" and (user.name = "b" or user.name = "c")') as Extract<Expr, { kind: 'and' }>;
    expect(expr.operands[1]?.kind).toBe('or');
  });

  it('parses function calls with a target path and canonicalises case-insensitive names', () => {
    const expr = parseCondition('resource.stream.hasprivilege("read")');
    expect(expr).toMatchObject({ kind: 'call', name: 'HasPrivilege', target: { segments: ['resource', 'stream'] }, args: [{ value: 'read' }] });
    expect(parseCondition('user.ISANONYMOUS()')).toMatchObject({ kind: 'call', name: 'IsAnonymous' });
  });

  it('decodes only \\" and \\\\ inside strings, keeping other backslashes for regex text', () => {
    expect(parseCondition('resource.name matches "\\d+\\.\\"x\\\\"')).toMatchObject({ right: { value: '\\d+\\."x\\' } });
  });

  it('reports line and column of a syntax error', () => {
    const second = '  and resource.name = ';
    const error = parseError(`user.group = "Sales"\n${second}`);
    // The operand is missing at the end of line 2, one past its last character.
    expect(error.line).toBe(2);
    expect(error.column).toBe(second.length + 1);
    expect(error.message).toContain(`line 2, column ${second.length + 1}`);
    const typo = parseError('user.group = "Sales"\nand resource.name ~ "x"');
    expect([typo.line, typo.column]).toEqual([2, 'and resource.name '.length + 1]);
  });

  it('rejects keywords that are not lower case, pointing at them', () => {
    const error = parseError('user.name = "a" AND user.name = "b"');
    expect([error.line, error.column]).toEqual([1, 17]);
    expect(error.detail).toContain("write 'and'");
    expect(() => parseCondition('resource.name LIKE "a*"')).toThrow(RuleParseError);
  });

  it('requires a literal on the right of like and matches', () => {
    expect(parseError('resource.name like user.name').detail).toContain("right side of 'like'");
    expect(parseError('resource.name matches user.name').detail).toContain("right side of 'matches'");
  });

  it('rejects a function without a target, comparing a function result, and non-string arguments', () => {
    expect(parseError('IsAnonymous()').detail).toContain('needs a target');
    expect(parseError('user.IsAnonymous() = "true"').detail).toContain('cannot be compared');
    expect(parseError('resource.HasPrivilege(read)').detail).toContain('string literals');
  });

  it('rejects a bare path and a bare string', () => {
    expect(() => parseCondition('resource.published')).toThrow(RuleParseError);
    expect(() => parseCondition('"x"')).toThrow(RuleParseError);
  });

  it('rejects unterminated strings, single & and |, and stray characters', () => {
    expect(parseError('user.name = "abc').detail).toContain('unterminated');
    expect(parseError('user.name = "a" & user.name = "b"').detail).toContain("'&&'");
    expect(parseError('user.name = "a" | user.name = "b"').detail).toContain("'||'");
    expect(parseError('user.name = "a" + "b"').detail).toContain('unexpected character');
  });

  it('bounds nesting depth with a parse error instead of a stack overflow', () => {
    const deep = `${'('.repeat(10_000)}user.name = "a"${')'.repeat(10_000)}`;
    expect(parseError(deep).detail).toContain(`deeper than ${CONDITION_LIMITS.maxDepth}`);
    expect(parseError(`${'!'.repeat(10_000)}user.IsAnonymous()`).detail).toContain('deeper');
  });

  it('bounds the text length', () => {
    const long = `user.name = "${'x'.repeat(CONDITION_LIMITS.maxLength)}"`;
    expect(parseError(long).detail).toContain('longer than');
  });
});
