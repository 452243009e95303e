import { describe, expect, it } from 'vitest';
import { DataModelErrorCode } from '../data-model.error';
import { expandDollars, type DollarExpansion } from './dollar-expansion';

/** A toy evaluator: sums the integers of an expression like "1+2+3" (enough to see where it was called). */
const sum = (e: string) => String(e.split('+').reduce((a, b) => a + Number(b.trim()), 0));
const env = (vars: Record<string, string>, seen: string[] = []): DollarExpansion => ({
  variable: (n) => Object.entries(vars).find(([k]) => k.toLowerCase() === n.toLowerCase())?.[1],
  evaluate: (e) => {
    seen.push(e);
    return sum(e);
  },
});

describe('dollar-sign expansion', () => {
  it('replaces $(name) by the text, case-insensitively, and leaves text without $( untouched', () => {
    expect(expandDollars('Sum(AMOUNT)', env({}))).toBe('Sum(AMOUNT)');
    expect(expandDollars('Sum($(vField)) * $(VRATE)', env({ vField: 'AMOUNT', vRate: '2' }))).toBe('Sum(AMOUNT) * 2');
  });

  it('evaluates $(=expr) and =-defined variables through the caller, inner expansions first', () => {
    const seen: string[] = [];
    const vars = { vA: '1', vB: '=$(vA)+2', vName: 'A' };
    expect(expandDollars('x $(=$(vA)+10) $(vB) $(v$(vName))', env(vars, seen))).toBe('x 11 3 1');
    expect(seen).toEqual(['1+10', '1+2']);
  });

  it('expands an unknown name to nothing, as Qlik does', () => {
    expect(expandDollars('[$(nope)]', env({}))).toBe('[]');
  });

  it('refuses cycles, nesting beyond the bound, unclosed $( and runaway length', () => {
    const invalid = expect.objectContaining({ code: DataModelErrorCode.INVALID_EXPRESSION });
    expect(() => expandDollars('$(a)', env({ a: '$(b)', b: '$(A)' }))).toThrow(invalid);
    const chain: Record<string, string> = {};
    for (let i = 0; i < 40; i++) chain[`v${i}`] = `$(v${i + 1})`;
    chain['v40'] = 'end';
    expect(() => expandDollars('$(v0)', env(chain))).toThrow(invalid);
    expect(() => expandDollars('$(v30)', env(chain))).not.toThrow();
    expect(() => expandDollars('Sum($(a', env({ a: 'x' }))).toThrow(invalid);
    const big = { a: 'x'.repeat(1000), b: '$(a)'.repeat(500) };
    expect(() => expandDollars('$(b)', { ...env(big), maxLength: 100_000 })).toThrow(invalid);
    // Evaluations are bounded too: each one is an aggregation over the whole view.
    const many = (n: number) => Array.from({ length: n }, () => '$(=1)').join('+');
    expect(expandDollars(many(256), env({}))).toBe(many(256).replaceAll('$(=1)', '1'));
    expect(() => expandDollars(many(257), env({}))).toThrow(invalid);
  });
});
