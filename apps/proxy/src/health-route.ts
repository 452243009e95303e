import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './edge/http-send';
import type { Upstreams } from './upstreams';

const HEALTH_DEADLINE_MS = 2_000;

/**
 * GET /health: the site's health as the proxy sees it, measured through the real mTLS gRPC calls.
 * 200 when the repository and at least one engine answer ok (and the shared session store, when
 * Redis is used), 503 naming the failing service. The client-facing port answers anyone, so it says
 * only that much; `detailed` (the mTLS API port, integration certificates only) adds each engine
 * by address — the inside of the trust zone is nobody else's business.
 */
export function healthRoute(up: Upstreams, sessionStore: () => Promise<'ok' | 'memory' | 'unavailable'> = async () => 'memory', options: { detailed?: boolean } = {}) {
  return async (_req: IncomingMessage, res: ServerResponse) => {
    let repository = 'unavailable';
    try {
      const r = await up.repositoryHealth.unary('Check', {}, { deadlineMs: HEALTH_DEADLINE_MS });
      repository = r.status === 'ok' ? 'ok' : r.status;
    } catch {
      repository = 'unavailable';
    }
    await up.engines.probe();
    const engines = up.engines.status();
    const engine = Object.values(engines).some((s) => s === 'ok') ? 'ok' : 'unavailable';
    const store = await sessionStore().catch(() => 'unavailable' as const);
    const ok = repository === 'ok' && engine === 'ok' && store !== 'unavailable';
    const body: Record<string, unknown> = { status: ok ? 'ok' : 'unavailable', services: { repository, engine } };
    if (store !== 'memory') body['sessionStore'] = store;
    if (options.detailed) body['engines'] = engines;
    sendJson(res, ok ? 200 : 503, body, { 'Cache-Control': 'no-store' });
  };
}
