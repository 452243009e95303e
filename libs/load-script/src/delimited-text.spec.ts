import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textToCell } from './cell-value';
import { DelimitedTextError, parseDelimited } from './delimited-text';


/** Row view of a columnar result, so expectations read like the input text. */
function rowsOf(t: { columns: unknown[][] }): unknown[][] {
  const n = t.columns[0]?.length ?? 0;
  return Array.from({ length: n }, (_, r) => t.columns.map((c) => c[r]));
}

const opts = { delimiter: ',', quoting: 'standard' as const, maxRows: 1000 };

function failure(text: string, o = opts): DelimitedTextError {
  try {
    parseDelimited(text, o);
  } catch (e) {
    if (e instanceof DelimitedTextError) return e;
    throw e;
  }
  throw new Error('expected a DelimitedTextError');
}

describe('parseDelimited', () => {
  it('trims unquoted values, keeps quoted ones verbatim, converts plain numbers, skips blank lines', () => {
    const t = parseDelimited('  A , B ,C\n\n 1 , " x, ""y"" " , 007\r\n   \n-2.5,z,', opts);
    expect(t.fields).toEqual(['A', 'B', 'C']);
    expect(rowsOf(t)).toEqual([[1, ' x, "y" ', '007'], [-2.5, 'z', null]]);
  });

  it('pads short records with null and refuses extra non-empty values', () => {
    expect(rowsOf(parseDelimited('A,B,C\n1', opts))).toEqual([[1, null, null]]);
    expect(rowsOf(parseDelimited('A,B\n1,2,,', opts))).toEqual([[1, 2]]);
    const e = failure('A,B\n1,2\n3,4,5');
    expect([e.lineIndex, e.message]).toEqual([2, 'record has 3 values but the header has 2 fields']);
  });

  it('msq allows quoted line breaks; standard quoting refuses them with the position', () => {
    const text = 'A,B\n"line1\nline2",2\n3,4';
    expect(rowsOf(parseDelimited(text, { ...opts, quoting: 'msq' as const }))).toEqual([['line1\nline2', 2], [3, 4]]);
    const e = failure(text);
    expect([e.lineIndex, e.column]).toEqual([1, 2]);
  });

  it('refuses an empty or duplicate header, text after a closing quote, and too many rows', () => {
    expect(failure('A,,C\n1,2,3').message).toContain('empty');
    expect(failure('A,A\n1,2').message).toContain('twice');
    expect(failure('A\n"x"y').message).toContain('after a closing quote');
    expect(failure('', opts).message).toContain('no header');
    const limit = failure('A\n1\n2\n3', { ...opts, maxRows: 2 });
    expect([limit.isLimit, limit.lineIndex]).toEqual([true, 3]);
  });

  it('a tab delimiter is not swallowed as blank space', () => {
    expect(rowsOf(parseDelimited('A\tB\n\t2', { ...opts, delimiter: '\t' }))).toEqual([[null, 2]]);
  });

  it('round-trips any grid of text written with RFC 4180 quoting (msq)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', ',', '"', '\n', 'x'), minLength: 1, maxLength: 6 })
      .filter((s) => s.trim() !== '' && !/^-?(0|[1-9]\d*)(\.\d+)?$/.test(s));
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 5 }), (width, grid) => {
      const rows = grid.map((r) => r.slice(0, width));
      const fields = Array.from({ length: width }, (_, i) => `F${i}`);
      const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
      const text = [fields.join(','), ...rows.map((r) => r.map(quote).join(','))].join('\n');
      const parsed = parseDelimited(text, { ...opts, quoting: 'msq' as const });
      expect(parsed.fields).toEqual(fields);
      expect(rowsOf(parsed)).toEqual(rows);
    }));
  });

  it('reads numbers from the characters exactly as textToCell reads the text (the fast path pinned to the slow one)', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
      fc.stringMatching(/^ ?-?\d{1,19}(\.\d{1,25})? ?$/),
      fc.integer().map(String),
      fc.constantFrom('0', '-0', '007', '0.50', '1.', '.5', '-', '1e3', '12345678901234567', '0.000000000000000000000001', 'x1'),
    );
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), (values) => {
      const got = parseDelimited(`V\n${values.join('\n')}`, opts).columns[0];
      expect(got).toEqual(values.map((v) => textToCell(v.trim())));
    }), { numRuns: 500, seed: 11 });
  });
  it('repeated texts (interned per column) read exactly as first seen, also past the give-up limit and next to blanks', () => {
    // Column A: 6,000 distinct texts, each twice (more than a column may intern); B: 3 texts that
    // repeat; C: edge blanks the per-column cache must not key on (NBSP is trimmed, \u0001 is not).
    const a = Array.from({ length: 6000 }, (_, i) => `t${(i * 7919) % 6000}`);
    const b = ['North', 'South', '007'];
    const c = ['x\u00a0', '\u0001y', 'x', ' x ', '12'];
    const lines = [...a, ...a].map((v, r) => `${v},${b[r % 3]},${c[r % 5]}`);
    const t = parseDelimited(`A,B,C\n${lines.join('\n')}`, { ...opts, maxRows: 20_000 });
    const expected = [...a, ...a].map((v, r) => [v, b[r % 3], ['x', '\u0001y', 'x', 'x', 12][r % 5]]);
    expect(rowsOf(t)).toEqual(expected);
  });
});
