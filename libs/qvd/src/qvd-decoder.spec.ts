import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnCells, decodeQvd, decodeQvdCells } from './qvd-decoder';
import { encodeQvd } from './qvd-encoder';
import { dualCell } from './qvd-cell';
import { QvdError, QvdErrorCode } from './qvd.error';

const valid = encodeQvd({ name: 'T', fields: ['id', 'name', 'when'], columns: [[1, 2, 3, null], ['a', 'b', 'a', 'c'], [dualCell(45000, '2023-03-15'), null, dualCell(45001, '2023-03-16'), dualCell(45000, '2023-03-15')]] });
const text = new TextDecoder().decode(valid);
const headerEnd = text.indexOf('</QvdTableHeader>') + '</QvdTableHeader>\r\n'.length + 1;

/** The valid file with its header edited (the body stays as it was). */
function withHeader(edit: (xml: string) => string): Uint8Array {
  const xml = new TextEncoder().encode(edit(text.slice(0, headerEnd - 1)));
  const out = new Uint8Array(xml.length + 1 + valid.length - headerEnd);
  out.set(xml, 0);
  out.set(valid.subarray(headerEnd), xml.length + 1);
  return out;
}

function refusalBy(decode: (bytes: Uint8Array, options: object) => unknown, bytes: Uint8Array, options = {}): { code: string; message: string } {
  try {
    decode(bytes, options);
    return { code: 'accepted', message: '' };
  } catch (e) {
    if (!(e instanceof QvdError)) throw e;
    return { code: e.code, message: e.message };
  }
}

/** How decodeQvd refuses the bytes; the LOAD path's decodeQvdCells must refuse them the same way. */
function refusal(bytes: Uint8Array, options = {}): { code: string; message: string } {
  const r = refusalBy(decodeQvd, bytes, options);
  expect(refusalBy(decodeQvdCells, bytes, options)).toEqual(r);
  return r;
}

describe('hostile or damaged QVD files are refused with a reason', () => {
  it('reads the unmodified file (control)', () => {
    expect(decodeQvd(valid).columns.map(columnCells)[0]).toEqual([1, 2, 3, null]);
  });

  it.each([
    ['not a QVD at all', new TextEncoder().encode('id,name\n1,a\n'), QvdErrorCode.Header, /not a QVD/],
    ['a truncated file', valid.subarray(0, valid.length - 3), QvdErrorCode.Layout, /ends past the file/],
    ['a DOCTYPE with entities (billion laughs)', withHeader((x) => x.replace('<QvdTableHeader>', '<!DOCTYPE a [<!ENTITY x "y">]><QvdTableHeader>')), QvdErrorCode.Header, /DOCTYPE/],
    ['an unknown entity', withHeader((x) => x.replace('<TableName>T', '<TableName>&x;')), QvdErrorCode.Header, /entity/],
    ['a compressed file', withHeader((x) => x.replace('<Compression></Compression>', '<Compression>zlib</Compression>')), QvdErrorCode.Unsupported, /compressed/],
    ['a symbol count larger than its table can hold', withHeader((x) => x.replace('<NoOfSymbols>3</NoOfSymbols>', '<NoOfSymbols>3000000</NoOfSymbols>')), QvdErrorCode.Layout, /cannot fit/],
    ['a symbol table that ends past the file', withHeader((x) => x.replace(/(<FieldName>name<\/FieldName>[\s\S]*?<Length>)\d+/, '$19999999')), QvdErrorCode.Layout, /ends past the file/],
    ['a bit field outside the record', withHeader((x) => x.replace(/(<FieldName>when<\/FieldName>\s*<BitOffset>)\d+/, '$140')), QvdErrorCode.Layout, /outside/],
    ['an index table length that does not match', withHeader((x) => x.replace(/<NoOfRecords>4</, '<NoOfRecords>5<')), QvdErrorCode.Layout, /NoOfRecords/],
    ['a non-numeric count', withHeader((x) => x.replace('<NoOfRecords>4<', '<NoOfRecords>four<')), QvdErrorCode.Header, /NoOfRecords/],
    ['a repeated field name', withHeader((x) => x.replace('<FieldName>name<', '<FieldName>id<')), QvdErrorCode.Layout, /twice/],
    ['a bias that makes indexes point past the symbols', withHeader((x) => x.replace(/(<FieldName>id<\/FieldName>[\s\S]*?<Bias>)-2/, '$10')), QvdErrorCode.Data, /points past/],
  ])('%s', (_what, bytes, code, message) => {
    const r = refusal(bytes);
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
  });

  it('refuses an unknown symbol type byte', () => {
    const bytes = Uint8Array.from(valid);
    bytes[headerEnd] = 9; // first symbol of the first field
    expect(refusal(bytes)).toMatchObject({ code: QvdErrorCode.Data, message: expect.stringMatching(/unknown symbol type 9/) });
  });

  it('refuses more rows than the caller allows before decoding them', () => {
    expect(refusal(valid, { maxRows: 3 })).toMatchObject({ code: QvdErrorCode.Limit });
    expect(refusal(valid, { maxHeaderBytes: 100 })).toMatchObject({ code: QvdErrorCode.Limit });
  });

  it('never fails with anything but a QvdError, whatever bytes are flipped or cut', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { maxLength: 8 }), fc.nat(valid.length), (flips, cut) => {
      const bytes = Uint8Array.from(valid.subarray(0, Math.max(cut, 1)));
      for (const [at, v] of flips) if (at < bytes.length) bytes[at] = v;
      for (const decode of [() => decodeQvd(bytes).columns.map(columnCells), () => decodeQvdCells(bytes)]) {
        try {
          decode();
        } catch (e) {
          expect(e).toBeInstanceOf(QvdError);
        }
      }
    }), { numRuns: 2000, seed: 4 });
  });
});
