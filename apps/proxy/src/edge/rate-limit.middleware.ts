import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { EdgeError, EdgeErrorCode } from './edge.error';
import type { TokenBucketLimiter } from './token-bucket-limiter';

/**
 * 429 with Retry-After when the key's bucket is empty. `key` returns null to skip (e.g. the per-user
 * limiter before authentication has run). Use one limiter keyed by IP early in the pipeline and one
 * keyed by user after authentication.
 */
export function rateLimit(limiter: TokenBucketLimiter, key: (req: Request) => string | null): RequestHandler {
  return (req, _res, next) => {
    const k = key(req);
    if (k === null) {
      next();
      return;
    }
    const result = limiter.take(k);
    if (result.allowed) next();
    else next(new EdgeError(EdgeErrorCode.RateLimited, 'too many requests', { retryAfterSeconds: result.retryAfterSeconds }));
  };
}

/** The client address as the socket sees it (no X-Forwarded-For: that is client-controlled text). */
export function clientIpKey(req: Pick<IncomingMessage, 'socket'>): string {
  return `ip:${req.socket.remoteAddress ?? 'unknown'}`;
}
