import { createHash, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { createTestCertificate } from '@trustzone/testing';
import type { PrivateKeyResolver, WrappingKey } from './app-file-codec';
import { authenticateLegacyFile, decodeAppFile, encodeAppFile, encodeAppFileParts, rewrapAppFile } from './app-file-codec';
import type { FilePart } from './file-part';
import { partBytes } from './file-part';
import { formatOne } from '../testing/legacy-format';
import type { DecodedApp } from './app-file-codec';
import { readAppFilePayload } from './app-file-reader';
import { loadNativeGcm } from './native-gcm';
import { AppAuthKey } from '../keys/app-auth-key';

/** The site's app authentication key, as engines hold it. */
const AUTH = AppAuthKey.fromBytes(randomBytes(32));

interface TestKey {
  wrapping: WrappingKey;
  privateKey: KeyObject;
}
let keyA: TestKey;
let keyB: TestKey;

function makeKey(name: string): TestKey {
  const { certPem, keyPem } = createTestCertificate({ commonName: name });
  return { wrapping: { thumbprint: randomBytes(32).toString('hex'), publicKey: createPublicKey(certPem) }, privateKey: createPrivateKey(keyPem) };
}
beforeAll(() => {
  keyA = makeKey('a');
  keyB = makeKey('b');
});

const resolverFor = (...keys: TestKey[]): PrivateKeyResolver => (thumbprint, appId) => {
  const key = keys.find((k) => k.wrapping.thumbprint === thumbprint);
  if (!key) throw new AppStoreError(AppStoreErrorCode.UnknownKey, `app ${appId}: unknown key`);
  return key.privateKey;
};
const join = (parts: Iterable<Buffer>): Buffer => Buffer.concat([...parts]);
// Each deferred part is produced before the next one is taken, as the staged writer does.
const joinParts = (parts: Iterable<FilePart>): Buffer => {
  const bytes: Uint8Array[] = [];
  for (const part of parts) bytes.push(partBytes(part));
  return Buffer.concat(bytes);
};
const APP = 'c3a1b7de-0000-4000-8000-000000000001';

/** Region offsets from the documented layout (README.md), computed here independently of the library. */
function regions(file: Buffer, appId: string, payloadLength: number) {
  const core = 10 + Buffer.byteLength(appId) + 8;
  const thumbprint = core;
  const wrappedLength = file.readUInt16BE(core + 32);
  const checksum = core + 34;
  const wrapped = checksum + 32;
  const iv = wrapped + wrappedLength;
  const ciphertext = iv + 12;
  const tag = ciphertext + payloadLength;
  return { appIdByte: 12, payloadLengthByte: core - 1, thumbprint, checksum, wrapped, iv, ciphertext, tag, end: tag + 16 };
}

function flip(file: Buffer, at: number): Buffer {
  const copy = Buffer.from(file);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

async function codeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppStoreError) return error.code;
    throw error;
  }
  return 'NO ERROR';
}

// Every decoding test runs against every reader: the in-memory decoder (used by rekey) and the
// file reader the app store loads with, in its one-call and its stepped (large payload) modes.
const scratch = mkdtempSync(joinPath(tmpdir(), 'tz-codec-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let fileNo = 0;
type Decode = (file: Buffer, appId: string, resolve: PrivateKeyResolver) => Promise<DecodedApp>;
const decoders: Array<[string, Decode]> = [
  ['in memory', async (file, appId, resolve) => decodeAppFile(file, appId, resolve, AUTH)],
  ['read from disk', async (file, appId, resolve) => {
    const path = joinPath(scratch, `f${fileNo++}`);
    writeFileSync(path, file);
    return readAppFilePayload(path, appId, resolve, AUTH);
  }],
  ['streamed from disk in steps', async (file, appId, resolve) => {
    const path = joinPath(scratch, `f${fileNo++}`);
    writeFileSync(path, file);
    return readAppFilePayload(path, appId, resolve, AUTH, { readChunk: 4096 });
  }],
];
// The same reads through the native in-place AES-GCM wherever it is built (native-gcm.spec.ts
// checks that it is, or that the build said why not; CI requires it).
const nativeGcm = loadNativeGcm().addon;
if (nativeGcm) {
  decoders.push(
    ['read from disk, native AES-GCM', async (file, appId, resolve) => {
      const path = joinPath(scratch, `f${fileNo++}`);
      writeFileSync(path, file);
      return readAppFilePayload(path, appId, resolve, AUTH, { nativeGcm });
    }],
    ['streamed from disk in steps, native AES-GCM', async (file, appId, resolve) => {
      const path = joinPath(scratch, `f${fileNo++}`);
      writeFileSync(path, file);
      return readAppFilePayload(path, appId, resolve, AUTH, { readChunk: 4096, nativeGcm });
    }],
  );
}

// Files encrypted by either implementation, read by every decoder: the two must agree on the format.
type Encode = (appId: string, payload: Buffer, key: WrappingKey) => Buffer;
const encoders: Array<[string, Encode]> = [['node:crypto', (appId, payload, key) => join(encodeAppFile(appId, payload, AUTH, key))]];
if (nativeGcm) encoders.push(['native AES-GCM', (appId, payload, key) => joinParts(encodeAppFileParts(appId, payload, AUTH, key, nativeGcm))]);

describe.each(encoders)('encrypted by %s', (_encoder, encode) => describe.each(decoders)('encrypted app files (%s)', (_name, decode) => {
  it('round-trips payloads of any size and hides the plaintext', async () => {
    for (const size of [0, 1, 1000, 300_000, 2_500_123]) {
      const payload = randomBytes(size);
      const file = encode(APP, payload, keyA.wrapping);
      if (size >= 1000) expect(file.includes(payload.subarray(0, 64))).toBe(false);
      const decoded = await decode(file, APP, resolverFor(keyA));
      expect(decoded.payload.equals(payload)).toBe(true);
      expect(decoded).toMatchObject({ mode: 'encrypted', thumbprint: keyA.wrapping.thumbprint });
    }
  });

  it('refuses a flipped byte in each region with the reason for that region', async () => {
    const payload = randomBytes(4096);
    const file = encode(APP, payload, keyA.wrapping);
    const r = regions(file, APP, payload.length);
    expect(r.end).toBe(file.length);
    const cases: Array<[string, number, AppStoreErrorCode]> = [
      ['app id in header', r.appIdByte, AppStoreErrorCode.HeaderChecksum],
      ['payload length in header', r.payloadLengthByte, AppStoreErrorCode.HeaderChecksum],
      ['thumbprint in header', r.thumbprint + 5, AppStoreErrorCode.HeaderChecksum],
      ['header checksum', r.checksum + 3, AppStoreErrorCode.HeaderChecksum],
      ['wrapped key', r.wrapped + 17, AppStoreErrorCode.UnwrapFailed],
      ['IV', r.iv + 2, AppStoreErrorCode.AuthFailed],
      ['ciphertext', r.ciphertext + 1000, AppStoreErrorCode.AuthFailed],
      ['tag', r.tag + 15, AppStoreErrorCode.AuthFailed],
    ];
    for (const [region, at, code] of cases) expect(`${region}: ${await codeOf(() => decode(flip(file, at), APP, resolverFor(keyA)))}`).toBe(`${region}: ${code}`);
  });

  it('catches a change deep inside a payload read in several chunks', async () => {
    const payload = randomBytes(3_000_000);
    const file = encode(APP, payload, keyA.wrapping);
    const r = regions(file, APP, payload.length);
    expect(await codeOf(() => decode(flip(file, r.ciphertext + 2_900_000), APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.AuthFailed);
  });

  it('names the app and the region in the error', async () => {
    const file = encode(APP, randomBytes(100), keyA.wrapping);
    const r = regions(file, APP, 100);
    await expect(decode(flip(file, r.ciphertext + 3), APP, resolverFor(keyA))).rejects.toThrow(
      expect.objectContaining({ message: expect.stringContaining(`app ${APP}`), details: expect.objectContaining({ appId: APP, region: 'ciphertext-or-tag' }) }),
    );
  });

  it('never returns data for any single-byte change anywhere in the file', async () => {
    const file = encode(APP, randomBytes(512), keyA.wrapping);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
        const copy = Buffer.from(file);
        copy[at] = (copy[at] ?? 0) ^ mask;
        await expect(decode(copy, APP, resolverFor(keyA))).rejects.toThrow(AppStoreError);
      }),
      { numRuns: 150 },
    );
  });

  it('tells truncation, trailing bytes, bad magic, bad version and a foreign app id apart', async () => {
    const file = encode(APP, randomBytes(2000), keyA.wrapping);
    for (const cut of [0, 3, 9, 40, 100, 500, file.length - 1]) expect(await codeOf(() => decode(file.subarray(0, cut), APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.Truncated);
    expect(await codeOf(() => decode(Buffer.concat([file, Buffer.from([0])]), APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.TrailingData);
    expect(await codeOf(() => decode(flip(file, 0), APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.BadMagic);
    expect(await codeOf(() => decode(Buffer.from('PK\u0003\u0004 zip'), APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.BadMagic);
    expect(await codeOf(() => decode(flip(file, 5), APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.UnsupportedVersion);
    expect(await codeOf(() => decode(file, 'another-app', resolverFor(keyA)))).toBe(AppStoreErrorCode.AppIdMismatch);
  });

  it('cannot be opened with another key, nor with a wrapped key taken from another app', async () => {
    const file = encode(APP, randomBytes(100), keyA.wrapping);
    const wrongKey: PrivateKeyResolver = () => keyB.privateKey;
    expect(await codeOf(() => decode(file, APP, wrongKey))).toBe(AppStoreErrorCode.UnwrapFailed);
    expect(await codeOf(() => decode(file, APP, resolverFor(keyB)))).toBe(AppStoreErrorCode.UnknownKey);
    // Same key pair, other app: the OAEP label binds the wrapped key to its app id.
    const other = encode('other-app', randomBytes(100), keyA.wrapping);
    const mine = regions(file, APP, 100);
    const theirs = regions(other, 'other-app', 100);
    const spliced = Buffer.from(file);
    other.copy(spliced, mine.wrapped, theirs.wrapped, theirs.iv);
    expect(await codeOf(() => decode(spliced, APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.UnwrapFailed);
  });

  it('re-wraps under another key reusing IV, ciphertext and tag byte for byte', async () => {
    const payload = randomBytes(5000);
    const file = encode(APP, payload, keyA.wrapping);
    const rewrapped = join(rewrapAppFile(file, APP, resolverFor(keyA), keyB.wrapping, AUTH));
    const before = regions(file, APP, payload.length);
    const after = regions(rewrapped, APP, payload.length);
    expect(rewrapped.subarray(after.iv).equals(file.subarray(before.iv))).toBe(true);
    expect((await decode(rewrapped, APP, resolverFor(keyB))).payload.equals(payload)).toBe(true);
    expect(await codeOf(() => decode(rewrapped, APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.UnknownKey);
  });
}));

describe.each(decoders)('checksummed-only app files (%s)', (_name, decode) => {
  it('round-trips and refuses a changed payload, checksum or header', async () => {
    const payload = randomBytes(3000);
    const file = join(encodeAppFile(APP, payload, AUTH));
    const none: PrivateKeyResolver = () => {
      throw new Error('no key needed');
    };
    expect(await decode(file, APP, none)).toMatchObject({ mode: 'checksummed' });
    expect((await decode(file, APP, none)).payload.equals(payload)).toBe(true);
    const header = 10 + APP.length + 8 + 32;
    expect(await codeOf(() => decode(flip(file, header + 100), APP, none))).toBe(AppStoreErrorCode.PayloadChecksum);
    expect(await codeOf(() => decode(flip(file, file.length - 1), APP, none))).toBe(AppStoreErrorCode.PayloadChecksum);
    expect(await codeOf(() => decode(flip(file, 12), APP, none))).toBe(AppStoreErrorCode.HeaderChecksum);
  });

  it('is encrypted by a rewrap', async () => {
    const payload = randomBytes(100);
    const file = join(rewrapAppFile(join(encodeAppFile(APP, payload, AUTH)), APP, resolverFor(), keyA.wrapping, AUTH));
    expect(await decode(file, APP, resolverFor(keyA))).toMatchObject({ mode: 'encrypted', thumbprint: keyA.wrapping.thumbprint });
  });
});

describe.each(decoders)('authentication with the site key (%s)', (_name, decode) => {
  const OTHER = AppAuthKey.fromBytes(randomBytes(32));

  it('refuses a file written under another site key: encrypted (wrong GCM key) and checksummed (wrong MAC)', async () => {
    const payload = randomBytes(2000);
    const encrypted = join(encodeAppFile(APP, payload, OTHER, keyA.wrapping));
    expect(await codeOf(() => decode(encrypted, APP, resolverFor(keyA)))).toBe(AppStoreErrorCode.AuthFailed);
    const checksummed = join(encodeAppFile(APP, payload, OTHER));
    await expect(decode(checksummed, APP, resolverFor())).rejects.toThrow(expect.objectContaining({ code: AppStoreErrorCode.PayloadChecksum, message: expect.stringContaining('not written by an engine of this site') }));
  });

  it('refuses format 1 outright, however valid its own checks, with a reason that names the way out', async () => {
    const payload = randomBytes(500);
    for (const file of [formatOne(APP, payload), formatOne(APP, payload, keyA.wrapping)]) {
      await expect(decode(file, APP, resolverFor(keyA))).rejects.toThrow(expect.objectContaining({ code: AppStoreErrorCode.LegacyFormat, message: expect.stringContaining('tz apps authenticate') }));
    }
  });

  it('a MAC over the header core: a checksummed file cannot be moved to another payload length or app', async () => {
    const file = join(encodeAppFile(APP, randomBytes(100), AUTH));
    expect(file.readUInt16BE(4)).toBe(2);
    // Rebuild the header checksum after changing the core, as a forger would: the MAC still catches it.
    const forged = Buffer.from(file);
    forged[12] = (forged[12] ?? 0) ^ 1;
    const headerEnd = 10 + APP.length + 8;
    createHash('sha256').update(forged.subarray(0, headerEnd)).digest().copy(forged, headerEnd);
    const renamed = forged.toString('utf8', 10, 10 + APP.length);
    expect(await codeOf(() => decode(forged, renamed, resolverFor()))).toBe(AppStoreErrorCode.PayloadChecksum);
  });
});

describe('authenticateLegacyFile (tz apps authenticate)', () => {
  it('turns a sound format-1 file into format 2 in the same mode and key, and leaves format 2 alone', () => {
    const payload = randomBytes(3000);
    for (const key of [undefined, keyA.wrapping]) {
      const migrated = join(authenticateLegacyFile(formatOne(APP, payload, key), APP, resolverFor(keyA), () => keyA.wrapping, AUTH)!);
      const decoded = decodeAppFile(migrated, APP, resolverFor(keyA), AUTH);
      expect(decoded.payload.equals(payload)).toBe(true);
      expect(decoded.mode).toBe(key ? 'encrypted' : 'checksummed');
      expect(authenticateLegacyFile(migrated, APP, resolverFor(keyA), () => keyA.wrapping, AUTH)).toBeNull();
    }
  });

  it('does not bless a damaged format-1 file', () => {
    const file = formatOne(APP, randomBytes(300), keyA.wrapping);
    expect(() => authenticateLegacyFile(flip(file, file.length - 3), APP, resolverFor(keyA), () => keyA.wrapping, AUTH)).toThrow(expect.objectContaining({ code: AppStoreErrorCode.AuthFailed }));
  });
});

describe.runIf(nativeGcm !== undefined)('native encoder parts', () => {
  const gcm = nativeGcm as NonNullable<typeof nativeGcm>;
  const deferred = (parts: FilePart[]) => parts.filter((p): p is Exclude<FilePart, Uint8Array> => !(p instanceof Uint8Array));

  it('refuses to take the tag before every encrypted part was written', () => {
    const parts = encodeAppFileParts(APP, randomBytes(3 * 1024 * 1024), AUTH, keyA.wrapping, gcm);
    expect(() => [...parts]).toThrow(/not all written before the tag/);
  });

  it('refuses encrypted parts written out of order, so a consumer cannot produce a wrong file', () => {
    const taken: FilePart[] = [];
    const parts = encodeAppFileParts(APP, randomBytes(3 * 1024 * 1024), AUTH, keyA.wrapping, gcm);
    taken.push(parts.next().value as FilePart, parts.next().value as FilePart, parts.next().value as FilePart);
    const [first, second] = deferred(taken);
    expect(() => second?.writeInto(Buffer.alloc(second.length))).toThrow(/out of order/);
    first?.writeInto(Buffer.alloc(first.length));
    expect(() => first?.writeInto(Buffer.alloc(first.length))).toThrow(/out of order/);
    parts.return(undefined);
  });
});
