import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { AppFileHeader, AppFileMode } from './app-file-format';
import { CHECKSUM_BYTES, DATA_KEY_BYTES, IV_BYTES, MAX_PAYLOAD_BYTES, TAG_BYTES, encodeHeader, parseHeader, sha256 } from './app-file-format';
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

/**
 * The file as a sequence of buffers, produced lazily so a large payload is encrypted in steps
 * while it is written and never exists twice in memory. Every yielded buffer is fresh.
 */
export function* encodeAppFile(appId: string, payload: Uint8Array, key?: WrappingKey): Generator<Buffer> {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `app ${appId}: payload too large`, { appId });
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.length);
  if (!key) {
    yield encodeHeader('checksummed', appId, payload.length).bytes;
    yield body;
    yield sha256(payload);
    return;
  }
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    const wrapped = wrapDataKey(dataKey, appId, key);
    const { bytes, core } = encodeHeader('encrypted', appId, payload.length, { thumbprint: key.thumbprint, wrappedKeyLength: wrapped.length });
    // A fresh random 96-bit IV per file; with a fresh key per file as well, IV reuse under one key cannot happen.
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(core);
    yield Buffer.concat([bytes, wrapped, iv]);
    for (let offset = 0; offset < body.length; offset += GCM_STEP) yield cipher.update(body.subarray(offset, offset + GCM_STEP));
    cipher.final();
    yield cipher.getAuthTag();
  } finally {
    dataKey.fill(0);
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
export function* encodeAppFileParts(appId: string, payload: Uint8Array, key?: WrappingKey, nativeGcm?: NativeAesGcm): Generator<FilePart> {
  if (!key || !nativeGcm) {
    yield* encodeAppFile(appId, payload, key);
    return;
  }
  if (payload.length > MAX_PAYLOAD_BYTES) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `app ${appId}: payload too large`, { appId });
  const dataKey = randomBytes(DATA_KEY_BYTES);
  let context: object | undefined;
  try {
    const wrapped = wrapDataKey(dataKey, appId, key);
    const { bytes, core } = encodeHeader('encrypted', appId, payload.length, { thumbprint: key.thumbprint, wrappedKeyLength: wrapped.length });
    const iv = randomBytes(IV_BYTES);
    context = nativeGcm.openCipher(dataKey, iv, core);
    dataKey.fill(0);
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
    if (context) nativeGcm.close(context);
  }
}

function bodyOffsets(h: AppFileHeader): { wrapped: number; iv: number; ciphertext: number; tag: number } {
  const wrapped = h.length;
  const iv = wrapped + (h.keySlot?.wrappedKeyLength ?? 0);
  return { wrapped, iv, ciphertext: iv + IV_BYTES, tag: iv + IV_BYTES + h.payloadLength };
}

/** Checks and opens a whole app file held in memory; returns the payload only when every check passed. */
export function decodeAppFile(file: Buffer, appId: string, resolveKey: PrivateKeyResolver): DecodedApp {
  const header = parseHeader(file, appId);
  if (header.mode === 'checksummed') {
    const payload = file.subarray(header.length, header.length + header.payloadLength);
    if (!sha256(payload).equals(file.subarray(header.length + header.payloadLength, header.length + header.payloadLength + CHECKSUM_BYTES))) {
      throw new AppStoreError(AppStoreErrorCode.PayloadChecksum, `app ${appId}: payload checksum mismatch`, { appId, region: 'payload' });
    }
    return { payload, mode: 'checksummed' };
  }
  const slot = header.keySlot as NonNullable<AppFileHeader['keySlot']>;
  const at = bodyOffsets(header);
  const dataKey = unwrapDataKey(file.subarray(at.wrapped, at.iv), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId));
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
 * the GCM AAD, is unchanged). A checksummed-only file is encrypted instead, after its checksum is
 * verified.
 */
export function rewrapAppFile(file: Buffer, appId: string, resolveKey: PrivateKeyResolver, target: WrappingKey): Iterable<Buffer> {
  const header = parseHeader(file, appId);
  if (header.mode === 'checksummed') return encodeAppFile(appId, decodeAppFile(file, appId, resolveKey).payload, target);
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

export { bodyOffsets };
