import { chmod, mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_FILE_SUFFIX, appFileName, appIdFromFileName, assertAppId } from '../app-id';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import type { DecodedApp, PrivateKeyResolver, WrappingKey } from '../format/app-file-codec';
import { encodeAppFileParts } from '../format/app-file-codec';
import { readAppFilePayload } from '../format/app-file-reader';
import type { AppFileMode } from '../format/app-file-format';
import type { AesGcmBackend, AesGcmPreference } from '../format/native-gcm';
import { selectAesGcm } from '../format/native-gcm';
import { MAX_HEADER_BYTES, MAX_PAYLOAD_BYTES, parseHeader } from '../format/app-file-format';
import type { AppAuthKey } from '../keys/app-auth-key';
import type { EncryptionStatus, KeyStore } from '../keys/key-store';
import { withAppLock } from './app-lock';
import { writeFileAtomic } from './atomic-file';
import { removeOrphanTemps } from './orphan-temps';

export const APPS_DIR_MODE = 0o700;
export const APP_FILE_MODE = 0o600;

export interface AppStoreOptions {
  /** One file per app, `<appId>.tzapp` (created 0700). */
  appsDir: string;
  /** Without a key store (or without an active key) apps are written checksummed-only. */
  keyStore?: KeyStore;
  /** How long a save waits for another writer of the same app (default 10 s). */
  lockTimeoutMs?: number;
  /** AES-GCM implementation for saves and loads (default `auto`: the native addon when usable). */
  aesGcm?: AesGcmPreference;
  /** The site's app authentication key: every file is written under it, and no other is read. */
  authKey: AppAuthKey;
}

export interface SaveResult {
  mode: AppFileMode;
  thumbprint?: string;
  bytes: number;
}

export interface AppFileInfo {
  appId: string;
  /** Format version: 1 marks a file `tz apps authenticate` has yet to migrate. */
  version: number;
  mode: AppFileMode;
  thumbprint?: string;
  payloadBytes: number;
  fileBytes: number;
}

export interface UpdateOptions {
  /**
   * A current file that fails its integrity checks (changed, forged, truncated, format 1) is passed
   * as null instead of refusing the write: nothing in it can be trusted or opened, and a reload or
   * a new script must still be able to replace it, as a plain save always could. A file whose key
   * is missing is never replaced (the data is sound, only unreadable here): that still throws.
   */
  replaceUnreadable?: boolean;
}

/** Failures that mean "this file is not one an engine of this site wrote intact". */
const UNTRUSTWORTHY = new Set<AppStoreErrorCode>([
  AppStoreErrorCode.BadMagic, AppStoreErrorCode.UnsupportedVersion, AppStoreErrorCode.Truncated, AppStoreErrorCode.TrailingData,
  AppStoreErrorCode.HeaderInvalid, AppStoreErrorCode.HeaderChecksum, AppStoreErrorCode.AppIdMismatch, AppStoreErrorCode.AuthFailed,
  AppStoreErrorCode.PayloadChecksum, AppStoreErrorCode.LegacyFormat,
]);

/** True for an error that says the file is changed, forged or damaged (not merely undecryptable here). */
export function isUntrustworthyFile(error: unknown): boolean {
  return error instanceof AppStoreError && UNTRUSTWORTHY.has(error.code);
}

export interface AppStore {
  readonly appsDir: string;
  /** Which AES-GCM encrypts saves and decrypts loads, and why not the native one (logged at engine start). */
  readonly aesGcm: Omit<AesGcmBackend, 'addon'>;
  /** Whether new files are encrypted; the engine warns at start when they are not. */
  encryptionStatus(): EncryptionStatus;
  save(appId: string, payload: Uint8Array): Promise<SaveResult>;
  /**
   * Read-modify-write under the app's lock: `change` gets the current payload (null when the app has
   * no file) and returns the new one. Two writers of different parts of one app (a reload's data, a
   * script edit) then never lose each other's change.
   */
  update(appId: string, change: (current: Buffer | null) => Uint8Array | Promise<Uint8Array>, options?: UpdateOptions): Promise<SaveResult>;
  /** The payload after every check passed; never partial data. Errors name the app and the region. */
  load(appId: string): Promise<DecodedApp>;
  /** Header facts without decrypting (thumbprint for `tz keys list`, mode for warnings). */
  inspect(appId: string): Promise<AppFileInfo>;
  list(): Promise<string[]>;
  remove(appId: string): Promise<void>;
}

const noKeyStore: PrivateKeyResolver = (thumbprint, appId) => {
  throw new AppStoreError(AppStoreErrorCode.UnknownKey, `app ${appId}: encrypted under key ${thumbprint}, but no key store is configured`, { appId, region: 'key-slot', thumbprint });
};

function notFound(error: unknown, appsDir: string, appId: string): unknown {
  return (error as NodeJS.ErrnoException).code === 'ENOENT'
    ? new AppStoreError(AppStoreErrorCode.NotFound, `app ${appId} has no file in ${appsDir}`, { appId, file: join(appsDir, appFileName(appId)) })
    : error;
}

export async function readAppFile(appsDir: string, appId: string): Promise<Buffer> {
  assertAppId(appId);
  const file = join(appsDir, appFileName(appId));
  try {
    const size = (await stat(file)).size;
    if (size > MAX_PAYLOAD_BYTES + 4096) throw new AppStoreError(AppStoreErrorCode.PayloadTooLarge, `app ${appId}: file too large`, { appId, file });
    return await readFile(file);
  } catch (error) {
    throw notFound(error, appsDir, appId);
  }
}

/** Reads only the header of an app file (cheap, for listings and key usage). */
export async function readAppHeader(appsDir: string, appId: string): Promise<AppFileInfo> {
  assertAppId(appId);
  let handle;
  try {
    handle = await open(join(appsDir, appFileName(appId)), 'r');
  } catch (error) {
    throw notFound(error, appsDir, appId);
  }
  try {
    const size = (await handle.stat()).size;
    const buffer = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
    await handle.read(buffer, 0, buffer.length, 0);
    const header = parseHeader(buffer, appId, size);
    return { appId, version: header.version, mode: header.mode, ...(header.keySlot ? { thumbprint: header.keySlot.thumbprint } : {}), payloadBytes: header.payloadLength, fileBytes: size };
  } finally {
    await handle.close();
  }
}

/** Decides how a new file is written; a vanished key store or a dangling active key refuses the write. */
function writeKey(keyStore: KeyStore | undefined): WrappingKey | undefined {
  if (!keyStore) return undefined;
  const status = keyStore.encryptionStatus();
  if (status.enabled) return keyStore.wrappingKey(status.thumbprint);
  if (status.reason === 'no-active-key') return undefined;
  const code = status.reason === 'key-store-missing' ? AppStoreErrorCode.KeyStoreMissing : AppStoreErrorCode.ActiveKeyMissing;
  throw new AppStoreError(code, `refusing to write an unencrypted app: ${status.reason === 'key-store-missing' ? `the key store ${keyStore.dir} is gone` : 'the active key is not in the key store'}`);
}

export async function createAppStore(options: AppStoreOptions): Promise<AppStore> {
  const { appsDir, keyStore, authKey } = options;
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  const gcm = selectAesGcm(options.aesGcm);
  const exists = await stat(appsDir).then((s) => s.isDirectory(), () => false);
  if (!exists) {
    await mkdir(appsDir, { recursive: true, mode: APPS_DIR_MODE });
    await chmod(appsDir, APPS_DIR_MODE);
  }
  // A save cut off by a crash leaves its temp file; the previous version is intact, the temp is junk.
  await removeOrphanTemps(appsDir);
  const resolver: PrivateKeyResolver = keyStore ? (t, id) => keyStore.privateKeyFor(t, id) : noKeyStore;
  return {
    appsDir,
    aesGcm: { name: gcm.name, ...(gcm.reason ? { reason: gcm.reason } : {}) },
    encryptionStatus: () => keyStore?.encryptionStatus() ?? { enabled: false, reason: 'no-active-key' },
    async save(appId, payload) {
      assertAppId(appId);
      const key = writeKey(keyStore);
      const bytes = await withAppLock(appsDir, appId, lockTimeoutMs, () => writeFileAtomic(join(appsDir, appFileName(appId)), encodeAppFileParts(appId, payload, authKey, key, gcm.addon), APP_FILE_MODE));
      return { mode: key ? 'encrypted' : 'checksummed', ...(key ? { thumbprint: key.thumbprint } : {}), bytes };
    },
    async update(appId, change, updateOptions = {}) {
      assertAppId(appId);
      const file = join(appsDir, appFileName(appId));
      return withAppLock(appsDir, appId, lockTimeoutMs, async () => {
        let current: Buffer | null = null;
        try {
          current = (await readAppFilePayload(file, appId, resolver, authKey, { nativeGcm: gcm.addon })).payload;
        } catch (error) {
          const replaceable = updateOptions.replaceUnreadable === true && isUntrustworthyFile(error);
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT' && !replaceable) {
            if (error instanceof AppStoreError) Object.assign(error.details, { file });
            throw error;
          }
        }
        const next = await change(current);
        const key = writeKey(keyStore);
        const bytes = await writeFileAtomic(file, encodeAppFileParts(appId, next, authKey, key, gcm.addon), APP_FILE_MODE);
        return { mode: key ? 'encrypted' : 'checksummed', ...(key ? { thumbprint: key.thumbprint } : {}), bytes } satisfies SaveResult;
      });
    },
    async load(appId) {
      assertAppId(appId);
      const file = join(appsDir, appFileName(appId));
      try {
        return await readAppFilePayload(file, appId, resolver, authKey, { nativeGcm: gcm.addon });
      } catch (error) {
        if (error instanceof AppStoreError) Object.assign(error.details, { file });
        throw notFound(error, appsDir, appId);
      }
    },
    inspect: (appId) => readAppHeader(appsDir, appId),
    async list() {
      return (await readdir(appsDir)).map(appIdFromFileName).filter((id): id is string => id !== undefined).sort();
    },
    async remove(appId) {
      assertAppId(appId);
      await withAppLock(appsDir, appId, lockTimeoutMs, () => rm(join(appsDir, `${appId}${APP_FILE_SUFFIX}`), { force: true }));
    },
  };
}
