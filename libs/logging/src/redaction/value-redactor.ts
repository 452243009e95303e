export const REDACTED = '[REDACTED]';

/** PEM private keys of any flavour (PKCS#1 RSA, EC, PKCS#8, ENCRYPTED); an unterminated block is redacted to the end. */
const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9\-._~+/]+=*/gi;
const BASIC = /\b(Basic)\s+([A-Za-z0-9+/]{4,}={0,2})/g;
/** Secrets carried in URLs: the Qlik ticket (qlikTicket=), the CSRF key and generic token params. */
const URL_SECRET_PARAM = /([?&;](?:qlikTicket|xrfkey|ticket|token|access_token|id_token|jwt|password|session(?:id)?)=)[^&#\s"'<>]*/gi;
/** A whole-string or embedded `qlikTicket=…` without a leading separator (e.g. a bare query string). */
const BARE_TICKET_PARAM = /\b(qlikTicket=)[^&#\s"'<>]*/gi;
/** Three base64url segments separated by dots: the JWS compact serialisation (RFC 7515 §7.1). */
const JWT_SHAPED = /[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;

/**
 * A dotted string is treated as a JWT when its first segment decodes to a JSON object (every JOSE
 * header does, hence the familiar `eyJ` prefix) or when all three segments are long enough that a
 * host name or version string is implausible. Host names such as `repo.site.local` are kept.
 */
function looksLikeJwt(candidate: string): boolean {
  const [header = '', payload = '', signature = ''] = candidate.split('.');
  if (header.length >= 4) {
    const decoded = Buffer.from(header, 'base64url').toString('latin1').trimStart();
    if (decoded.startsWith('{')) return true;
  }
  return header.length >= 16 && payload.length >= 16 && signature.length >= 16;
}

/** RFC 7617 credentials are base64 of `user-id:password`; prose such as "Basic setup" does not decode to that. */
function isBasicCredential(token: string): boolean {
  return Buffer.from(token, 'base64').toString('latin1').includes(':');
}

/** Removes secrets recognisable by their shape from free text (messages, URLs, error stacks). */
export function redactString(text: string): string {
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(BASIC, (match, scheme: string, token: string) => (isBasicCredential(token) ? `${scheme} ${REDACTED}` : match))
    .replace(URL_SECRET_PARAM, `$1${REDACTED}`)
    .replace(BARE_TICKET_PARAM, `$1${REDACTED}`)
    .replace(JWT_SHAPED, (match) => (looksLikeJwt(match) ? REDACTED : match));
}
