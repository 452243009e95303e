/** Why an app package (an export file) was refused; each code has one clear message for the uploader. */
export enum AppPackageErrorCode {
  /** Not a trustzone export at all (the caller decides whether it looks like a Qlik .qvf). */
  NotAPackage = 'APP_PACKAGE_NOT_A_PACKAGE',
  UnsupportedVersion = 'APP_PACKAGE_UNSUPPORTED_VERSION',
  Malformed = 'APP_PACKAGE_MALFORMED',
  TooLarge = 'APP_PACKAGE_TOO_LARGE',
  /** The bytes are not the ones the exporting engine signed: changed after export. */
  SignatureInvalid = 'APP_PACKAGE_SIGNATURE_INVALID',
  /** Signed by a site this site does not trust (decided by the engine, not here). */
  UntrustedSigner = 'APP_PACKAGE_UNTRUSTED_SIGNER',
  /** Encrypted, but for none of this site's keys. */
  NotForThisSite = 'APP_PACKAGE_NOT_FOR_THIS_SITE',
  DecryptFailed = 'APP_PACKAGE_DECRYPT_FAILED',
  ChecksumMismatch = 'APP_PACKAGE_CHECKSUM_MISMATCH',
}

export class AppPackageError extends Error {
  constructor(readonly code: AppPackageErrorCode, message: string) {
    super(message);
    this.name = 'AppPackageError';
  }
}
