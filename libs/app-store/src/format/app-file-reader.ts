import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { DecodedApp, PrivateKeyResolver } from './app-file-codec';
import { bodyOffsets, checksumHash, payloadChecksumError, payloadKey } from './app-file-codec';
import type { AppFileHeader } from './app-file-format';
import { CHECKSUM_BYTES, IV_BYTES, MAX_HEADER_BYTES, TAG_BYTES, assertAuthenticatedFormat, parseHeader } from './app-file-format';
import type { InPlaceDecryption } from './gcm-steps';
import { authenticationFailed, openInPlaceDecryption } from './gcm-steps';
import type { NativeAesGcm } from './native-gcm';
import { unwrapDataKey } from './key-wrap';

/** Read size: big enough to amortise the thread-pool round trip, small enough to stay in cache. */
export const READ_CHUNK = 1024 * 1024;
/**
 * Positional reads of disjoint pieces kept in flight ahead of the piece being consumed, so a slow
 * read does not stall the hash/GCM (one read ahead before: encrypted ÷ checksummed load of the
 * benchmark app 1.52–1.80 in three runs; three ahead: 1.37–1.40, same hour). Three leave one of
 * libuv's four pool threads free for the rest of the process.
 */
const READ_AHEAD = 3;

async function readAt(handle: FileHandle, target: Buffer, position: number, appId: string): Promise<void> {
  let done = 0;
  while (done < target.length) {
    const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
    // Only an in-place truncation (not our atomic renames) can end the file early under an open handle.
    if (bytesRead === 0) throw new AppStoreError(AppStoreErrorCode.Truncated, `app ${appId}: file truncated while reading`, { appId, region: 'file' });
    done += bytesRead;
  }
}

/**
 * Opens an app file straight from disk: header, then the body in `readChunk` reads. Checksummed
 * files are read straight into the payload and hashed piece by piece; encrypted ones are read
 * straight into the payload too and decrypted in place, piece by piece, while the next pieces are
 * read. The payload is returned only after the SHA-256 or GCM tag verified; on failure it is wiped.
 * The open handle pins the file, so a concurrent atomic save (rename) cannot mix two versions.
 */
export interface ReadOptions {
  readChunk?: number;
  /** Decrypts in place without allocations when given (see native-gcm.ts); node:crypto otherwise. */
  nativeGcm?: NativeAesGcm;
  /** Accept format 1 (unauthenticated): only the explicit migration sets this. */
  legacy?: boolean;
}

export async function readAppFilePayload(path: string, appId: string, resolveKey: PrivateKeyResolver, auth: AppAuthKey, options: ReadOptions = {}): Promise<DecodedApp> {
  const readChunk = options.readChunk ?? READ_CHUNK;
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    await readAt(handle, head, 0, appId);
    const header = parseHeader(head, appId, size);
    assertAuthenticatedFormat(header, options.legacy);
    return header.mode === 'checksummed' ? await readChecksummed(handle, header, auth, readChunk) : await readEncrypted(handle, header, resolveKey, auth, readChunk, options.nativeGcm);
  } finally {
    await handle.close();
  }
}

async function readChecksummed(handle: FileHandle, header: AppFileHeader, auth: AppAuthKey, readChunk: number): Promise<DecodedApp> {
  const payload = Buffer.allocUnsafe(header.payloadLength);
  const hash = checksumHash(header, auth);
  const piece = (offset: number): Buffer => payload.subarray(offset, Math.min(payload.length, offset + readChunk));
  await readInPieces(handle, payload.length, header.length, readChunk, header.appId, piece, (bytes) => hash.update(bytes));
  const stored = Buffer.alloc(CHECKSUM_BYTES);
  await readAt(handle, stored, header.length + header.payloadLength, header.appId);
  if (!hash.digest().equals(stored)) {
    payload.fill(0);
    throw payloadChecksumError(header.appId, header.version);
  }
  return { payload, mode: 'checksummed' };
}

async function readEncrypted(handle: FileHandle, header: AppFileHeader, resolveKey: PrivateKeyResolver, auth: AppAuthKey, readChunk: number, nativeGcm?: NativeAesGcm): Promise<DecodedApp> {
  const { appId } = header;
  const slot = header.keySlot as NonNullable<AppFileHeader['keySlot']>;
  const at = bodyOffsets(header);
  const keyAndIv = Buffer.alloc(slot.wrappedKeyLength + IV_BYTES);
  await readAt(handle, keyAndIv, at.wrapped, appId);
  const tag = Buffer.alloc(TAG_BYTES);
  await readAt(handle, tag, at.tag, appId);
  const dataKey = payloadKey(header, unwrapDataKey(keyAndIv.subarray(0, slot.wrappedKeyLength), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId)), auth);
  let decryption: InPlaceDecryption;
  try {
    decryption = openInPlaceDecryption(dataKey, keyAndIv.subarray(slot.wrappedKeyLength), header.core, tag, nativeGcm);
  } finally {
    // The decipher holds its own key schedule from here on.
    dataKey.fill(0);
  }
  const payload = Buffer.allocUnsafe(header.payloadLength);
  // Ciphertext is read into the payload and decrypted in place: the kernel's read faults the fresh
  // pages in, as in a checksummed load, instead of a copy from staging buffers doing it on the main
  // thread (same run, benchmark app, 3 paired runs: encrypted ÷ checksummed load 1.68–1.80 before,
  // 1.40–1.68 after).
  const piece = (offset: number): Buffer => payload.subarray(offset, Math.min(payload.length, offset + readChunk));
  try {
    await readInPieces(handle, payload.length, at.ciphertext, readChunk, appId, piece, (bytes) => decryption.update(bytes));
    if (!decryption.verify()) throw authenticationFailed(appId, slot.thumbprint);
  } catch (error) {
    payload.fill(0);
    throw error;
  } finally {
    decryption.close();
  }
  return { payload, mode: 'encrypted', thumbprint: slot.thumbprint };
}

/**
 * Reads `length` bytes from `position` in pieces and hands each to `consume` (hashing or GCM, main
 * thread, in order) while the next READ_AHEAD pieces are read (libuv threads), so CPU and copy
 * overlap. `pieceFor` says where the piece at an offset is read to; pieces must not overlap.
 *
 * Encrypted loads go through here too rather than one GCM call over the whole ciphertext: Node
 * allocates a one-shot output twice (length + block, then length), both fresh pages, and on a VM
 * that returns freed pages to the host that doubled the page faults of a load (measured on the
 * benchmark app: 17,840 faults one-shot, ~8,900 in pieces, as many as a checksummed load).
 */
async function readInPieces(handle: FileHandle, length: number, position: number, readChunk: number, appId: string, pieceFor: (offset: number) => Buffer, consume: (piece: Buffer, offset: number) => void): Promise<void> {
  const ahead: Promise<void>[] = [];
  let nextRead = 0;
  const topUp = (): void => {
    while (ahead.length < READ_AHEAD && nextRead < length) {
      const read = readAt(handle, pieceFor(nextRead), position + nextRead, appId);
      // Observed so a failed read is not unhandled while earlier pieces are consumed; awaited in turn.
      read.catch(() => undefined);
      ahead.push(read);
      nextRead += readChunk;
    }
  };
  try {
    topUp();
    for (let offset = 0; ahead.length > 0; offset += readChunk) {
      await ahead.shift();
      topUp();
      consume(pieceFor(offset), offset);
    }
  } finally {
    // Never return while a read is still writing into a buffer.
    await Promise.allSettled(ahead);
  }
}
