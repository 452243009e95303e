import type { Request, Response } from 'express';
import type { Upstreams } from './upstreams';

const HEALTH_DEADLINE_MS = 2_000;

/**
 * GET /health (no login): the site's health as the proxy sees it, measured through the real mTLS
 * gRPC calls. 200 when every service answers ok, 503 naming the failing one otherwise.
 */
export function healthRoute(up: Upstreams) {
  return async (_req: Request, res: Response) => {
    const probe = async (c: Upstreams['repositoryHealth']) => {
      try {
        const r = await c.unary('Check', {}, { deadlineMs: HEALTH_DEADLINE_MS });
        return r.status === 'ok' ? 'ok' : r.status;
      } catch {
        return 'unavailable';
      }
    };
    const [repository, engine] = await Promise.all([probe(up.repositoryHealth), probe(up.engineHealth)]);
    const ok = repository === 'ok' && engine === 'ok';
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', services: { repository, engine } });
  };
}
