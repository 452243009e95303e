/**
 * Error codes of the proxy's edge (authentication, sessions, tickets, request bounds). Each code maps
 * to exactly one HTTP status in http-error.mapper.ts. `message` is what a client may see; anything
 * internal (why a JWT failed, which Redis call broke) goes in `internalDetail`, which is for logs only.
 */
export enum EdgeErrorCode {
  InvalidConfig = 'EDGE_INVALID_CONFIG',
  InvalidRequest = 'EDGE_INVALID_REQUEST',
  XrfkeyMismatch = 'EDGE_XRFKEY_MISMATCH',
  ClientCertificateRequired = 'EDGE_CLIENT_CERTIFICATE_REQUIRED',
  Unauthenticated = 'EDGE_UNAUTHENTICATED',
  TicketInvalid = 'EDGE_TICKET_INVALID',
  HeaderCredentialInvalid = 'EDGE_HEADER_CREDENTIAL_INVALID',
  HeaderSourceUntrusted = 'EDGE_HEADER_SOURCE_UNTRUSTED',
  JwtInvalid = 'EDGE_JWT_INVALID',
  OriginNotAllowed = 'EDGE_ORIGIN_NOT_ALLOWED',
  CsrfTokenMismatch = 'EDGE_CSRF_TOKEN_MISMATCH',
  SessionLimitReached = 'EDGE_SESSION_LIMIT_REACHED',
  PayloadTooLarge = 'EDGE_PAYLOAD_TOO_LARGE',
  JsonTooDeep = 'EDGE_JSON_TOO_DEEP',
  RateLimited = 'EDGE_RATE_LIMITED',
  TicketCapacity = 'EDGE_TICKET_CAPACITY',
  AnonymousCapacity = 'EDGE_ANONYMOUS_CAPACITY',
  StoreUnavailable = 'EDGE_STORE_UNAVAILABLE',
  /** A login naming a directory no login may use (INTERNAL: the service accounts'). */
  ReservedIdentity = 'EDGE_RESERVED_IDENTITY',
  /** An identity provider login (OIDC) did not complete: bad state, code, token or claims. */
  IdpLoginFailed = 'EDGE_IDP_LOGIN_FAILED',
  /** What the identity provider's settings need from the network (SAML metadata by URL) cannot be had: logins are refused. */
  IdpUnavailable = 'EDGE_IDP_UNAVAILABLE',
}

export interface EdgeErrorOptions {
  /** The input field the error is about (e.g. `body.UserId`, `headerAuthenticationHeaderName`). */
  field?: string;
  /** Seconds a client should wait (429 / 503). */
  retryAfterSeconds?: number;
  /** For logs only; never sent to a client. */
  internalDetail?: string;
  cause?: unknown;
}

export class EdgeError extends Error {
  readonly field: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly internalDetail: string | undefined;

  constructor(
    readonly code: EdgeErrorCode,
    message: string,
    options: EdgeErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'EdgeError';
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.internalDetail = options.internalDetail;
  }
}

export function isEdgeError(e: unknown): e is EdgeError {
  return e instanceof EdgeError;
}
