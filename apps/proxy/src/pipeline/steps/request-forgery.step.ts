import { assertNever } from '../../auth/auth-result';
import { EdgeError, EdgeErrorCode } from '../../edge/edge.error';
import { checkWebSocketOrigin } from '../../edge/websocket-upgrade.guard';
import { checkXrfkey } from '../../edge/xrfkey';
import { CONTINUE, refusal, type Step } from '../step';

/**
 * Cross-site request forgery, checked before anything about the caller is looked up: the xrfkey
 * pair on every `/qrs` and `/qps` call (both ports), the Origin allow list on websocket upgrades.
 * A refusal is recorded without a user: whoever's cookie rode along did not send it. (The session's
 * CSRF token, which only the session's owner can know, is checked once the session is known:
 * session-csrf.step.ts.)
 */
export const requestForgery: Step = {
  name: 'request-forgery',
  run(x) {
    const door = x.door.name;
    switch (door) {
      case 'client':
      case 'api': {
        if (x.area !== 'qrs' && x.area !== 'qps') return CONTINUE;
        // GET /[prefix/]qps/csrftoken is what Qlik's own clients call without an xrfkey: it changes
        // nothing, and its answer is a response header no other origin may read (no CORS here).
        if (door === 'client' && x.req.method === 'GET' && x.segs.length === 2 && x.segs[1] === 'csrftoken') return CONTINUE;
        const check = checkXrfkey(x.query, x.req.headersDistinct);
        if (check.ok) return CONTINUE;
        return refusal(new EdgeError(EdgeErrorCode.XrfkeyMismatch, `xrfkey check failed: ${check.reason}`, { field: 'xrfkey' }), { action: 'csrf.refused', outcome: 'denied', reason: check.reason });
      }
      case 'upgrade': {
        const check = checkWebSocketOrigin(x.req.headers.origin, x.vp?.websocketCrossOriginWhiteList ?? []);
        if (check.ok) return CONTINUE;
        return refusal(new EdgeError(check.code, 'forbidden'), { action: 'websocket.refused', outcome: 'denied', reason: check.reason });
      }
      default:
        return assertNever(door);
    }
  },
};
