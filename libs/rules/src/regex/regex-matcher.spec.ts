import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RulesError, RulesErrorCode } from '../rules.error';
import { MAX_MATCH_INPUT } from './pike-vm';
import { compileRegex } from './regex-matcher';

const matches = (pattern: string, input: string): boolean => compileRegex(pattern).test(input);

function refusal(pattern: string): RulesError {
  try {
    compileRegex(pattern);
  } catch (error) {
    if (error instanceof RulesError) return error;
    throw error;
  }
  throw new Error(`expected ${pattern} to be refused`);
}

describe('compileRegex (linear-time subset)', () => {
  it('is anchored at both ends', () => {
    expect(matches('sales', 'sales')).toBe(true);
    expect(matches('sales', 'presales')).toBe(false);
    expect(matches('sales', 'salesforce')).toBe(false);
    expect(matches('.*sales.*', 'presalesforce')).toBe(true);
  });

  it('is case-insensitive for literals and classes', () => {
    expect(matches('Sales', 'SALES')).toBe(true);
    expect(matches('[a-z]+', 'ABC')).toBe(true);
    expect(matches('[A-Z]+', 'abc')).toBe(true);
    expect(matches('[^a-z]', 'Q')).toBe(false);
  });

  it('supports classes, shorthands, escapes, quantifiers, bounded repeats, alternation and groups', () => {
    expect(matches('\\d{3}-\\d{2,4}', '123-4567')).toBe(true);
    expect(matches('\\d{3}-\\d{2,4}', '123-45678')).toBe(false);
    expect(matches('\\w+\\s\\w+', 'hello world')).toBe(true);
    expect(matches('a\\.b', 'a.b')).toBe(true);
    expect(matches('a\\.b', 'axb')).toBe(false);
    expect(matches('(dev|test)-[0-9]+', 'TEST-42')).toBe(true);
    expect(matches('(?:ab)+c?', 'ababab')).toBe(true);
    expect(matches('x{2,}', 'xxxx')).toBe(true);
    expect(matches('x{2,}', 'x')).toBe(false);
    expect(matches('^ab$', 'ab')).toBe(true);
    expect(matches('a.c', 'a\nc')).toBe(false);
    expect(matches('\\D\\W\\S', 'a-b')).toBe(true);
    expect(matches('', '')).toBe(true);
    expect(matches('a*?', 'aaa')).toBe(true);
  });

  it('matches astral code points as single characters', () => {
    expect(matches('.', '😀')).toBe(true);
    expect(matches('[😀-😂]x', '😁X')).toBe(true);
  });

  it.each([
    ['(a)\\1', 'back-reference'],
    ['(?=a)a', 'look-ahead'],
    ['(?<n>a)', 'named group'],
    ['\\bword', 'word boundary'],
    ['a**', 'nested quantifier'],
    ['*a', 'nothing to repeat'],
    ['(ab', 'unclosed group'],
    ['ab)', 'unbalanced group'],
    ['[abc', 'unclosed class'],
    ['a{5,2}', 'reversed bounds'],
    ['a{1001}', 'repeat over the limit'],
    ['a{', 'malformed braces'],
    ['\\u0041', 'unicode escape'],
    ['[\\W]', 'negated shorthand in a class'],
    ['a\\', 'trailing backslash'],
  ])('refuses %s (%s) as UNSUPPORTED_REGEX', (pattern) => {
    expect(refusal(pattern).code).toBe(RulesErrorCode.UNSUPPORTED_REGEX);
  });

  it('refuses patterns whose bounded expansion is too large', () => {
    expect(refusal('(a{1000}){1000}').message).toContain('instructions');
  });

  it('evaluates (a+)+$ on a long non-matching input in linear time', () => {
    const evil = compileRegex('(a+)+$');
    const input = `${'a'.repeat(MAX_MATCH_INPUT - 1)}!`;
    const started = process.cpuUsage();
    expect(evil.test(input)).toBe(false);
    const used = process.cpuUsage(started);
    // A backtracking engine needs ~2^8191 steps here; a linear one a few milliseconds.
    expect((used.user + used.system) / 1000).toBeLessThan(1_000);
    // JavaScript's own backtracking engine shows the danger at a fraction of the size.
    const small = `${'a'.repeat(21)}!`;
    const cpuMs = (run: () => void): number => {
      const t = process.cpuUsage();
      run();
      const used = process.cpuUsage(t);
      return (used.user + used.system) / 1000;
    };
    const backtracking = cpuMs(() => expect(/^(?:(a+)+$)$/i.test(small)).toBe(false));
    expect(cpuMs(() => expect(evil.test(small)).toBe(false))).toBeLessThan(backtracking + 5);
  });

  it('scales linearly with input length on (a|a)*b', () => {
    const pattern = compileRegex('(a|aa|a?)*b');
    // CPU time, not wall time: a busy machine must not make this flaky.
    const time = (n: number): number => {
      const input = 'a'.repeat(n);
      const t = process.cpuUsage();
      for (let i = 0; i < 5; i++) pattern.test(input);
      const used = process.cpuUsage(t);
      return (used.user + used.system) / 1000;
    };
    time(1000); // warm up
    const short = time(1000);
    const long = time(8000);
    // 8× the input: linear means ~8× the time; allow 4× slack (quadratic would be ~64×).
    expect(long).toBeLessThan(Math.max(short, 2) * 8 * 4);
  });

  it('refuses oversized input at evaluation instead of working on it', () => {
    expect(() => compileRegex('a*').test('a'.repeat(MAX_MATCH_INPUT + 1))).toThrow(RulesError);
  });

  it('property: agrees with JavaScript RegExp on ASCII patterns of the subset', () => {
    const atom = fc.oneof(
      fc.constantFrom('a', 'b', 'A', 'B', '.', '\\d', '\\w', '\\s', '[a-c]', '[^b]', '[0-9_]', '\\.', 'x'),
      fc.constantFrom('(a|b)', '(?:ab|c)', '(b|)'),
    );
    const quantified = fc.tuple(atom, fc.constantFrom('', '', '*', '+', '?', '{2}', '{1,3}', '{0,}')).map(([a, q]) => a + q);
    const pattern = fc.array(quantified, { minLength: 0, maxLength: 5 }).chain((parts) =>
      fc.boolean().map((alt) => (alt && parts.length > 1 ? `${parts.slice(0, 2).join('')}|${parts.slice(2).join('')}` : parts.join(''))),
    );
    const input = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', 'c', '1', '_', ' ', '.', 'x', '\n'), maxLength: 10 });
    fc.assert(
      fc.property(pattern, input, (p, s) => {
        const oracle = new RegExp(`^(?:${p})$`, 'i');
        expect(matches(p, s)).toBe(oracle.test(s));
      }),
      { numRuns: 2000 },
    );
  });
});
