import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { decodeAppFile, encodeAppFile, type PrivateKeyResolver, type WrappingKey } from '../format/app-file-codec';
import { MAGIC } from '../format/app-file-format';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { KeyStore } from '../keys/key-store';
import { withAppLock } from '../store/app-lock';
import { writeFileAtomic } from '../store/atomic-file';

/**
 * Data files a reload writes (QVDs) at rest. With an active site key they get the app-file
 * envelope (app-file-format.ts): a fresh AES-256-GCM data key per file, wrapped with RSA-OAEP under
 * the encryption certificate, the header authenticated as GCM AAD. The envelope's id is the
 * constant below rather than a path, so a QVD stays readable when an operator moves or renames it
 * (as Qlik's encrypted QVDs do); its OAEP label still keeps a QVD's wrapped key from unwrapping as
 * an app's. The GCM key is derived with the site's app authentication key (engine-only), as for
 * app files, so a file forged with the public certificate alone does not open. Without a key a
 * QVD is written as Qlik writes it, so Qlik can read it.
 */
export const DATA_FILE_ID = 'trustzone-qvd';
export const DATA_FILE_MODE = 0o640;

export type DataKeyStore = Pick<KeyStore, 'encryptionStatus' | 'wrappingKey' | 'privateKeyFor' | 'dir'>;

export function isSealedDataFile(head: Uint8Array): boolean {
  return head.length >= MAGIC.length && Buffer.from(head.buffer, head.byteOffset, MAGIC.length).equals(MAGIC);
}

/** Serialises writers of one data file across processes (a STORE and `tz apps rekey`). */
export async function withDataFileLock<T>(lockDir: string, file: string, fn: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const real = await realpath(file).catch(() => file);
  const id = `data-${createHash('sha256').update(real).digest('hex').slice(0, 40)}`;
  return withAppLock(lockDir, id, timeoutMs, fn);
}

/** The key new data files are encrypted with; a vanished key store or active key refuses the write. */
export function dataWriteKey(keyStore: DataKeyStore | undefined): WrappingKey | undefined {
  if (!keyStore) return undefined;
  const status = keyStore.encryptionStatus();
  if (status.enabled) return keyStore.wrappingKey(status.thumbprint);
  if (status.reason === 'no-active-key') return undefined;
  throw new AppStoreError(status.reason === 'key-store-missing' ? AppStoreErrorCode.KeyStoreMissing : AppStoreErrorCode.ActiveKeyMissing,
    'refusing to write an unencrypted data file: the site encrypts at rest, but its active key is not available');
}

export interface WriteDataFileOptions {
  /** Encrypt when the site has an active key (QVDs); false writes the bytes as they are (text). */
  seal: boolean;
  keyStore?: DataKeyStore;
  /** The site's app authentication key; needed to seal. */
  auth?: AppAuthKey;
  /** Where the cross-process write locks live (the engine's apps folder). */
  lockDir: string;
}

export interface DataFileWritten {
  bytes: number;
  thumbprint?: string;
}

/**
 * Replaces `file` atomically (temp file in the same folder, fsync, rename). The payload is
 * encrypted in memory, step by step, before any byte is written, so the temp file holds only
 * ciphertext: no plaintext of a sealed file ever reaches the disk.
 */
export async function writeDataFile(file: string, payload: Uint8Array, o: WriteDataFileOptions): Promise<DataFileWritten> {
  const key = o.seal ? dataWriteKey(o.keyStore) : undefined;
  if (key && !o.auth) throw new AppStoreError(AppStoreErrorCode.KeyInvalid, 'refusing to write an encrypted data file without the app authentication key');
  const parts = key && o.auth ? encodeAppFile(DATA_FILE_ID, payload, o.auth, key) : [payload];
  const bytes = await withDataFileLock(o.lockDir, file, () => writeFileAtomic(file, parts, DATA_FILE_MODE));
  return { bytes, ...(key ? { thumbprint: key.thumbprint } : {}) };
}

const noKeys: PrivateKeyResolver = (thumbprint) => {
  throw new AppStoreError(AppStoreErrorCode.UnknownKey, `the file is encrypted under key ${thumbprint}, but this site has no key store`, { thumbprint });
};

export function dataKeyResolver(keyStore: DataKeyStore | undefined): PrivateKeyResolver {
  return keyStore ? (thumbprint, id) => keyStore.privateKeyFor(thumbprint, id) : noKeys;
}

/** Opens a sealed data file held in memory: the plaintext only after the GCM tag verified. */
export function openSealedData(file: Buffer, keyStore: DataKeyStore | undefined, auth: AppAuthKey): Buffer {
  return decodeAppFile(file, DATA_FILE_ID, dataKeyResolver(keyStore), auth).payload;
}

/**
 * Reads a data file (no symlink as the last component, at most `maxBytes`) and opens it when it is
 * sealed; a plain file is returned as it is.
 */
export async function readDataFile(file: string, keyStore: DataKeyStore | undefined, auth: AppAuthKey, maxBytes: number): Promise<{ bytes: Buffer; sealed: boolean }> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new AppStoreError(AppStoreErrorCode.NotFound, 'not a regular file');
    if (st.size > maxBytes) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `file is larger than the limit (${maxBytes} bytes)`);
    const bytes = await handle.readFile();
    if (!isSealedDataFile(bytes)) return { bytes, sealed: false };
    return { bytes: openSealedData(bytes, keyStore, auth), sealed: true };
  } finally {
    await handle.close();
  }
}
