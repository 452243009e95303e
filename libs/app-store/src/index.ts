export * from './app-store.error';
export { assertAppId, appFileName, APP_FILE_SUFFIX } from './app-id';
export {
  encodeAppFile, decodeAppFile, rewrapAppFile, authenticateLegacyFile,
  type WrappingKey, type PrivateKeyResolver, type DecodedApp, type DecodeOptions,
} from './format/app-file-codec';
export { selectAesGcm, nativeGcmBuildStatus, type AesGcmPreference, type AesGcmBackend } from './format/native-gcm';
export { parseHeader, MAX_PAYLOAD_BYTES, FORMAT_VERSION, LEGACY_FORMAT_VERSION, type AppFileMode, type AppFileHeader } from './format/app-file-format';
export { AppAuthKey, APP_AUTH_KEY_FILE, appAuthKeyPath, createAppAuthKey, loadAppAuthKey } from './keys/app-auth-key';
export { authenticateApps, type AuthenticateOutcome, type AuthenticateProgress, type AuthenticateResult } from './store/authenticate-apps';
export { KeyStore, openKeyStore, type KeyStoreOptions, type EncryptionStatus, type KeyStoreEvents } from './keys/key-store';
export { MIN_RSA_BITS, type KeyInfo } from './keys/key-material';
export { createAppStore, isUntrustworthyFile, readAppHeader, type AppStore, type AppStoreOptions, type SaveResult, type AppFileInfo } from './store/app-store';
export { rekeyApps, type RekeyOptions, type RekeyProgress, type RekeyResult, type RekeyOutcome } from './store/rekey-apps';
export { appKeyUsage, type KeyUsage } from './store/key-usage';
export {
  DATA_FILE_ID, isSealedDataFile, writeDataFile, readDataFile, openSealedData, dataWriteKey, withDataFileLock,
  type DataKeyStore, type WriteDataFileOptions, type DataFileWritten,
} from './data-files/sealed-data-file';
export { rekeyDataFiles, type DataFileRekeyOptions, type DataFileRekeyResult } from './data-files/rekey-data-files';
export { encodeAppPackage, parseAppPackage, openAppPackage, isAppPackage, PACKAGE_MAGIC, PACKAGE_VERSION, type AppManifest, type PackageSource, type PackageHeader, type ParsedPackage, type EncodeOptions } from './exchange/app-package';
export { AppPackageError, AppPackageErrorCode } from './exchange/app-package.error';
export { encodeAppDocument, decodeAppDocument, isAppDocument, assertScriptSize, MAX_SCRIPT_BYTES, DOCUMENT_MAGIC, type AppDocument } from './document/app-document';
