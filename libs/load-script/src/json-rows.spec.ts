import { describe, expect, it } from 'vitest';
import { parseJsonRows } from './json-rows';


/** Row view of a columnar result, so expectations read like the input text. */
function rowsOf(t: { columns: unknown[][] }): unknown[][] {
  const n = t.columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, r) => t.columns.map((c) => c[r]));
}

describe('parseJsonRows', () => {
  it('unions keys in first-seen order and fills missing keys with null', () => {
    const rows = [{ a: 1, b: 'x' }, { b: '2', c: true }, { a: null }];
    const parsed = parseJsonRows(JSON.stringify(rows), 100);
    if ('error' in parsed) throw new Error(parsed.error);
    expect(parsed.fields).toEqual(['a', 'b', 'c']);
    expect(rowsOf(parsed)).toEqual([[1, 'x', null], [null, 2, 'true'], [null, null, null]]);
  });

  it('keeps a "__proto__" key as an ordinary field (no prototype games)', () => {
    const parsed = parseJsonRows('[{"__proto__": "p", "k": 1}]', 10);
    expect(parsed).toEqual({ fields: ['__proto__', 'k'], columns: [['p'], [1]] });
    expect(({} as Record<string, unknown>)['k']).toBeUndefined();
  });

  it.each([
    ['not JSON', '[{', 'invalid JSON'],
    ['not an array', '{"a":1}', 'array of objects'],
    ['a scalar element', '[1]', 'element 0 is not an object'],
    ['a nested object', '[{"a":{"b":1}}]', 'key "a"'],
    ['a nested array', '[{"a":[1]}]', 'key "a"'],
    ['no fields', '[{}]', 'no fields'],
  ])('refuses %s', (_n, text, message) => {
    const r = parseJsonRows(text, 10);
    expect('error' in r && r.error).toContain(message);
  });

  it('refuses more rows than the limit', () => {
    expect(parseJsonRows('[{"a":1},{"a":2},{"a":3}]', 2)).toMatchObject({ isLimit: true });
  });
});
