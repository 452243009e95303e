import { EdgeError, EdgeErrorCode } from '../../edge/edge.error';
import type { Identity } from '../exchange';
import { CONTINUE, refusal, type Step } from '../step';

/**
 * The per-user request budget, for everyone the request acts as: a session's user, or the user an
 * integration names in X-Qlik-User. An integration acting as itself (tickets, sessions) is bounded
 * by the per-source budget only.
 */
export const userLimit: Step = {
  name: 'user-limit',
  run(x, deps) {
    const user = actingUser(x.who);
    if (user === null) return CONTINUE;
    const r = deps.userLimiter.take(`user:${user.toLowerCase()}`);
    if (r.allowed) return CONTINUE;
    return refusal(new EdgeError(EdgeErrorCode.RateLimited, 'too many requests', { retryAfterSeconds: r.retryAfterSeconds }), { action: 'request.refused', outcome: 'denied', reason: EdgeErrorCode.RateLimited, user });
  },
};

function actingUser(who: Identity | undefined): string | null {
  if (who?.kind === 'session') return `${who.session.userDirectory}\\${who.session.userId}`;
  if (who?.kind === 'integration' && who.user) return `${who.user.userDirectory}\\${who.user.userId}`;
  return null;
}
