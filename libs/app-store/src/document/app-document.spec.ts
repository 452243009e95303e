import { describe, expect, it } from 'vitest';
import { AppStoreErrorCode } from '../app-store.error';
import { decodeAppDocument, DOCUMENT_MAGIC, encodeAppDocument, MAX_SCRIPT_BYTES } from './app-document';

const script = "Section Access;\nSA: LOAD * INLINE [\nACCESS, USERID\nADMIN, CORP\\ADMIN\n];\n// é 🚀 'quoted'\n";

describe('app document (model + script in the app file payload)', () => {
  it('round-trips every combination of model and script', () => {
    const model = Uint8Array.from([1, 2, 3, 250]);
    for (const doc of [{ model, script }, { model, script: '' }, { model: null, script }, { model: null, script: '' }]) {
      const back = decodeAppDocument(encodeAppDocument(doc));
      expect(back.script).toBe(doc.script);
      expect(back.model === null ? null : [...back.model]).toEqual(doc.model === null ? null : [...doc.model]);
    }
  });

  it('reads a payload from before the document as a bare data model with no script', () => {
    const legacy = Buffer.from('not a document: model bytes');
    expect(decodeAppDocument(legacy)).toEqual({ model: legacy, script: '', variables: [], objects: [] });
  });

  it('refuses unknown sections, duplicates, truncation, trailing bytes, bad UTF-8 and other versions', () => {
    const good = encodeAppDocument({ model: Uint8Array.from([9]), script: 'x' });
    const variants: Buffer[] = [];
    const unknown = Buffer.from(good);
    unknown.writeUInt8(7, 8);
    variants.push(unknown);
    const dup = Buffer.from(good);
    dup.writeUInt8(1, 8 + 5 + 1);
    variants.push(dup);
    variants.push(good.subarray(0, good.length - 1), Buffer.concat([good, Buffer.from([0])]));
    const version = Buffer.from(good);
    version.writeUInt16BE(2, 4);
    variants.push(version);
    const badUtf8 = Buffer.concat([DOCUMENT_MAGIC, Buffer.from([0, 1, 0, 1, 2, 0, 0, 0, 1, 0xff])]);
    variants.push(badUtf8);
    for (const v of variants) expect(() => decodeAppDocument(v)).toThrow(expect.objectContaining({ code: AppStoreErrorCode.DocumentInvalid }));
  });

  it('round-trips the variables section; a document written before it opens with none', () => {
    const variables = [{ qInfo: { qId: 'v1', qType: 'variable' }, qName: 'vRegion', qDefinition: "='NORTH' & ' é'" }, { qName: 'vTop', qDefinition: '=Sum({1} SALARY)' }];
    const back = decodeAppDocument(encodeAppDocument({ model: Uint8Array.from([4]), script, variables }));
    expect(back.variables).toEqual(variables);
    expect(back.script).toBe(script);
    expect(decodeAppDocument(encodeAppDocument({ model: null, script })).variables).toEqual([]);
    // A section that is not an array of objects is refused, not skipped.
    for (const body of ['{"a":1}', '[1]', '[null]', 'not json']) {
      const bytes = Buffer.from(body, 'utf8');
      const head = Buffer.alloc(5);
      head.writeUInt8(3, 0);
      head.writeUInt32BE(bytes.length, 1);
      const doc = Buffer.concat([DOCUMENT_MAGIC, Buffer.from([0, 1, 0, 1]), head, bytes]);
      expect(() => decodeAppDocument(doc), body).toThrow(expect.objectContaining({ code: AppStoreErrorCode.DocumentInvalid }));
    }
  });

  it('bounds the script', () => {
    expect(() => encodeAppDocument({ model: null, script: 'x'.repeat(MAX_SCRIPT_BYTES + 1) })).toThrow(expect.objectContaining({ code: AppStoreErrorCode.ScriptTooLarge }));
  });
});
