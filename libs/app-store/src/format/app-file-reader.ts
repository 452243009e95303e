import { createDecipheriv, createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { DecodedApp, PrivateKeyResolver } from './app-file-codec';
import { bodyOffsets } from './app-file-codec';
import type { AppFileHeader } from './app-file-format';
import { CHECKSUM_BYTES, IV_BYTES, MAX_HEADER_BYTES, TAG_BYTES, parseHeader } from './app-file-format';
import { finishDecryption, gcmInto } from './gcm-steps';
import { unwrapDataKey } from './key-wrap';
import { borrowScratch, returnScratch } from './scratch-buffer';

/** Read size: big enough to amortise the thread-pool round trip, small enough to stay in cache. */
const READ_CHUNK = 1024 * 1024;
/**
 * Encrypted payloads up to this size are decrypted in one GCM call from a reused scratch buffer
 * (fastest: no transient outputs); larger ones are streamed in steps (peak memory = payload + 1 MiB).
 */
export const WHOLE_DECRYPT_LIMIT = 256 * 1024 * 1024;

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
 * Opens an app file straight from disk: header, then the body in 1 MiB reads. Checksummed files
 * are read straight into the payload and hashed piece by piece; encrypted ones are decrypted in
 * one call from a reused scratch buffer (or, above `wholeDecryptLimit`, in 1 MiB steps). The
 * payload is returned only after the SHA-256 or GCM tag verified; on failure it is wiped. The open handle pins the file, so a concurrent atomic save
 * (rename) cannot mix two versions.
 */
export async function readAppFilePayload(path: string, appId: string, resolveKey: PrivateKeyResolver, wholeDecryptLimit = WHOLE_DECRYPT_LIMIT): Promise<DecodedApp> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    await readAt(handle, head, 0, appId);
    const header = parseHeader(head, appId, size);
    return header.mode === 'checksummed' ? await readChecksummed(handle, header) : await readEncrypted(handle, header, resolveKey, wholeDecryptLimit);
  } finally {
    await handle.close();
  }
}

async function readChecksummed(handle: FileHandle, header: AppFileHeader): Promise<DecodedApp> {
  const payload = Buffer.allocUnsafe(header.payloadLength);
  const hash = createHash('sha256');
  for (let offset = 0; offset < payload.length; offset += READ_CHUNK) {
    const piece = payload.subarray(offset, Math.min(payload.length, offset + READ_CHUNK));
    await readAt(handle, piece, header.length + offset, header.appId);
    hash.update(piece);
  }
  const stored = Buffer.alloc(CHECKSUM_BYTES);
  await readAt(handle, stored, header.length + header.payloadLength, header.appId);
  if (!hash.digest().equals(stored)) {
    payload.fill(0);
    throw new AppStoreError(AppStoreErrorCode.PayloadChecksum, `app ${header.appId}: payload checksum mismatch`, { appId: header.appId, region: 'payload' });
  }
  return { payload, mode: 'checksummed' };
}

async function readEncrypted(handle: FileHandle, header: AppFileHeader, resolveKey: PrivateKeyResolver, wholeDecryptLimit: number): Promise<DecodedApp> {
  const { appId } = header;
  const slot = header.keySlot as NonNullable<AppFileHeader['keySlot']>;
  const at = bodyOffsets(header);
  const keyAndIv = Buffer.alloc(slot.wrappedKeyLength + IV_BYTES);
  await readAt(handle, keyAndIv, at.wrapped, appId);
  const tag = Buffer.alloc(TAG_BYTES);
  await readAt(handle, tag, at.tag, appId);
  const dataKey = unwrapDataKey(keyAndIv.subarray(0, slot.wrappedKeyLength), appId, slot.thumbprint, resolveKey(slot.thumbprint, appId));
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, keyAndIv.subarray(slot.wrappedKeyLength), { authTagLength: TAG_BYTES });
    decipher.setAAD(header.core);
    decipher.setAuthTag(tag);
    if (header.payloadLength <= wholeDecryptLimit) {
      const scratch = borrowScratch(header.payloadLength);
      try {
        const ciphertext = scratch.subarray(0, header.payloadLength);
        await readAt(handle, ciphertext, at.ciphertext, appId);
        const payload = decipher.update(ciphertext);
        finishDecryption(decipher, payload, appId, slot.thumbprint);
        return { payload, mode: 'encrypted', thumbprint: slot.thumbprint };
      } finally {
        returnScratch(scratch);
      }
    }
    const payload = Buffer.allocUnsafe(header.payloadLength);
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, header.payloadLength));
    try {
      for (let offset = 0; offset < payload.length; offset += READ_CHUNK) {
        const piece = chunk.subarray(0, Math.min(READ_CHUNK, payload.length - offset));
        await readAt(handle, piece, at.ciphertext + offset, appId);
        gcmInto(decipher, piece, payload, offset);
      }
    } catch (error) {
      payload.fill(0);
      throw error;
    }
    finishDecryption(decipher, payload, appId, slot.thumbprint);
    return { payload, mode: 'encrypted', thumbprint: slot.thumbprint };
  } finally {
    dataKey.fill(0);
  }
}
