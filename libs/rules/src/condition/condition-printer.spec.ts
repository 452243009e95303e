import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareOp, Expr, Operand, PathOperand } from './condition-ast';
import { parseCondition } from './condition-parser';
import { printCondition } from './condition-printer';

const pos = { line: 1, column: 1 };

/** Positions are where text was, not what it means: compare trees without them. */
function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'pos').map(([key, v]) => [key, strip(v)]));
  }
  return value;
}

const segment = fc.constantFrom('group', 'name', 'userId', 'stream', 'app', 'owner', '@Dept', '@Région', 'published', 'like', 'and');
const path: fc.Arbitrary<PathOperand> = fc
  .tuple(fc.constantFrom('user', 'resource'), fc.array(segment, { minLength: 0, maxLength: 3 }))
  .map(([root, rest]) => ({ kind: 'path', segments: [root, ...rest], pos }));
// Any text except raw newlines (the lexer refuses them inside a literal).
const text = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/\n/g, ' '));
const literal: fc.Arbitrary<Operand> = text.map((value) => ({ kind: 'string', value, pos }));
const operand = fc.oneof(path, literal);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(operand, fc.constantFrom<CompareOp>('=', '!=', '==', '!=='), operand).map(([left, op, right]) => ({ kind: 'compare', op, left, right, pos }) as Expr),
    fc.tuple(operand, fc.constantFrom<CompareOp>('like', 'matches'), literal).map(([left, op, right]) => ({ kind: 'compare', op, left, right, pos }) as Expr),
    fc.tuple(path, fc.constantFrom('HasPrivilege', 'Empty', 'IsOwned', 'IsAnonymous', 'Custom'), fc.array(literal, { maxLength: 2 })).map(
      ([target, name, args]) => ({ kind: 'call', target, name, args, pos }) as Expr,
    ),
    tie('expr').map((operand) => ({ kind: 'not', operand, pos }) as Expr),
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((operands) => ({ kind: 'and', operands, pos }) as Expr),
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((operands) => ({ kind: 'or', operands, pos }) as Expr),
  ),
}));

describe('printCondition', () => {
  it('prints canonical text: word operators, single spaces, minimal parentheses', () => {
    const source = '( user.group="A"||user.group  =  "B" )&&!( resource.name like "x*")&& !user.isanonymous()';
    expect(printCondition(parseCondition(source))).toBe('(user.group = "A" or user.group = "B") and !(resource.name like "x*") and !user.IsAnonymous()');
  });

  it('escapes quotes and backslashes so the literal survives a round trip', () => {
    const expr = parseCondition('resource.name = "say \\"hi\\" \\\\ \\d"');
    const printed = printCondition(expr);
    expect(printed).toBe('resource.name = "say \\"hi\\" \\\\ \\\\d"');
    expect(strip(parseCondition(printed))).toEqual(strip(expr));
  });

  it('property: parsing the printed text of any tree gives the same tree', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        expect(strip(parseCondition(printCondition(tree)))).toEqual(strip(tree));
      }),
      { numRuns: 400 },
    );
  });

  it('property: print ∘ parse ∘ print is stable', () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const once = printCondition(tree);
        expect(printCondition(parseCondition(once))).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
