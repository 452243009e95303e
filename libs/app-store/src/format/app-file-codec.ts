import { constants, createCipheriv, createDecipheriv, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { AppFileHeader, AppFileMode } from './app-file-format';
import { CHECKSUM_BYTES, DATA_KEY_BYTES, IV_BYTES, MAX_PAYLOAD_BYTES, TAG_BYTES, encodeHeader, parseHeader, sha256 } from './app-file-format';

/** The public half used to wrap new data keys, named by its certificate's SHA-256 thumbprint. */
export interface WrappingKey {
  thumbprint: string;
  publicKey: KeyObject;
}

/** Finds the private key for a thumbprint, or throws the AppStoreError that explains why not. */
export type PrivateKeyResolver = (thumbprint: string, appId: string) => KeyObject;

export interface DecodedApp {
  payload: Buffer;
  mode: AppFileMode;
  thumbprint?: string;
}

// The OAEP label binds a wrapped key to its app: a key slot pasted from another app's file does not unwrap.
const oaepLabel = (appId: string): Buffer => Buffer.from(`trustzone-app:${appId}`, 'utf8');

function wrap(dataKey: Buffer, appId: string, key: WrappingKey): Buffer {
  return publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: oaepLabel(appId) }, dataKey);
}

function unwrap(wrapped: Buffer, appId: string, thumbprint: string, privateKey: KeyObject): Buffer {
  let dataKey: Buffer;
  try {
    dataKey = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: oaepLabel(appId) }, wrapped);
  } catch {
    dataKey = Buffer.alloc(0);
  }
  if (dataKey.length !== DATA_KEY_BYTES) {
    throw new AppStoreError(AppStoreErrorCode.UnwrapFailed, `app ${appId}: the data key cannot be unwrapped with key ${thumbprint} (wrong key or damaged wrapped key)`, { appId, region: 'wrapped-key', thumbprint });
  }
  return dataKey;
}

/** The file as a list of buffers (written with writev, so a large payload is never copied into one buffer). */
export function encodeAppFile(appId: string, payload: Uint8Array, key?: WrappingKey): Buffer[] {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `app ${appId}: payload too large`, { appId });
  if (!key) {
    const { bytes } = encodeHeader('checksummed', appId, payload.length);
    return [bytes, Buffer.from(payload.buffer, payload.byteOffset, payload.length), sha256(payload)];
  }
  const dataKey = randomBytes(DATA_KEY_BYTES);
  try {
    return sealWithDataKey(appId, payload, dataKey, key);
  } finally {
    dataKey.fill(0);
  }
}

function sealWithDataKey(appId: string, payload: Uint8Array, dataKey: Buffer, key: WrappingKey): Buffer[] {
  const wrapped = wrap(dataKey, appId, key);
  const { bytes, core } = encodeHeader('encrypted', appId, payload.length, { thumbprint: key.thumbprint, wrappedKeyLength: wrapped.length });
  // A fresh random 96-bit IV per file; with a fresh key per file as well, IV reuse under one key cannot happen.
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(core);
  const ciphertext = cipher.update(payload);
  const last = cipher.final();
  return [bytes, wrapped, iv, ciphertext, last, cipher.getAuthTag()];
}

function bodyOffsets(h: AppFileHeader): { wrapped: number; iv: number; ciphertext: number; tag: number } {
  const wrapped = h.length;
  const iv = wrapped + (h.keySlot?.wrappedKeyLength ?? 0);
  return { wrapped, iv, ciphertext: iv + IV_BYTES, tag: iv + IV_BYTES + h.payloadLength };
}

/** Checks and opens a whole app file; returns the payload only when every check passed. */
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
  const dataKey = unwrap(file.subarray(at.wrapped, at.iv), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId));
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, file.subarray(at.iv, at.ciphertext), { authTagLength: TAG_BYTES });
    decipher.setAAD(header.core);
    decipher.setAuthTag(file.subarray(at.tag, at.tag + TAG_BYTES));
    const payload = decipher.update(file.subarray(at.ciphertext, at.tag));
    try {
      decipher.final();
    } catch {
      payload.fill(0);
      throw new AppStoreError(AppStoreErrorCode.AuthFailed, `app ${appId}: authentication failed (ciphertext, IV or tag altered)`, { appId, region: 'ciphertext-or-tag', thumbprint: slot.thumbprint });
    }
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
export function rewrapAppFile(file: Buffer, appId: string, resolveKey: PrivateKeyResolver, target: WrappingKey): Buffer[] {
  const header = parseHeader(file, appId);
  if (header.mode === 'checksummed') return encodeAppFile(appId, decodeAppFile(file, appId, resolveKey).payload, target);
  const slot = header.keySlot as NonNullable<AppFileHeader['keySlot']>;
  const at = bodyOffsets(header);
  const dataKey = unwrap(file.subarray(at.wrapped, at.iv), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId));
  try {
    const wrapped = wrap(dataKey, appId, target);
    const { bytes } = encodeHeader('encrypted', appId, header.payloadLength, { thumbprint: target.thumbprint, wrappedKeyLength: wrapped.length });
    return [bytes, wrapped, file.subarray(at.iv)];
  } finally {
    dataKey.fill(0);
  }
}
