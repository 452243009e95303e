import { describe, expect, it } from 'vitest';
import { exceedsJsonDepth } from './json-depth';

/** Nesting measured the way JSON.parse would build it: brackets inside strings do not count. */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

describe('exceedsJsonDepth', () => {
  const samples: unknown[] = [
    { a: [1, { b: ['[[[[', '{{{{'] }] },
    ['\\"[', { 'k"[': '\\\\' }, [[[]]]],
    { qText: 'a ] } ] } closing brackets in text', nested: { deeper: [{ x: '"' }] } },
    [],
    'plain string with [ and {',
  ];
  for (const value of samples) {
    it(`agrees with the parsed depth of ${JSON.stringify(value).slice(0, 40)}`, () => {
      const text = JSON.stringify(value);
      const depth = depthOf(JSON.parse(text));
      expect(exceedsJsonDepth(text, depth)).toBe(false);
      if (depth > 0) expect(exceedsJsonDepth(text, depth - 1)).toBe(true);
    });
  }
});
