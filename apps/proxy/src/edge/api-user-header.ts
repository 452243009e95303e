import { parseUserHeader } from '@trustzone/contracts';
import type { PeerIdentity } from '@trustzone/contracts';
import { NONE, reject } from '../auth/auth-result';
import type { AuthResult } from '../auth/auth-result';
import { EdgeErrorCode } from './edge.error';
import { singleHeader } from '../auth/request-facts';
import type { RequestFacts } from '../auth/request-facts';
import { identityProblem } from '../auth/identity-rules';

/**
 * `X-Qlik-User: UserDirectory=CORP; UserId=alice` on the proxy API port: an integration certificate
 * holder names whom to act as. Only meaningful after the mTLS listener has verified the client
 * certificate; on the client-facing port the header must be ignored (it is attacker text there).
 */
export type ApiUserHeader = { kind: 'absent' } | { kind: 'user'; userDirectory: string; userId: string } | { kind: 'invalid'; reason: string };

const MAX_LENGTH = 600;

export function readApiUserHeader(headers: RequestFacts['headers']): ApiUserHeader {
  const h = singleHeader({ headers, query: new URLSearchParams() }, 'x-qlik-user');
  if (h.kind === 'absent') return { kind: 'absent' };
  if (h.kind === 'many') return { kind: 'invalid', reason: 'X-Qlik-User sent more than once' };
  if (h.value.length > MAX_LENGTH) return { kind: 'invalid', reason: 'X-Qlik-User too long' };
  const user = parseUserHeader(h.value);
  if (!user) return { kind: 'invalid', reason: 'X-Qlik-User is not "UserDirectory=…; UserId=…"' };
  const problem = identityProblem(user.userDirectory) ?? identityProblem(user.userId);
  if (problem) return { kind: 'invalid', reason: `X-Qlik-User ${problem}` };
  return { kind: 'user', ...user };
}

/**
 * The caller of the proxy API port: the mTLS listener has resolved the client certificate to an
 * identity (null when absent or not trusted); only an integration certificate may name a user. Without
 * X-Qlik-User the result is `none` and the caller decides what an integration acting as itself may do.
 */
export function authenticateApiUser(headers: RequestFacts['headers'], peer: PeerIdentity | null): AuthResult {
  if (peer === null || peer.kind !== 'integration') return reject(EdgeErrorCode.ClientCertificateRequired, 'an integration client certificate is required');
  const user = readApiUserHeader(headers);
  if (user.kind === 'absent') return NONE;
  if (user.kind === 'invalid') return reject(EdgeErrorCode.HeaderCredentialInvalid, user.reason);
  return { kind: 'authenticated', user: { userDirectory: user.userDirectory, userId: user.userId, attributes: {}, anonymous: false }, via: 'header' };
}
