import { describe, expect, it } from 'vitest';
import { validateLoadResult } from './load-result.validator';

/** Threat: a compromised worker handing the engine a malformed model. */
describe('validateLoadResult', () => {
  const good = { tables: [{ name: 'T', fields: ['A', 'B'], columns: [[1, null], ['x', 'y']] }], sectionAccess: null, variables: { v: '1' } };

  it('accepts a well-formed result', () => {
    expect(validateLoadResult(good)).toEqual(good);
  });

  it.each([
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
