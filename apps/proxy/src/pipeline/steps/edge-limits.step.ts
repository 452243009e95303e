import { EdgeError, EdgeErrorCode } from '../../edge/edge.error';
import { clientSource } from '../../edge/client-source';
import { CONTINUE, refusal, type Step } from '../step';

/**
 * The per-source request budget, the same bucket for requests on both ports and for websocket
 * upgrades: an upgrade costs the proxy a TLS handshake, a session lookup and a repository call,
 * so it is not free either. (Head and body sizes and times are bounded by the listeners and by
 * the body reader.)
 */
export const edgeLimits: Step = {
  name: 'edge-limits',
  run(x, deps) {
    const r = deps.ipLimiter.take(`ip:${clientSource(x.ip)}`);
    if (r.allowed) return CONTINUE;
    return refusal(new EdgeError(EdgeErrorCode.RateLimited, 'too many requests', { retryAfterSeconds: r.retryAfterSeconds }), { action: 'request.refused', outcome: 'denied', reason: EdgeErrorCode.RateLimited });
  },
};
