import express, { type NextFunction, type Request, type Response } from 'express';
import { verifyTlsSocketPeer, type TrustStore } from '@trustzone/trust';
import { ErrorCode, ServiceError, type PeerIdentity } from '@trustzone/contracts';
import { authenticateApiUser } from '../edge/api-user-header';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { httpErrorHandler } from '../edge/http-error.middleware';
import { clientIpKey, rateLimit } from '../edge/rate-limit.middleware';
import { securityHeaders } from '../edge/security-headers';
import { checkXrfkey } from '../edge/xrfkey';
import { queryOf } from '../auth/request-facts';
import type { ProxyDeps } from '../client/proxy-deps';
import { qrsHandler } from '../qrs/qrs-handler';
import { qpsApiRoute } from './qps-api-route';

/**
 * The proxy API listener (4243): mutual TLS, and only integration certificates of this site get
 * further than the socket check. Pipeline: peer identity → per-IP limit → xrfkey → /qps (tickets,
 * sessions, users) or /qrs acting as the user named by X-Qlik-User.
 */
export function proxyApiApp(deps: ProxyDeps, store: TrustStore): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use((_req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    res.on('finish', () => deps.observe.request('api', res.statusCode, performance.now() - started));
    next();
  });
  app.use(securityHeaders('api'));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const peer = verifyTlsSocketPeer(req.socket as Parameters<typeof verifyTlsSocketPeer>[0], store, (id) => id.kind === 'integration');
    if (!peer.ok) {
      deps.logger.warn('proxy API call refused', { reason: peer.reason, ip: req.socket.remoteAddress });
      next(new EdgeError(EdgeErrorCode.ClientCertificateRequired, 'an integration client certificate of this site is required'));
      return;
    }
    res.locals['peer'] = peer.identity;
    next();
  });
  app.use(rateLimit(deps.ipLimiter, clientIpKey));
  app.use((req: Request, res: Response, next: NextFunction) => {
    const x = checkXrfkey(queryOf(req.originalUrl), req.headersDistinct);
    if (x.ok) return next();
    // Audited like on the client-facing port: who sent it is known here (the integration certificate).
    const peer = res.locals['peer'] as PeerIdentity;
    deps.audit
      .record({ action: 'csrf.refused', outcome: 'denied', reason: x.reason, details: { port: 'api', method: req.method, by: peer.kind === 'integration' ? `integration:${peer.name}` : peer.service, ip: req.socket.remoteAddress } })
      .then(() => next(new EdgeError(EdgeErrorCode.XrfkeyMismatch, `xrfkey check failed: ${x.reason}`, { field: 'xrfkey' })), next);
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    route(req, res, deps).catch(next);
  });
  app.use(httpErrorHandler((error, status) => {
    if (status >= 500) deps.logger.error('proxy API request failed', { status, error: error instanceof Error ? error.message : String(error) });
  }));
  return app;
}

async function route(req: Request, res: Response, deps: ProxyDeps): Promise<void> {
  const segs = req.path.split('/').filter((s) => s !== '');
  const peer = res.locals['peer'] as PeerIdentity;
  if (segs[0] === 'qps') {
    await qpsApiRoute(req, res, deps, segs.slice(1), peer);
    return;
  }
  if (segs[0] === 'qrs') {
    const auth = authenticateApiUser(req.headersDistinct, peer);
    if (auth.kind === 'rejected') throw new EdgeError(EdgeErrorCode.HeaderCredentialInvalid, 'X-Qlik-User is invalid', { field: 'X-Qlik-User', internalDetail: auth.reason });
    if (auth.kind !== 'authenticated') throw new EdgeError(EdgeErrorCode.Unauthenticated, 'X-Qlik-User is required: name the user to act as', { field: 'X-Qlik-User' });
    const who = auth.user;
    const limit = deps.userLimiter.take(`user:${who.userDirectory}\\${who.userId}`.toLowerCase());
    if (!limit.allowed) throw new EdgeError(EdgeErrorCode.RateLimited, 'too many requests', { retryAfterSeconds: limit.retryAfterSeconds });
    const user = { userDirectory: who.userDirectory, userId: who.userId, context: 'management' as const, attributes: {}, anonymous: false, ip: req.socket.remoteAddress ?? '', secure: true };
    await qrsHandler(deps, req, res, `/${segs.slice(1).join('/')}`, user);
    return;
  }
  throw new ServiceError(ErrorCode.NotFound, 'not found');
}
