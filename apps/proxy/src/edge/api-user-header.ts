import { parseUserHeader } from '@trustzone/contracts';
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
