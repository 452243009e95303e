import { createDecipheriv } from 'node:crypto';
import type { Cipher, Decipher } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { NativeAesGcm } from './native-gcm';

/**
 * Node's cipher.update allocates its output (twice: length + block, then length). One update over
 * a 40 MB payload means fresh 40 MB buffers whose page faults cost more than the AES-GCM work.
 * Small steps keep each output cache-resident, and freed outputs are reused by the allocator for
 * the next steps instead of faulting in new pages: measured on the benchmark app after a full GC,
 * 64 KiB steps still faulted ~7,500 pages per 36 MB save, 16 KiB steps under 700 (usually < 10),
 * while 4 KiB steps cost more in per-call overhead than they save.
 */
export const GCM_STEP = 16 * 1024;

/** Runs `source` through the cipher in steps, writing the output into `target` at `at`. */
export function gcmInto(cipher: Cipher | Decipher, source: Uint8Array, target: Buffer, at: number): void {
  for (let offset = 0; offset < source.length; offset += GCM_STEP) {
    const out = cipher.update(source.subarray(offset, Math.min(source.length, offset + GCM_STEP)));
    out.copy(target, at + offset);
  }
}

export function authenticationFailed(appId: string, thumbprint: string): AppStoreError {
  return new AppStoreError(AppStoreErrorCode.AuthFailed, `app ${appId}: authentication failed (ciphertext, IV or tag altered)`, { appId, region: 'ciphertext-or-tag', thumbprint });
}

/** Completes a decryption; on a bad tag the partial plaintext is wiped and never returned. */
export function finishDecryption(decipher: Decipher, plaintext: Buffer, appId: string, thumbprint: string): void {
  try {
    decipher.final();
  } catch {
    plaintext.fill(0);
    throw authenticationFailed(appId, thumbprint);
  }
}

/** AES-256-GCM decryption that overwrites each piece of ciphertext with its plaintext. */
export interface InPlaceDecryption {
  /** Pieces must be passed in file order. */
  update(piece: Buffer): void;
  /** True when the tag verified. Call once; the plaintext must not be used when false. */
  verify(): boolean;
  /** Releases the key schedule now (after verify() or when giving up half way). */
  close(): void;
}

/**
 * The native addon when given one (no allocation, no copy: OpenSSL writes over its input), else
 * node:crypto in GCM_STEP steps with each output copied back over its own input.
 */
export function openInPlaceDecryption(key: Buffer, iv: Uint8Array, aad: Uint8Array, tag: Uint8Array, native?: NativeAesGcm): InPlaceDecryption {
  if (native) {
    const context = native.openDecipher(key, iv, aad, tag);
    return {
      update: (piece) => native.update(context, piece),
      verify: () => native.finish(context),
      // Idempotent in the addon, so also safe after verify().
      close: () => native.close(context),
    };
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return {
    update: (piece) => gcmInto(decipher, piece, piece, 0),
    verify: () => {
      try {
        decipher.final();
        return true;
      } catch {
        return false;
      }
    },
    close: () => undefined,
  };
}
