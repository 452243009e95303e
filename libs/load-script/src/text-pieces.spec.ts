import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DelimitedTextError, parseDelimited, type DelimitedOptions } from './delimited-text';
import { runScript } from './script-executor';
import { openedBytes, type OpenedFile } from './script-file-source';
import { decodeFileText, skipLines, TextDecodingError } from './text-decoding';
import { decodeFilePieces, singlePiece, skipPieceLines, type TextPieces } from './text-pieces';
import { memoryFiles } from './testing/memory-files';

/**
 * Reading a file in pieces (text-pieces.ts) must give exactly the text of decoding it whole, the
 * path it replaced: TextDecoder over every byte is the reference here. Small piece and block sizes
 * put the cuts everywhere: inside multi-byte characters, in CRLF pairs, on lines longer than a
 * piece or than the read buffer.
 */
const all = (p: TextPieces): string[] => {
  const out: string[] = [];
  for (let s = p.next(); s !== null; s = p.next()) out.push(s);
  return out;
};

const lines = fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', '\r', 'a,"b"', 'ÿé€😀')), { maxLength: 40 });
const sizes = fc.record({ piece: fc.integer({ min: 1, max: 48 }), block: fc.integer({ min: 1, max: 64 }) });

describe('decodeFilePieces', () => {
  it('gives the text TextDecoder makes of the whole file, cut only after line feeds, with a line bound that holds', () => {
    fc.assert(
      fc.property(lines, fc.boolean(), fc.boolean(), sizes, (ls, bom, finalNewline, size) => {
        const text = ls.join('\n') + (finalNewline ? '\n' : '');
        const bytes = new TextEncoder().encode((bom ? '\uFEFF' : '') + text);
        const pieces = decodeFilePieces(bytes, 'utf-8', 0, size);
        const got = all(pieces);
        expect(got.join('')).toBe(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
        got.slice(0, -1).forEach((p) => expect(p.endsWith('\n')).toBe(true));
        const lineCount = text.split('\n').length - 1 + (text !== '' && !text.endsWith('\n') ? 1 : 0);
        expect(pieces.lineBound).toBe(lineCount);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes other character sets as a stream (UTF-16 with its byte order mark, windows-1252) to the same text', () => {
    fc.assert(
      fc.property(lines, sizes, (ls, size) => {
        const text = ls.join('\r\n');
        const utf16 = new Uint8Array(2 + text.length * 2);
        utf16.set([0xff, 0xfe]);
        for (let i = 0; i < text.length; i++) new DataView(utf16.buffer).setUint16(2 + 2 * i, text.charCodeAt(i), true);
        const lone = /[\uD800-\uDFFF]/.test(text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''));
        if (!lone) {
          const p = decodeFilePieces(utf16, 'windows-1252', 0, size);
          expect(all(p).join('')).toBe(text);
          expect(p.lineBound).toBeGreaterThanOrEqual(text.split('\n').length);
        }
        const latin = Uint8Array.from(text.slice(0, 200), (c) => c.charCodeAt(0) & 0xff);
        expect(all(decodeFilePieces(latin, 'windows-1252', 0, size)).join('')).toBe(decodeFileText(latin, 'windows-1252'));
      }),
      { numRuns: 200 },
    );
  });

  it('decodes windows-1252 as windows-1252, not ISO-8859-1 (0x80-0x9F are € ‚ ƒ … Ÿ), whole and in pieces', () => {
    // The WHATWG windows-1252 index for these bytes, written out: Node 20's one-call decode got them wrong.
    const bytes = Uint8Array.of(0x80, 0x82, 0x83, 0x85, 0x92, 0x9f, 0x0a, 0xe9, 0x41);
    const expected = '\u20ac\u201a\u0192\u2026\u2019\u0178\n\u00e9A';
    expect(decodeFileText(bytes, 'windows-1252')).toBe(expected);
    for (const piece of [1, 2, 64]) expect(all(decodeFilePieces(bytes, 'windows-1252', 0, { piece })).join('')).toBe(expected);
  });

  it('refuses invalid UTF-8 wherever it is, also far past the first piece', () => {
    const good = new TextEncoder().encode('a,b\n' + '1,é\n'.repeat(50));
    const bad = new Uint8Array([...good, 0xc3, 0x28, 0x0a, ...new TextEncoder().encode('2,x\n')]);
    expect(() => all(decodeFilePieces(bad, 'utf-8', 0, { piece: 16, block: 32 }))).toThrow(TextDecodingError);
    expect(() => all(decodeFilePieces(bad, 'utf-8'))).toThrow(/not valid UTF-8/);
    expect(all(decodeFilePieces(good, 'utf-8', 0, { piece: 16, block: 32 })).join('')).toBe(decodeFileText(good, 'utf-8'));
  });

  it('skips header bytes and lines exactly as skipLines does on the whole text', () => {
    fc.assert(
      fc.property(lines, fc.nat({ max: 8 }), fc.nat({ max: 6 }), sizes, (ls, n, skipBytes, size) => {
        const bytes = new TextEncoder().encode(ls.join('\n'));
        const whole = skipLines(decodeFileText(bytes.subarray(Math.min(skipBytes, bytes.length)), 'windows-1252'), n);
        const { pieces, skipped } = skipPieceLines(decodeFilePieces(bytes, 'windows-1252', skipBytes, size), n);
        expect(all(pieces).join('')).toBe(whole.rest);
        expect(skipped).toBe(whole.skipped);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseDelimited over pieces', () => {
  const options: DelimitedOptions = { delimiter: ',', quoting: 'standard', labels: 'embedded', comment: '//', maxRows: 1000, encode: true };
  const cell = fc.oneof(fc.integer().map(String), fc.constantFrom('', ' x ', '"q,""t"""', '1.5', '-0', 'Ä', '// no'), fc.string({ maxLength: 6 }).filter((s) => !/[\n",]/.test(s)));
  const csv = fc.array(fc.oneof(fc.array(cell, { minLength: 3, maxLength: 3 }).map((r) => r.join(',')), fc.constantFrom('', '// comment', '  ')), { maxLength: 30 });

  it('makes the same table, or the same error at the same line and column, as parsing the whole text', () => {
    fc.assert(
      fc.property(csv, sizes, (rows, size) => {
        const text = ['a,b,c', ...rows].join('\n');
        const run = (input: string | TextPieces) => {
          try {
            const t = parseDelimited(input, options);
            return { fields: t.fields, columns: t.columns };
          } catch (e) {
            if (!(e instanceof DelimitedTextError)) throw e;
            return { error: `${e.lineIndex}:${e.column}:${e.message}` };
          }
        };
        expect(run(decodeFilePieces(new TextEncoder().encode(text), 'utf-8', 0, size))).toEqual(run(text));
      }),
      { numRuns: 300 },
    );
  });

  it('finds a header that comes after pieces of nothing but comment lines', () => {
    const text = '// note\n'.repeat(40) + 'a,b\n1,2\n3,4\n';
    const t = parseDelimited(decodeFilePieces(new TextEncoder().encode(text), 'utf-8', 0, { piece: 8, block: 16 }), options);
    expect(t.fields).toEqual(['a', 'b']);
    expect(t.columns).toEqual([[1, 3], [2, 4]]);
  });

  it('refuses more records than the lines counted when the file was opened (a file written while it is read)', () => {
    const pieces = singlePiece('a,b\n1,2\n3,4\n');
    expect(() => parseDelimited({ next: () => pieces.next(), lineBound: 2 }, options)).toThrow(/the file changed while it was read/);
  });

  it('says a standard quoted value runs past its line, whichever piece the next quote is in', () => {
    const text = 'a,b\n1,"open\n2,"x"\n';
    for (const input of [text, decodeFilePieces(new TextEncoder().encode(text), 'utf-8', 0, { piece: 4, block: 8 })]) {
      expect(() => parseDelimited(input, options)).toThrow(/runs past the end of the line/);
    }
  });
});

describe('files opened for reading in blocks', () => {
  const script = "T: LOAD * FROM [lib://data/t.csv] (txt, utf8, embedded labels, delimiter is ',');";
  const opening = (file: () => OpenedFile, closed: string[]) => {
    const files = memoryFiles({});
    return { ...files, read: () => Promise.reject(new Error('read() must not be used')), open: async () => {
      const f = file();
      return { size: f.size, readAt: (into: Uint8Array, at: number) => f.readAt(into, at), close: () => void closed.push('closed') };
    } };
  };

  it('loads a CSV through open(), reading in blocks, and closes the file', async () => {
    const closed: string[] = [];
    const text = 'id,name\n' + Array.from({ length: 5000 }, (_, i) => `${i},n${i % 7}`).join('\n');
    const { tables } = await runScript(script, { files: opening(() => openedBytes(new TextEncoder().encode(text)), closed) });
    const t = tables.find((x) => x.name === 'T')!;
    expect(t.columns[0]!.length).toBe(5000);
    expect(t.columns[1]![4999]).toBe('n1');
    expect(closed).toEqual(['closed']);
  });

  it('reports a read that fails mid-file as a file error naming the file, and still closes it', async () => {
    const closed: string[] = [];
    const bytes = new TextEncoder().encode('a\n' + '1\n'.repeat(3_000_000));
    const failing = () => ({ size: bytes.length, readAt: (into: Uint8Array, at: number) => {
      if (at > 2_000_000) throw new Error('EIO: i/o error, read');
      return openedBytes(bytes).readAt(into, at);
    }, close: () => undefined });
    await expect(runScript(script, { files: opening(failing, closed) })).rejects.toThrow(/lib:\/\/data\/t\.csv: cannot read: EIO/);
    expect(closed).toEqual(['closed']);
  });
});
