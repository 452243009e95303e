import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, ServiceError } from '@trustzone/contracts';
import { securityHeaderValues } from '../edge/security-headers';
import type { ProxyDeps } from '../client/proxy-deps';
import { healthRoute } from '../health-route';
import { newExchange, type Door, type Exchange } from '../pipeline/exchange';
import { refuseHttp } from '../pipeline/http-door';
import { runPipeline } from '../pipeline/request-pipeline';
import { qrsHandler } from '../qrs/qrs-handler';
import { qpsApiRoute } from './qps-api-route';

/**
 * The proxy API listener (4243): mutual TLS, and only integration certificates of this site get
 * past the pipeline's identify step. Routes: `/qps/[prefix/]…` (tickets, sessions, users, acting as
 * the integration), `/qrs/…` acting as the user named by X-Qlik-User, and `GET /health` with the
 * per-engine detail the anonymous client-facing `/health` leaves out.
 */
export function proxyApiApp(deps: ProxyDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const headers = Object.entries(securityHeaderValues('api', { secure: true }));
  const health = healthRoute(deps.upstreams, deps.sessionStoreHealth, { detailed: true });
  const door: Door<ServerResponse> = {
    name: 'api',
    route: (x) => route(x, deps, health),
    refuse: (x, error) => refuseHttp(x, error, deps),
  };
  return (req, res) => {
    const started = performance.now();
    res.on('finish', () => deps.observe.request('api', res.statusCode, performance.now() - started));
    for (const [k, v] of headers) res.setHeader(k, v);
    void runPipeline(newExchange(door, req, res), deps);
  };
}

async function route(x: Exchange<ServerResponse>, deps: ProxyDeps, health: ReturnType<typeof healthRoute>): Promise<void> {
  const who = x.who;
  if (who?.kind !== 'integration') throw new Error('the API port serves integrations only');
  switch (x.area) {
    case 'health':
      return health(x.req, x.transport);
    case 'qps':
      return qpsApiRoute(x, deps, who.name);
    case 'qrs': {
      if (!who.user) throw new Error('the pipeline let /qrs through without a user (X-Qlik-User or sa_api)');
      const user = { ...who.user, context: 'management' as const, attributes: {}, anonymous: false, ip: x.ip, secure: true };
      return qrsHandler(deps, x.req, x.transport, `/${x.segs.join('/')}`, user);
    }
    default:
      throw new ServiceError(ErrorCode.NotFound, 'not found');
  }
}
