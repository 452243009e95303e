import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { AppFileHeader, AppFileMode } from './app-file-format';
import { CHECKSUM_BYTES, DATA_KEY_BYTES, FORMAT_VERSION, IV_BYTES, MAX_PAYLOAD_BYTES, TAG_BYTES, assertAuthenticatedFormat, encodeHeader, parseHeader } from './app-file-format';
import type { FilePart } from './file-part';
import { GCM_STEP, finishDecryption } from './gcm-steps';
import type { NativeAesGcm } from './native-gcm';
import type { WrappingKey } from './key-wrap';
import { unwrapDataKey, wrapDataKey } from './key-wrap';

export type { WrappingKey } from './key-wrap';

/** Finds the private key for a thumbprint, or throws the AppStoreError that explains why not. */
export type PrivateKeyResolver = (thumbprint: string, appId: string) => KeyObject;

export interface DecodedApp {
  payload: Buffer;
  mode: AppFileMode;
  thumbprint?: string;
}

export interface DecodeOptions {
  /** Accept format 1 (unauthenticated): only the explicit migration sets this. */
  legacy?: boolean;
}

/**
 * The AES-GCM key of a file, from its unwrapped data key (which is wiped): derived with the app
 * authentication key from format 2 on, the data key itself in format 1.
 */
export function payloadKey(header: AppFileHeader, dataKey: Buffer, auth: AppAuthKey): Buffer {
  try {
    return header.version === FORMAT_VERSION ? auth.gcmKey(dataKey) : Buffer.from(dataKey);
  } finally {
    dataKey.fill(0);
  }
}

/** The checksum trailer of a checksummed file: a keyed MAC over core and payload from format 2 on. */
export function checksumHash(header: Pick<AppFileHeader, 'version' | 'core'>, auth: AppAuthKey): { update(bytes: Uint8Array): unknown; digest(): Buffer } {
  if (header.version !== FORMAT_VERSION) return createHash('sha256');
  const mac = auth.checksumMac();
  mac.update(header.core);
  return mac;
}

export function payloadChecksumError(appId: string, version: number): AppStoreError {
  const what = version === FORMAT_VERSION ? 'payload authentication failed (not written by an engine of this site, or changed since)' : 'payload checksum mismatch';
  return new AppStoreError(AppStoreErrorCode.PayloadChecksum, `app ${appId}: ${what}`, { appId, region: 'payload' });
}

/**
 * The file as a sequence of buffers, produced lazily so a large payload is encrypted in steps
 * while it is written and never exists twice in memory. Every yielded buffer is fresh.
 */
export function* encodeAppFile(appId: string, payload: Uint8Array, auth: AppAuthKey, key?: WrappingKey): Generator<Buffer> {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `app ${appId}: payload too large`, { appId });
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (!key) {
    const header = encodeHeader('checksummed', appId, payload.length);
    const mac = checksumHash({ version: FORMAT_VERSION, core: header.core }, auth);
    mac.update(body);
    yield header.bytes;
    yield body;
    yield mac.digest();
    return;
  }
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const gcmKey = auth.gcmKey(dataKey);
  try {
    const wrapped = wrapDataKey(dataKey, appId, key);
    const { bytes, core } = encodeHeader('encrypted', appId, payload.length, { thumbprint: key.thumbprint, wrappedKeyLength: wrapped.length });
    // A fresh random 96-bit IV per file; with a fresh key per file as well, IV reuse under one key cannot happen.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', gcmKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(core);
    yield Buffer.concat([bytes, wrapped, iv]);
    for (let offset = 0; offset < body.length; offset += GCM_STEP) yield cipher.update(body.subarray(offset, offset + GCM_STEP));
    cipher.final();
    yield cipher.getAuthTag();
  } finally {
    dataKey.fill(0);
    gcmKey.fill(0);
  }
}

/**
 * Native encryption steps: no allocation per call, so they can be long (fewer calls); one fits a
 * staging buffer four times (staged-writer.ts).
 */
export const NATIVE_GCM_STEP = 1024 * 1024;

/**
 * encodeAppFile, but with the native addon the ciphertext comes as deferred parts that encrypt
 * each payload step straight into the writer's buffer (see file-part.ts). GCM is sequential, so
 * the parts check that they are written in order, each once, before the tag is taken: a consumer
 * that skipped or reordered them gets an error, never a wrong file.
 */
export function* encodeAppFileParts(appId: string, payload: Uint8Array, auth: AppAuthKey, key?: WrappingKey, nativeGcm?: NativeAesGcm): Generator<FilePart> {
  if (!key || !nativeGcm) {
    yield* encodeAppFile(appId, payload, auth, key);
    return;
  }
  if (payload.length > MAX_PAYLOAD_BYTES) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `app ${appId}: payload too large`, { appId });
  const dataKey = randomBytes(DATA_KEY_BYTES);
  const gcmKey = auth.gcmKey(dataKey);
  let context: object | undefined;
  try {
    const wrapped = wrapDataKey(dataKey, appId, key);
    const { bytes, core } = encodeHeader('encrypted', appId, payload.length, { thumbprint: key.thumbprint, wrappedKeyLength: wrapped.length });
    const iv = randomBytes(IV_BYTES);
    context = nativeGcm.openCipher(gcmKey, iv, core);
    dataKey.fill(0);
    gcmKey.fill(0);
    yield Buffer.concat([bytes, wrapped, iv]);
    const gcm = context;
    let written = 0;
    for (let offset = 0; offset < payload.length; offset += NATIVE_GCM_STEP) {
      const at = offset;
      const source = payload.subarray(at, Math.min(payload.length, at + NATIVE_GCM_STEP));
      yield {
        length: source.length,
        writeInto(target) {
          if (written !== at) throw new Error(`app ${appId}: encrypted parts written out of order`);
          nativeGcm.update(gcm, source, target);
          written += source.length;
        },
      };
    }
    if (written !== payload.length) throw new Error(`app ${appId}: encrypted parts not all written before the tag`);
    yield nativeGcm.seal(gcm);
  } finally {
    dataKey.fill(0);
    gcmKey.fill(0);
    if (context) nativeGcm.close(context);
  }
}

function bodyOffsets(h: AppFileHeader): { wrapped: number; iv: number; ciphertext: number; tag: number } {
  const wrapped = h.length;
  const iv = wrapped + (h.keySlot?.wrappedKeyLength ?? 0);
  return { wrapped, iv, ciphertext: iv + IV_BYTES, tag: iv + IV_BYTES + h.payloadLength };
}

/** Checks and opens a whole app file held in memory; returns the payload only when every check passed. */
export function decodeAppFile(file: Buffer, appId: string, resolveKey: PrivateKeyResolver, auth: AppAuthKey, options: DecodeOptions = {}): DecodedApp {
  const header = parseHeader(file, appId);
  assertAuthenticatedFormat(header, options.legacy);
  if (header.mode === 'checksummed') {
    const payload = file.subarray(header.length, header.length + header.payloadLength);
    const hash = checksumHash(header, auth);
    hash.update(payload);
    if (!hash.digest().equals(file.subarray(header.length + header.payloadLength, header.length + header.payloadLength + CHECKSUM_BYTES))) {
      throw payloadChecksumError(appId, header.version);
    }
    return { payload, mode: 'checksummed' };
  }
  const slot = header.keySlot as NonNullable<AppFileHeader['keySlot']>;
  const at = bodyOffsets(header);
  const dataKey = payloadKey(header, unwrapDataKey(file.subarray(at.wrapped, at.iv), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId)), auth);
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, file.subarray(at.iv, at.ciphertext), { authTagLength: TAG_BYTES });
    decipher.setAAD(header.core);
    decipher.setAuthTag(file.subarray(at.tag, at.tag + TAG_BYTES));
    // One call: its (fresh) output is the payload, so nothing is copied.
    const payload = decipher.update(file.subarray(at.ciphertext, at.tag));
    finishDecryption(decipher, payload, appId, slot.thumbprint);
    return { payload, mode: 'encrypted', thumbprint: slot.thumbprint };
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Re-wraps the data key of an encrypted file under `target`: only the key slot, the wrapped key and
 * the header checksum change; IV, ciphertext and tag are reused byte for byte (the core, which is
 * the GCM AAD, is unchanged, and so is the GCM key derived from the data key). A checksummed-only
 * file is encrypted instead, after its MAC is verified. Format-1 files are refused: only
 * `authenticateLegacyFile` turns them into format 2.
 */
export function rewrapAppFile(file: Buffer, appId: string, resolveKey: PrivateKeyResolver, target: WrappingKey, auth: AppAuthKey): Iterable<Buffer> {
  const header = parseHeader(file, appId);
  assertAuthenticatedFormat(header);
  if (header.mode === 'checksummed') return encodeAppFile(appId, decodeAppFile(file, appId, resolveKey, auth).payload, auth, target);
  const slot = header.keySlot as NonNullable<AppFileHeader['keySlot']>;
  const at = bodyOffsets(header);
  const dataKey = unwrapDataKey(file.subarray(at.wrapped, at.iv), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId));
  try {
    const wrapped = wrapDataKey(dataKey, appId, target);
    const { bytes } = encodeHeader('encrypted', appId, header.payloadLength, { thumbprint: target.thumbprint, wrappedKeyLength: wrapped.length });
    return [bytes, wrapped, file.subarray(at.iv)];
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Format 1 → format 2 (`tz apps authenticate`): the file's own checks run first (GCM tag or SHA-256),
 * then it is written again in the same mode, an encrypted one under the same key (a fresh data key,
 * since format 2 derives the GCM key from it and the site's key). Format-2 files are returned as null
 * (nothing to do). This is the one place format 1 is accepted: it blesses whatever is on disk.
 */
export function authenticateLegacyFile(file: Buffer, appId: string, resolveKey: PrivateKeyResolver, wrappingKey: (thumbprint: string) => WrappingKey, auth: AppAuthKey): Iterable<Buffer> | null {
  const header = parseHeader(file, appId);
  if (header.version === FORMAT_VERSION) return null;
  const decoded = decodeAppFile(file, appId, resolveKey, auth, { legacy: true });
  return encodeAppFile(appId, decoded.payload, auth, decoded.thumbprint === undefined ? undefined : wrappingKey(decoded.thumbprint));
}

export { bodyOffsets };
