import { buildDataModel, encodeDataModel, encodedColumns, type Cell, type LoadedTable } from '@trustzone/data-model';
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DelimitedTextError, parseDelimited, type DelimitedOptions, type SourceRows } from './delimited-text';
import { runScript } from './script-executor';
import { memoryFiles } from './testing/memory-files';

/**
 * Delimited text encoded while parsing (symbols + row indexes, see EncodedColumn) must hold
 * exactly the cells the per-cell parse makes: same types, same numbers (Object.is, so -0 and 0
 * differ), same texts, same nulls, same errors. Each text is parsed both ways and compared cell
 * for cell; the per-cell parse is the reference (its own rules are tested in delimited-text.spec).
 */
const CORPUS = join(__dirname, '..', 'corpus');

function corpusTextFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) corpusTextFiles(p, out);
    else if (/\.(csv|txt)$/i.test(name)) out.push(p);
  }
  return out;
}

type Outcome = { ok: true; fields: string[]; columns: Cell[][] } | { ok: false; error: string };

function parseBoth(text: string, o: DelimitedOptions): { plain: Outcome; encoded: Outcome; wasEncoded: boolean } {
  const run = (encode: boolean): { out: Outcome; encodedForm: boolean } => {
    try {
      const t: SourceRows = parseDelimited(text, { ...o, encode });
      const encodedForm = encodedColumns(t) !== undefined;
      return { out: { ok: true, fields: t.fields, columns: t.columns }, encodedForm };
    } catch (e) {
      if (!(e instanceof DelimitedTextError)) throw e;
      return { out: { ok: false, error: `${e.lineIndex}:${e.column}:${e.isLimit}:${e.message}` }, encodedForm: false };
    }
  };
  const plain = run(false);
  const encoded = run(true);
  return { plain: plain.out, encoded: encoded.out, wasEncoded: encoded.encodedForm };
}

/** Cell for cell with Object.is (a dual would compare by num and text; the text reader makes none). */
function expectSameCells(a: Outcome, b: Outcome): void {
  expect(b.ok).toBe(a.ok);
  if (!a.ok || !b.ok) {
    expect(b).toEqual(a);
    return;
  }
  expect(b.fields).toEqual(a.fields);
  expect(b.columns.length).toBe(a.columns.length);
  let mismatches = 0;
  a.columns.forEach((col, f) => {
    const other = b.columns[f]!;
    if (other.length !== col.length) mismatches++;
    for (let r = 0; r < col.length; r++) if (!Object.is(col[r], other[r])) mismatches++;
  });
  expect(mismatches).toBe(0);
}

const FORMATS: DelimitedOptions[] = [
  { delimiter: ',', quoting: 'msq', maxRows: 100_000 },
  { delimiter: ',', quoting: 'standard', maxRows: 100_000 },
  { delimiter: ',', quoting: 'none', maxRows: 100_000 },
  { delimiter: ';', quoting: 'msq', maxRows: 100_000 },
  { delimiter: '\t', quoting: 'msq', maxRows: 100_000 },
  { delimiter: ',', quoting: 'msq', labels: 'none', maxRows: 100_000 },
  { delimiter: ',', quoting: 'msq', comment: '//', maxRows: 100_000 },
];

const TRICKY = [
  'A,B,C\n1,"x, ""y""",007\n"multi\nline",  2.50 ,\n\n-0,1e3, \u00a0z\u00a0\n,,\n 7 ,Ann,Ann\nAnn,7,"7"\n',
  'Id;Name;Amount\n1;Ann;1,5\n2;"Bob; Jr";\n3;;-2\n4;Ann;0.10\n',
  'A\tB\n\t2\nx\t\n"q\tq"\t3\n',
  '// comment\nA,B\n// another\n1,2\n3,4,,\n5\n',
  'A,B\n1,2\n3,4,5\n', // extra value: both refuse it at the same place
  'A,B\n"unterminated,1\n',
  '',
  'A,B\n',
];

describe('delimited text encoded while parsing', () => {
  it('every corpus CSV/TXT, in every format, gives the per-cell parse cell for cell', () => {
    const files = corpusTextFiles(CORPUS);
    expect(files.length).toBeGreaterThanOrEqual(10);
    let encodedTables = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const o of FORMATS) {
        const { plain, encoded, wasEncoded } = parseBoth(text, o);
        expectSameCells(plain, encoded);
        if (wasEncoded) encodedTables++;
      }
    }
    expect(encodedTables).toBeGreaterThan(files.length); // the encoded form was really used
  });

  it('quotes, embedded delimiters and line breaks, blanks, mixed types, errors: the same cells or the same error', () => {
    for (const text of TRICKY) for (const o of FORMATS) expectSameCells(parseBoth(text, o).plain, parseBoth(text, o).encoded);
  });

  it('columns with more distinct texts and numbers than the lookup tables hold stay exact', () => {
    const lines = ['Id,Text,Num,Mixed'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},t${i % 9000},${(i % 7000) / 4},${i % 3 === 0 ? `m${i}` : i % 3 === 1 ? String(i % 50) : ''}`);
    const { plain, encoded, wasEncoded } = parseBoth(lines.join('\n'), FORMATS[0]!);
    expect(wasEncoded).toBe(true);
    expectSameCells(plain, encoded);
  });

  it('columns past every lookup limit (70,000 distinct texts, distinct numbers, then texts, nulls, CRLF) stay exact', () => {
    // Text keeps being looked up up to 65,536 distinct values, numbers up to 4,096: rows on both
    // sides of each limit, with repeats after it and values of another type once a column has given up.
    const lines = ['Code,Amount,Late'];
    for (let i = 0; i < 90_000; i++) {
      const code = i < 70_000 ? `k${i}` : i % 2 === 0 ? `k${i % 500}` : i % 3 === 0 ? ` k${i} ` : '';
      const amount = i < 80_000 ? String((i * 7919) % 100_003 / 100) : i % 5 === 0 ? 'n/a' : i % 5 === 1 ? '' : String(i);
      const late = i === 5_000 ? '"q"' : i % 4 === 0 ? '-0' : `v${i % 9}`;
      lines.push(`${code},${amount},${late}`);
    }
    const text = lines.join('\r\n') + '\r\n';
    for (const o of [FORMATS[0]!, FORMATS[2]!]) {
      const { plain, encoded, wasEncoded } = parseBoth(text, o);
      expect(wasEncoded).toBe(true);
      expectSameCells(plain, encoded);
    }
  });

  it('numbers read while scanning (a column past its lookups) type like the per-cell parse, CR and edge cases included', () => {
    // 5,000 distinct numbers first, so the column stops looking up; then every near-number.
    const tricky = ['007', '00', '01', '-00', '-0', '0', '0.0', '-0.50', '1.', '.5', '-', '--1', '1-', '1.2.3', '1234567890123456', '123456789012345',
      '0.0000000000000000000001', '1e3', '12 ', ' 12', '12\r', '12\rX', '1\r\r', '+1', '9007199254740993', '', 'x'];
    const lines = ['N,T'];
    for (let i = 0; i < 5_000; i++) lines.push(`${i * 3 + 0.25},t`);
    for (let r = 0; r < 3; r++) for (const v of tricky) lines.push(`${v},t`, `${v}`);
    const text = lines.join('\n');
    for (const o of FORMATS) {
      const { plain, encoded } = parseBoth(text, o);
      expectSameCells(plain, encoded);
      const { plain: p2, encoded: e2 } = parseBoth(`${text}\n12\r`, o);
      expectSameCells(p2, e2);
    }
  });

  it('short and long, Latin-1 and wider, very long repeated raw texts are told apart exactly', () => {
    // Keys of up to 8 characters below 256 are compared packed, others by their characters, and
    // texts over 1,023 characters are not looked up: repeats of each kind, and near misses.
    const values = ['abcdefgh', 'abcdefgi', 'abcdefg', 'abcdefgh ', '東京', '東亰', 'Ωmega', 'Ωmegb', 'ÿÿÿÿÿÿÿÿ', 'ÿÿÿÿÿÿÿ\u0100',
      'a much longer text value', 'a much longer text valuf', 'x'.repeat(1500), `${'x'.repeat(1499)}y`, '12.50', '12.5', ' 7', '7 '];
    const lines = ['A,B'];
    for (let i = 0; i < 2_000; i++) lines.push(`${values[i % values.length]},${values[(i * 7) % values.length]}`);
    for (const o of FORMATS) {
      const { plain, encoded, wasEncoded } = parseBoth(lines.join('\n'), o);
      if (o.quoting === 'none' || o.delimiter === ',') expect(wasEncoded).toBe(true);
      expectSameCells(plain, encoded);
    }
  });

  it('random texts built from the reader\'s tricky characters parse alike both ways', () => {
    const piece = fc.constantFrom('a', 'B', '1', '0', '-', '.', 'e', ' ', '\u00a0', ',', '"', '""', '\n', '\r\n', '007', '1.50', '-0', 'x y');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), fc.constantFrom(...FORMATS), (parts, o) => {
        const { plain, encoded } = parseBoth(`H1,H2,H3\n${parts.join('')}`, o);
        expectSameCells(plain, encoded);
      }),
      { numRuns: 1000 },
    );
  });

  it('random CSVs of whole cells (quotes, line breaks, CRLF, unicode, keys around the 12-character packing, tricky numbers) parse alike both ways', () => {
    // Cells are drawn from a small pool per run so values repeat (lookups hit), and each row is
    // cut into cells by the generator, not the reader: quoted cells may hold the delimiter, quotes
    // and line breaks; unquoted ones lengths 11–13 with characters below and above 256.
    const numbers = fc.constantFrom('00', '-0', '0', '1e5', '0.1', '0.30000000000000004', '12345678901234567', '1234567890.1234567', '-12.50', '007', '9007199254740993', '3.14159', '1.', '.5');
    const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '9', '.', '-', 'é', 'ÿ', 'Ω', '東', '😀', '\u00a0', '\t'), maxLength: 14 });
    const quoted = fc.string({ unit: fc.constantFrom('a', ',', ';', '"', '\n', '\r\n', ' ', 'é', '1'), maxLength: 8 }).map((t) => `"${t.replace(/"/g, '""')}"`);
    // Near keys: a common prefix, then a few characters from a tiny alphabet, so keys of 11–13
    // characters that differ only in their last one (the packed words' edges) meet in one column.
    const near = fc.tuple(fc.constantFrom('Product 0', 'Region ', '2023-07-'), fc.string({ unit: fc.constantFrom('0', '1', 'ÿ', 'Ω', '©'), minLength: 1, maxLength: 6 })).map(([a, b]) => a + b);
    const cell = fc.oneof(numbers, text, quoted, near, near, fc.constant(''), fc.integer({ min: -99999, max: 99999 }).map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map(String));
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 12 }), fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), { maxLength: 60 }), fc.boolean(), fc.constantFrom(...FORMATS), (pool, rows, crlf, o) => {
          const d = o.delimiter;
          // Each unquoted value with its first or last character swapped for one of a few that
          // agree in their low byte (©/Ω/ĩ) or sit at the Latin-1 edge (ÿ): a key packed wrongly
          // would find its neighbour's symbol.
          const swaps = ['0', 'ÿ', '©', 'Ω', '\u0129'];
          const all = pool.flatMap((v) => (v === '' || v.startsWith('"') ? [v] : [v, ...swaps.flatMap((ch) => [v.slice(0, -1) + ch, ch + v.slice(1)])]));
          const body = rows.map((r) => r.map((n) => all[n % all.length]!).join(d));
          const text = [['H1', 'H2', 'H3', 'H4'].join(d), ...body].join(crlf ? '\r\n' : '\n');
          const { plain, encoded } = parseBoth(text, o);
          expectSameCells(plain, encoded);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('LOAD * FROM a CSV stays encoded into the model, which equals the one built cell by cell; a WHERE reads cells', async () => {
    const csv = 'Id,Name,Amount,Day\n1,Ann,1.5,2024-01-31\n2,"Bob, Jr",,2024-02-01\n3,Ann,007,2024-01-31\n4,,-2,"2024-03-15"\n';
    const files = memoryFiles({ 'd/t.csv': csv });
    const fmt = "(txt, utf8, embedded labels, delimiter is ',', msq)";
    const r = await runScript(`T: LOAD * FROM [lib://d/t.csv] ${fmt}; U: LOAD Name AS Who, Id FROM [lib://d/t.csv] ${fmt}; W: LOAD Id AS WId FROM [lib://d/t.csv] ${fmt} WHERE Id > 2;`, { files });
    const [t, u, w] = r.tables as [LoadedTable, LoadedTable, LoadedTable];
    expect(encodedColumns(t)).toBeDefined();
    expect(encodedColumns(u)).toBeDefined();
    expect(encodedColumns(w)).toBeUndefined();
    const plainCopy = (x: LoadedTable): LoadedTable => ({ name: x.name, fields: [...x.fields], columns: x.columns.map((c) => [...c]) });
    const fromEncoded = Buffer.from(encodeDataModel(buildDataModel(r)));
    const fromCells = Buffer.from(encodeDataModel(buildDataModel({ ...r, tables: r.tables.map(plainCopy) })));
    expect(fromEncoded.equals(fromCells)).toBe(true);
    // Expected cells written from the CSV text above, not by the reader.
    expect(t.columns).toEqual([[1, 2, 3, 4], ['Ann', 'Bob, Jr', 'Ann', null], [1.5, null, '007', -2], ['2024-01-31', '2024-02-01', '2024-01-31', '2024-03-15']]);
    expect(u.fields).toEqual(['Who', 'Id']);
    expect(u.columns).toEqual([['Ann', 'Bob, Jr', 'Ann', null], [1, 2, 3, 4]]);
    expect(w.columns).toEqual([[3, 4]]);
  });
});
