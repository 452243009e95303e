import { EdgeError } from '../../edge/edge.error';
import { checkCsrfToken } from '../../edge/websocket-upgrade.guard';
import { CONTINUE, refusal, type Step } from '../step';

/**
 * A websocket upgrade riding an ambient credential — the session cookie, or a header an SSO gateway
 * adds to every request the browser sends, cross-site ones included — must also carry its session's
 * CSRF token, which a foreign page cannot know. REST calls carry the xrfkey pair instead.
 */
export const sessionCsrf: Step = {
  name: 'session-csrf',
  run(x) {
    if (x.door.name !== 'upgrade' || x.who?.kind !== 'session') return CONTINUE;
    const check = checkCsrfToken(x.query, x.who.via, x.who.session);
    if (check.ok) return CONTINUE;
    return refusal(new EdgeError(check.code, 'forbidden'), { action: 'websocket.refused', outcome: 'denied', reason: check.reason });
  },
};
