import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataModelErrorCode } from './data-model.error';
import { evaluateExpr } from './expression-ast';
import { parseExpression } from './expression-parser';

type Tree = number | { op: '+' | '-' | '*' | '/'; l: Tree; r: Tree };

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.integer({ min: 0, max: 50 }), fc.record({ op: fc.constantFrom('+', '-', '*', '/'), l: tie('t'), r: tie('t') }) as fc.Arbitrary<Tree>),
})).t;

const text = (t: Tree): string => (typeof t === 'number' ? String(t) : `(${text(t.l)} ${t.op} ${text(t.r)})`);
const value = (t: Tree): number => {
  if (typeof t === 'number') return t;
  const a = value(t.l);
  const b = value(t.r);
  if (t.op === '+') return a + b;
  if (t.op === '-') return a - b;
  if (t.op === '*') return a * b;
  return b === 0 ? Number.NaN : a / b;
};

describe('parseExpression', () => {
  it('fully parenthesised arithmetic evaluates like the tree it was printed from', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const got = evaluateExpr(parseExpression(text(t)).root, () => Number.NaN);
        const want = value(t);
        if (Number.isNaN(want)) expect(got).toBeNaN();
        else expect(got).toBe(want);
      }),
    );
  });

  it('applies precedence and left associativity', () => {
    const ev = (s: string) => evaluateExpr(parseExpression(s).root, () => Number.NaN);
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('10 - 4 - 3')).toBe(3);
    expect(ev('16 / 4 / 2')).toBe(2);
    expect(ev('-2 * -3')).toBe(6);
  });

  it('collects aggregates once, with DISTINCT and bracketed names', () => {
    const p = parseExpression('sum([Net Amount]) / Count(DISTINCT "Cust Id") + Sum([Net Amount])');
    expect(p.aggregates).toEqual([
      { fn: 'sum', distinct: false, field: 'Net Amount' },
      { fn: 'count', distinct: true, field: 'Cust Id' },
    ]);
  });

  it('a long flat chain within the length limit evaluates without exhausting the stack', () => {
    const n = 4999;
    expect(evaluateExpr(parseExpression(`${'1+'.repeat(n)}1`).root, () => Number.NaN)).toBe(n + 1);
  });

  it('bounds length and nesting with typed errors', () => {
    const code = { code: DataModelErrorCode.INVALID_EXPRESSION };
    expect(() => parseExpression(`${'('.repeat(100)}1${')'.repeat(100)}`)).toThrow(expect.objectContaining(code));
    expect(() => parseExpression(`${'-'.repeat(100)}1`)).toThrow(expect.objectContaining(code));
    expect(() => parseExpression('1+'.repeat(6000) + '1')).toThrow(expect.objectContaining(code));
    expect(() => parseExpression(42 as unknown as string)).toThrow(expect.objectContaining(code));
    expect(() => parseExpression('[unterminated')).toThrow(expect.objectContaining(code));
  });
});
