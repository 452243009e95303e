import { describe, expect, it } from 'vitest';
import { validateLoadResult } from './load-result.validator';

/** Threat: a compromised worker handing the engine a malformed model. */
describe('validateLoadResult', () => {
  const good = { tables: [{ name: 'T', fields: ['A', 'B'], columns: [[1, null], ['x', 'y']] }], sectionAccess: null, variables: { v: '1' } };

  it('accepts a well-formed result', () => {
    expect(validateLoadResult(good)).toEqual(good);
  });

  it('accepts dual cells in data tables as frozen {num, text}, and only there', () => {
    const wire = { ...good, tables: [{ name: 'T', fields: ['D'], columns: [[{ num: 45306, text: '1/15/2024' }, null]] }] };
    const result = validateLoadResult(wire);
    if (typeof result === 'string') throw new Error(result);
    const cell = result.tables[0]!.columns[0]![0];
    expect(cell).toEqual({ num: 45306, text: '1/15/2024' });
    expect(Object.isFrozen(cell)).toBe(true);
    const inAccess = { ...good, sectionAccess: { name: 'S', fields: ['ACCESS', 'D'], columns: [['USER'], [{ num: 1, text: 'A' }]] } };
    expect(typeof validateLoadResult(inAccess)).toBe('string');
  });

  it.each([
    ['dual with a NaN number', { ...good, tables: [{ name: 'T', fields: ['A'], columns: [[{ num: NaN, text: 'x' }]] }] }],
    ['dual with extra keys', { ...good, tables: [{ name: 'T', fields: ['A'], columns: [[{ num: 1, text: 'x', evil: 1 }]] }] }],
    ['dual with a number as text', { ...good, tables: [{ name: 'T', fields: ['A'], columns: [[{ num: 1, text: 2 }]] }] }],
    ['not an object', 42],
    ['tables missing', { sectionAccess: null, variables: {} }],
    ['unequal columns', { ...good, tables: [{ name: 'T', fields: ['A', 'B'], columns: [[1], [1, 2]] }] }],
    ['columns vs fields', { ...good, tables: [{ name: 'T', fields: ['A'], columns: [[1], [2]] }] }],
    ['duplicate fields', { ...good, tables: [{ name: 'T', fields: ['A', 'A'], columns: [[1], [2]] }] }],
    ['duplicate tables', { ...good, tables: [good.tables[0], good.tables[0]] }],
    ['object cell', { ...good, tables: [{ name: 'T', fields: ['A'], columns: [[{}]] }] }],
    ['NaN cell', { ...good, tables: [{ name: 'T', fields: ['A'], columns: [[NaN]] }] }],
    ['bad section access', { ...good, sectionAccess: { name: 'S', fields: [], columns: [] } }],
    ['non-string variable', { ...good, variables: { v: 1 } }],
  ])('refuses %s', (_n, value) => {
    expect(typeof validateLoadResult(value)).toBe('string');
  });
});
