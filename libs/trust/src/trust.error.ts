/** String codes so transports can map them (HTTP status, gRPC status, CLI exit) without parsing messages. */
export enum TrustErrorCode {
  KeyFileUnsafe = 'KEY_FILE_UNSAFE',
  PemInvalid = 'PEM_INVALID',
  FileMissing = 'FILE_MISSING',
  FileTooLarge = 'FILE_TOO_LARGE',
  KeyMismatch = 'KEY_MISMATCH',
  CrlInvalid = 'CRL_INVALID',
  SiteExists = 'SITE_EXISTS',
  SiteMissing = 'SITE_MISSING',
  SiteInvalid = 'SITE_INVALID',
  SiteLocked = 'SITE_LOCKED',
  InvalidArgument = 'INVALID_ARGUMENT',
  PeerUntrusted = 'PEER_UNTRUSTED',
  PeerExpired = 'PEER_EXPIRED',
  PeerNotYetValid = 'PEER_NOT_YET_VALID',
  PeerRevoked = 'PEER_REVOKED',
  IdentityMissing = 'IDENTITY_MISSING',
  IdentityWrongSite = 'IDENTITY_WRONG_SITE',
  IdentityNotAllowed = 'IDENTITY_NOT_ALLOWED',
  UnknownCert = 'UNKNOWN_CERT',
  NameTaken = 'NAME_TAKEN',
  NotRevocable = 'NOT_REVOCABLE',
  /** A CRL older (lower cRLNumber) than one already loaded: an old CRL put back. */
  CrlRollback = 'CRL_ROLLBACK',
  /** A CA in the bundle that is neither pinned nor endorsed by a trusted CA. */
  AnchorNotEndorsed = 'ANCHOR_NOT_ENDORSED',
  /** Revoking a certificate still presented by a service, without being asked to. */
  CertInUse = 'CERT_IN_USE',
}

/**
 * Every failure of the trust lib. Messages name the file for file problems and never contain key
 * material, so they are safe to print as the CLI's one error line or to log.
 */
export class TrustError extends Error {
  constructor(
    readonly code: TrustErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'TrustError';
  }
}

export function isTrustError(e: unknown): e is TrustError {
  return e instanceof TrustError;
}
