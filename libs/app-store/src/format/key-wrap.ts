import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AppStoreError, AppStoreErrorCode } from '../app-store.error';
import { DATA_KEY_BYTES } from './app-file-format';

/** The public half used to wrap new data keys, named by its certificate's SHA-256 thumbprint. */
export interface WrappingKey {
  thumbprint: string;
  publicKey: KeyObject;
}

// The OAEP label binds a wrapped key to its app: a key slot pasted from another app's file does not unwrap.
const oaepLabel = (appId: string): Buffer => Buffer.from(`trustzone-app:${appId}`, 'utf8');

/** RSA-OAEP with SHA-256 (RFC 8017 §7.1) under the encryption certificate's public key. */
export function wrapDataKey(dataKey: Buffer, appId: string, key: WrappingKey): Buffer {
  return publicEncrypt({ key: key.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: oaepLabel(appId) }, dataKey);
}

export function unwrapDataKey(wrapped: Buffer, appId: string, thumbprint: string, privateKey: KeyObject): Buffer {
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
