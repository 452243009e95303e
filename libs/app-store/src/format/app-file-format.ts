import { createHash } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { AppFileRegion } from '../app-store.error';

/*
 * App file format, version 2 (also in README.md). All integers big-endian.
 *
 *   core (bound as GCM AAD in encrypted mode, under the MAC in checksummed mode; unchanged by a rekey)
 *     0   4  magic "TZAP"
 *     4   2  version = 2 (1: the unauthenticated format before it, read only by `tz apps authenticate`)
 *     6   1  mode: 1 = encrypted, 2 = checksummed-only
 *     7   1  flags = 0 (reserved; anything else is refused)
 *     8   2  app id length n (1–128)
 *    10   n  app id, UTF-8 (a file copied under another app's name is refused)
 *  10+n   8  payload length L (plaintext bytes = ciphertext bytes)
 *   key slot (encrypted only; rewritten by a rekey)
 *         32  SHA-256 thumbprint of the encryption certificate (DER)
 *          2  wrapped key length w
 *   header checksum
 *         32  SHA-256 of every header byte above
 *   body, encrypted:   w wrapped data key (RSA-OAEP-SHA256, label "trustzone-app:<app id>")
 *                     12 IV (random)   L ciphertext   16 tag
 *                     AES-256-GCM under HKDF-SHA256(data key, salt = app authentication key)
 *   body, checksummed: L payload   32 HMAC-SHA256(core ‖ payload) under a key derived from the
 *                     app authentication key
 *
 * Version 2 is authenticated by the site's app authentication key (keys/app-auth-key.ts), which only
 * engines hold: the wrapping certificate is public and a plain checksum is unkeyed, so in version 1
 * anyone who could write the file could write a valid one. Version 1 used the data key itself for
 * GCM and a SHA-256 of the payload.
 *
 * The wrapped key and the IV sit outside the header checksum on purpose: a damaged wrapped key
 * then reports "cannot unwrap" and a damaged IV "authentication failed", instead of both hiding
 * behind "header checksum", and a rekey only has to rewrite the key slot and the checksum.
 */
export const MAGIC = Buffer.from('TZAP', 'ascii');
export const FORMAT_VERSION = 2;
/** The unauthenticated format; readable only on the explicit migration path (`tz apps authenticate`). */
export const LEGACY_FORMAT_VERSION = 1;
export const MODE_ENCRYPTED = 1;
export const MODE_CHECKSUMMED = 2;
export const IV_BYTES = 12;
export const TAG_BYTES = 16;
export const DATA_KEY_BYTES = 32;
export const CHECKSUM_BYTES = 32;
export const THUMBPRINT_BYTES = 32;
/** RSA 2048–8192 bit keys wrap to 256–1024 bytes. */
export const MIN_WRAPPED = 256;
export const MAX_WRAPPED = 1024;
/** Upper bound on one app's payload (Node buffers top out near here anyway). */
export const MAX_PAYLOAD_BYTES = 2 ** 31 - 1;

export type AppFileMode = 'encrypted' | 'checksummed';

export interface KeySlot {
  thumbprint: string;
  wrappedKeyLength: number;
}

export interface AppFileHeader {
  /** FORMAT_VERSION, or LEGACY_FORMAT_VERSION for a file to migrate. */
  version: number;
  mode: AppFileMode;
  appId: string;
  payloadLength: number;
  keySlot?: KeySlot;
  /** The core bytes (GCM AAD). */
  core: Buffer;
  /** Header length including the checksum: the body starts here. */
  length: number;
}

export const sha256 = (...parts: Uint8Array[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export function encodeHeader(mode: AppFileMode, appId: string, payloadLength: number, keySlot?: KeySlot, version = FORMAT_VERSION): { bytes: Buffer; core: Buffer } {
  const id = Buffer.from(appId, 'utf8');
  const core = Buffer.alloc(10 + id.length + 8);
  MAGIC.copy(core, 0);
  core.writeUInt16BE(version, 4);
  core.writeUInt8(mode === 'encrypted' ? MODE_ENCRYPTED : MODE_CHECKSUMMED, 6);
  core.writeUInt8(0, 7);
  core.writeUInt16BE(id.length, 8);
  id.copy(core, 10);
  core.writeBigUInt64BE(BigInt(payloadLength), 10 + id.length);
  let slot = Buffer.alloc(0);
  if (keySlot) {
    slot = Buffer.alloc(THUMBPRINT_BYTES + 2);
    Buffer.from(keySlot.thumbprint, 'hex').copy(slot, 0);
    slot.writeUInt16BE(keySlot.wrappedKeyLength, THUMBPRINT_BYTES);
  }
  return { bytes: Buffer.concat([core, slot, sha256(core, slot)]), core };
}

/** Total file length implied by a header. */
export function expectedFileLength(h: AppFileHeader): number {
  return h.mode === 'encrypted'
    ? h.length + (h.keySlot?.wrappedKeyLength ?? 0) + IV_BYTES + h.payloadLength + TAG_BYTES
    : h.length + h.payloadLength + CHECKSUM_BYTES;
}

function fail(code: AppStoreErrorCode, appId: string, region: AppFileRegion, what: string): never {
  throw new AppStoreError(code, `app ${appId}: ${what}`, { appId, region });
}

/** Longest possible header; reading this many bytes is enough for parseHeader. */
export const MAX_HEADER_BYTES = 10 + 128 + 8 + THUMBPRINT_BYTES + 2 + CHECKSUM_BYTES;

/**
 * Parses and checks the header of a file that should belong to `appId`. `file` is the whole file,
 * or only its first MAX_HEADER_BYTES with `fileLength` giving the real size.
 */
export function parseHeader(file: Buffer, appId: string, fileLength = file.length): AppFileHeader {
  if (file.length < MAGIC.length) {
    if (MAGIC.subarray(0, file.length).equals(file)) fail(AppStoreErrorCode.Truncated, appId, 'header', `file truncated (${file.length} bytes)`);
    fail(AppStoreErrorCode.BadMagic, appId, 'header', 'not an app file (bad magic)');
  }
  if (!file.subarray(0, 4).equals(MAGIC)) fail(AppStoreErrorCode.BadMagic, appId, 'header', 'not an app file (bad magic)');
  if (file.length < 10) fail(AppStoreErrorCode.Truncated, appId, 'header', 'file truncated inside the header');
  const version = file.readUInt16BE(4);
  if (version !== FORMAT_VERSION && version !== LEGACY_FORMAT_VERSION) fail(AppStoreErrorCode.UnsupportedVersion, appId, 'header', `unsupported format version ${version}`);
  const modeByte = file.readUInt8(6);
  if (modeByte !== MODE_ENCRYPTED && modeByte !== MODE_CHECKSUMMED) fail(AppStoreErrorCode.HeaderInvalid, appId, 'header', `header damaged (unknown mode ${modeByte})`);
  const mode: AppFileMode = modeByte === MODE_ENCRYPTED ? 'encrypted' : 'checksummed';
  const idLength = file.readUInt16BE(8);
  if (idLength < 1 || idLength > 128) fail(AppStoreErrorCode.HeaderInvalid, appId, 'header', 'header damaged (impossible app id length)');
  const coreLength = 10 + idLength + 8;
  const slotLength = mode === 'encrypted' ? THUMBPRINT_BYTES + 2 : 0;
  const length = coreLength + slotLength + CHECKSUM_BYTES;
  if (Math.min(file.length, fileLength) < length) fail(AppStoreErrorCode.Truncated, appId, 'header', 'file truncated inside the header');
  const covered = file.subarray(0, coreLength + slotLength);
  if (!sha256(covered).equals(file.subarray(coreLength + slotLength, length))) fail(AppStoreErrorCode.HeaderChecksum, appId, 'header', 'header checksum mismatch');
  if (file.readUInt8(7) !== 0) fail(AppStoreErrorCode.HeaderInvalid, appId, 'header', 'unknown header flags');
  const storedId = file.toString('utf8', 10, 10 + idLength);
  if (storedId !== appId) fail(AppStoreErrorCode.AppIdMismatch, appId, 'header', 'the file belongs to another app');
  const payload = file.readBigUInt64BE(10 + idLength);
  if (payload > BigInt(MAX_PAYLOAD_BYTES)) fail(AppStoreErrorCode.HeaderInvalid, appId, 'header', 'payload length out of range');
  const header: AppFileHeader = { version, mode, appId, payloadLength: Number(payload), core: file.subarray(0, coreLength), length };
  if (mode === 'encrypted') {
    const wrappedKeyLength = file.readUInt16BE(coreLength + THUMBPRINT_BYTES);
    if (wrappedKeyLength < MIN_WRAPPED || wrappedKeyLength > MAX_WRAPPED) fail(AppStoreErrorCode.HeaderInvalid, appId, 'key-slot', 'wrapped key length out of range');
    header.keySlot = { thumbprint: file.toString('hex', coreLength, coreLength + THUMBPRINT_BYTES), wrappedKeyLength };
  }
  const expected = expectedFileLength(header);
  if (fileLength < expected) fail(AppStoreErrorCode.Truncated, appId, 'file', `file truncated (${fileLength} of ${expected} bytes)`);
  if (fileLength > expected) fail(AppStoreErrorCode.TrailingData, appId, 'file', `unexpected bytes after the end (${fileLength} for ${expected})`);
  return header;
}

/**
 * Refuses a format-1 file unless the caller is the migration (`legacy`): format 1 is not
 * authenticated, so accepting it would accept a file anyone who can write `apps/` made.
 */
export function assertAuthenticatedFormat(header: AppFileHeader, legacy = false): void {
  if (header.version === FORMAT_VERSION || (legacy && header.version === LEGACY_FORMAT_VERSION)) return;
  fail(AppStoreErrorCode.LegacyFormat, header.appId, 'header',
    'the file is in format 1, which is not authenticated by an engine of this site: it is refused (an operator who trusts the app files runs `tz apps authenticate`)');
}
