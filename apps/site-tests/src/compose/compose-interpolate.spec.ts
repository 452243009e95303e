import { describe, expect, it } from 'vitest';
import { interpolate, interpolateDeep, parseEnvFile } from './compose-interpolate';

// The cases of the compose specification's "Interpolation" section.
describe('compose interpolation', () => {
  const vars = { SET: 'value', EMPTY: '' };

  it('substitutes ${VAR} and $VAR, and $$ is a literal $', () => {
    expect(interpolate('a ${SET} b $SET c', vars)).toBe('a value b value c');
    expect(interpolate('$$SET and $${SET}', vars)).toBe('$SET and ${SET}');
    expect(interpolate('${MISSING}|$MISSING', vars)).toBe('|');
  });

  it(':- applies to unset or empty, - to unset only', () => {
    expect(interpolate('${MISSING:-d} ${EMPTY:-d} ${SET:-d}', vars)).toBe('d d value');
    expect(interpolate('${MISSING-d}|${EMPTY-d}|${SET-d}', vars)).toBe('d||value');
    expect(interpolate('${MISSING:-engine:4747}', vars)).toBe('engine:4747');
  });

  it(':? and ? fail with the message; :+ and + replace when set', () => {
    expect(() => interpolate('${MISSING:?give it}', vars)).toThrow(/MISSING: give it/);
    expect(() => interpolate('${EMPTY:?}', vars)).toThrow(/EMPTY/);
    expect(interpolate('${EMPTY?x}', vars)).toBe('');
    expect(interpolate('${SET:+r} ${EMPTY:+r} ${EMPTY+r}', vars)).toBe('r  r');
  });

  it('refuses what it does not understand instead of guessing', () => {
    expect(() => interpolate('price: $5', vars)).toThrow(/lone \$/);
    expect(() => interpolate('${SET', vars)).toThrow(/unterminated/);
    expect(() => interpolate('${SET/x/y}', vars)).toThrow(/unsupported/);
  });

  it('interpolates values, never keys, through nested documents', () => {
    expect(interpolateDeep({ '${SET}': ['${SET}', { k: '$SET' }], n: 1 }, vars)).toEqual({ '${SET}': ['value', { k: 'value' }], n: 1 });
  });

  it('reads env files: comments, blank lines, quotes; a line without = is an error', () => {
    expect(parseEnvFile('# c\n\nA=1\nB = "two words"\nC=\'x=y\'\n')).toEqual({ A: '1', B: 'two words', C: 'x=y' });
    expect(() => parseEnvFile('JUSTAKEY\n')).toThrow(/without KEY=/);
  });
});
