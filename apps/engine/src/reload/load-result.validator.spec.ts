import { describe, expect, it } from 'vitest';
import { deserialize, serialize } from 'node:v8';
import { encodedColumns, makeEncoded } from '@trustzone/data-model';
import { toWireResult, validateLoadResult } from './load-result.validator';

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

  const enc = (symbols: unknown[], indexes: unknown) => ({ symbols, indexes });
  const encodedWire = (encoded: unknown[], extra: Record<string, unknown> = {}) =>
    ({ ...good, tables: [{ name: 'Q', fields: encoded.map((_c, i) => `F${i}`), encoded, ...extra }] });

  it('carries an encoded (QVD optimized load) table across the advanced serialization as symbols + Int32Array', () => {
    const sent = { tables: [makeEncoded({ name: 'Q', fields: ['D', 'N'] }, [
      { symbols: [{ num: 45306, text: '1/15/2024' }], indexes: Int32Array.from([0, -1, 0]) },
      { symbols: ['a', 7], indexes: Int32Array.from([1, 0, 1]) },
    ])], sectionAccess: null, variables: {} };
    // What process.send does with serialization 'advanced': the V8 serializer.
    const result = validateLoadResult(deserialize(serialize(toWireResult(sent))));
    if (typeof result === 'string') throw new Error(result);
    const t = result.tables[0]!;
    const e = encodedColumns(t)!;
    expect(e[0]!.indexes).toBeInstanceOf(Int32Array);
    expect(Object.isFrozen(e[0]!.symbols[0])).toBe(true); // the dual was rebuilt as a DualCell
    expect(t.columns).toEqual([[{ num: 45306, text: '1/15/2024' }, null, { num: 45306, text: '1/15/2024' }], [7, 'a', 7]]);
  });

  it('sends arrays sized once by the loader (V8 "holey") packed: the serializer writes holey ones as index/value pairs', () => {
    const n = 10_000;
    const holey = <T,>(f: (i: number) => T): T[] => {
      const a = new Array<T>(n);
      for (let i = 0; i < n; i++) a[i] = f(i);
      return a;
    };
    const sent = { tables: [
      makeEncoded({ name: 'E', fields: ['N'] }, [{ symbols: holey((i) => i + 0.5), indexes: Int32Array.from({ length: n }, (_, i) => i) }]),
      { name: 'P', fields: ['M'], columns: [holey((i) => i + 0.25)] },
    ], sectionAccess: { name: 'S', fields: ['ACCESS'], columns: [holey(() => 'USER')] }, variables: {} };
    const wire = toWireResult(sent);
    // Dense: a tag and 8 bytes per double; sparse adds an index per value (about 13 bytes each).
    const [e, p] = wire.tables;
    if (!e || !('encoded' in e) || !p || 'encoded' in p) throw new Error('expected an encoded table, then a plain one');
    expect(serialize(e.encoded[0]!.symbols).length).toBeLessThan(9.5 * n);
    expect(serialize(p.columns[0]).length).toBeLessThan(9.5 * n);
    expect(serialize(wire.sectionAccess!.columns[0]).length).toBeLessThanOrEqual(serialize(Array.from({ length: n }, () => 'USER')).length);
    // The same values arrive.
    const result = validateLoadResult(deserialize(serialize(wire)));
    if (typeof result === 'string') throw new Error(result);
    expect(result.tables[0]!.columns[0]![n - 1]).toBe(n - 0.5);
    expect(result.tables[1]!.columns[0]).toEqual(sent.tables[1]!.columns[0]);
  });

  it('refuses a forged encoded table from a compromised worker after the IPC round trip', () => {
    const forged = { tables: [{ name: 'Q', fields: ['A'], encoded: [{ symbols: ['a', 'b'], indexes: Int32Array.from([0, 1, 2 ** 30]) }] }], sectionAccess: null, variables: {} };
    expect(validateLoadResult(deserialize(serialize(forged)))).toBe('table Q: row 3 points past its field\'s symbols');
  });

  it.each([
    ['an index past the symbols', encodedWire([enc(['a'], Int32Array.from([0, 1]))])],
    ['an index below -1', encodedWire([enc(['a'], Int32Array.from([-2]))])],
    ['indexes that are not an Int32Array', encodedWire([enc(['a'], [0, 0])])],
    ['indexes as a Float64Array', encodedWire([enc(['a'], Float64Array.from([0]))])],
    ['encoded columns of unequal length', encodedWire([enc(['a'], Int32Array.from([0])), enc(['b'], Int32Array.from([0, 0]))])],
    ['an invalid symbol', encodedWire([enc([NaN], Int32Array.from([0]))])],
    ['a symbol dual with extra keys', encodedWire([enc([{ num: 1, text: 'x', evil: 1 }], Int32Array.from([0]))])],
    ['an encoded column with extra keys', encodedWire([{ symbols: ['a'], indexes: Int32Array.from([0]), evil: 1 }])],
    ['encoded and columns together', encodedWire([enc(['a'], Int32Array.from([0]))], { columns: [['a']] })],
    ['fewer encoded columns than fields', { ...good, tables: [{ name: 'Q', fields: ['A', 'B'], encoded: [enc(['a'], Int32Array.from([0]))] }] }],
  ])('refuses an encoded table with %s', (_n, value) => {
    expect(typeof validateLoadResult(value)).toBe('string');
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
