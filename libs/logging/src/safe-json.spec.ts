import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toJsonLine } from './safe-json';

describe('toJsonLine', () => {
  it('never emits a raw line break or control character, and round-trips any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const line = toJsonLine({ text });
        expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect((JSON.parse(line) as { text: string }).text).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes the characters JSON.stringify leaves raw', () => {
    expect(toJsonLine('a\u2028b\u0085c\u007f')).toBe('"a\\u2028b\\u0085c\\u007f"');
  });
});
