import { createHash, randomBytes } from 'node:crypto';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';

/**
 * Session ids and CSRF tokens: 256 random bits, url-safe. Ids are bearer credentials, so they never go
 * to a log; `sessionLogId` is what logs carry to correlate lines about one session.
 */
const ID_BYTES = 32;
// Own ids are 43 chars; registered ids (POST /qps/session) may be GUIDs (36) or longer tokens.
const ID_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

export function newSessionId(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

export function newCsrfToken(): string {
  return randomBytes(ID_BYTES).toString('base64url');
}

export function isSessionIdShaped(id: string): boolean {
  return ID_PATTERN.test(id);
}

/**
 * A short, stable, non-reversible handle for a session id (the first 64 bits of SHA-256). The id has at
 * least 128 bits of entropy, so the hash cannot be inverted by guessing; the same id gives the same
 * handle on every proxy, so logs from two proxies line up.
 */
export function sessionLogId(id: string): string {
  return `s-${createHash('sha256').update(id).digest('hex').slice(0, 16)}`;
}

export function invalidSessionIdError(): EdgeError {
  return new EdgeError(EdgeErrorCode.InvalidRequest, 'body.SessionId: must be 32-128 characters of [A-Za-z0-9_-]', { field: 'body.SessionId' });
}
