import { describe, expect, it } from 'vitest';
import { QrsFilterError } from './qrs-filter.error';
import { compileOrderBy, parseOrderBy } from './qrs-orderby';

describe('/qrs orderby', () => {
  it('parses keys with optional direction', () => {
    expect(parseOrderBy('name asc, stream.name DESC,fileSize')).toEqual([
      { path: ['name'], direction: 'asc' },
      { path: ['stream', 'name'], direction: 'desc' },
      { path: ['fileSize'], direction: 'asc' },
    ]);
  });

  it('reports the position of a malformed key', () => {
    try {
      parseOrderBy('name asc, 9bad');
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(QrsFilterError);
      expect((error as QrsFilterError).position).toBe('name asc, '.length);
    }
    expect(() => parseOrderBy('name sideways')).toThrow(QrsFilterError);
    expect(() => parseOrderBy('')).toThrow(QrsFilterError);
  });

  it('sorts case-insensitively, numbers numerically, nulls first ascending, with tie-breaking keys', () => {
    const rows = [
      { name: 'beta', size: 10 },
      { name: 'Alpha', size: 9 },
      { name: null, size: 1 },
      { name: 'alpha', size: 100 },
    ];
    const sorted = [...rows].sort(compileOrderBy(parseOrderBy('name asc, size desc')));
    expect(sorted.map((r) => `${r.name}:${r.size}`)).toEqual(['null:1', 'alpha:100', 'Alpha:9', 'beta:10']);
    const bySize = [...rows].sort(compileOrderBy(parseOrderBy('size desc')));
    expect(bySize.map((r) => r.size)).toEqual([100, 10, 9, 1]);
  });
});
