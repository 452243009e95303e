import { ErrorCode, ServiceError } from '@trustzone/contracts';
import type { ProxyDeps } from '../../client/proxy-deps';
import type { VirtualProxyConfig } from '../../virtual-proxy/virtual-proxy-config.schema';
import { selectVirtualProxy } from '../../virtual-proxy/virtual-proxy-selector';
import { assertNever } from '../../auth/auth-result';
import { IDP_FIRST_SEGMENTS } from '../../idp/idp-route';
import { EdgeError, EdgeErrorCode } from '../../edge/edge.error';
import { parseQixUrl } from '../../ws/qix-url';
import type { Exchange } from '../exchange';
import { CONTINUE, refusal, type Step, type StepResult } from '../step';

/**
 * Which virtual proxy and which of the proxy's routes a request is for. On the client port and for
 * upgrades the first path segment names the virtual proxy (else the default one serves the whole
 * path); on the API port `/qps/[prefix/]…` names it and `/qrs` has none (the integration names the
 * user). Anything else is refused here, before any credential is read.
 */
const QPS_OPS = new Set(['ticket', 'session', 'user']);

const notFound = (): StepResult => refusal(new ServiceError(ErrorCode.NotFound, 'not found'), { action: 'request.refused', outcome: 'denied', reason: ErrorCode.NotFound });
const segments = (path: string) => path.split('/').filter((s) => s !== '');

export const virtualProxy: Step = {
  name: 'virtual-proxy',
  run(x, deps) {
    const door = x.door.name;
    switch (door) {
      case 'client':
        return clientRoute(x, deps);
      case 'upgrade':
        return upgradeRoute(x, deps);
      case 'api':
        return apiRoute(x, deps);
      default:
        return assertNever(door);
    }
  },
};

function select(x: Exchange, deps: ProxyDeps): boolean {
  const sel = selectVirtualProxy(deps.registry.all(), x.path);
  if (!sel) return false;
  x.vp = sel.config;
  x.segs = segments(sel.rest);
  return true;
}

function clientRoute(x: Exchange, deps: ProxyDeps): StepResult {
  if (x.path === '/health' && x.req.method === 'GET') {
    x.area = 'health';
    return CONTINUE;
  }
  if (!select(x, deps)) return notFound();
  // `/QRS` as well as `/qrs`: Qlik's REST paths are case-insensitive and clients send either.
  const first = x.segs[0]?.toLowerCase() === 'qrs' ? 'qrs' : x.segs[0];
  if (first !== undefined && IDP_FIRST_SEGMENTS.has(first)) {
    x.area = 'idp'; // the identity provider's routes (idp/idp-route.ts)
    return CONTINUE;
  }
  if (first !== 'qrs' && first !== 'qps' && first !== 'hub' && first !== 'qmc') return notFound();
  x.area = first;
  return CONTINUE;
}

function upgradeRoute(x: Exchange, deps: ProxyDeps): StepResult {
  if (!select(x, deps) || x.segs[0] !== 'app') return notFound();
  // One of the QIX URL forms (ws/qix-url.ts), or a 400 that says which part is wrong.
  const form = parseQixUrl(x.segs, x.query);
  if (!form.ok) return refusal(new EdgeError(EdgeErrorCode.InvalidRequest, form.message, { field: form.field }), { action: 'websocket.refused', outcome: 'denied', reason: 'not a QIX URL form' });
  x.area = 'app';
  return CONTINUE;
}

function apiRoute(x: Exchange, deps: ProxyDeps): StepResult {
  const [first, ...rest] = segments(x.path);
  if (x.path === '/health' && x.req.method === 'GET') {
    x.area = 'health';
    return CONTINUE;
  }
  if (first?.toLowerCase() === 'qrs') {
    x.area = 'qrs';
    x.segs = rest;
    return CONTINUE;
  }
  if (first !== 'qps') return notFound();
  const picked = qpsVirtualProxy(deps.registry.all(), rest);
  if (!picked) return notFound();
  x.area = 'qps';
  x.vp = picked.vp;
  x.segs = picked.rest;
  return CONTINUE;
}

/** `/qps/[prefix/]ticket|session|user…`: a first segment that is an operation is one, unless it is also a prefix followed by an operation. */
function qpsVirtualProxy(all: readonly VirtualProxyConfig[], segs: string[]): { vp: VirtualProxyConfig; rest: string[] } | null {
  const first = segs[0] ?? '';
  const named = !QPS_OPS.has(first) || (segs.length > 1 && QPS_OPS.has(segs[1] ?? '') && all.some((c) => c.prefix === first && first !== ''));
  const prefix = named ? first : '';
  const vp = all.find((c) => c.prefix === prefix);
  return vp ? { vp, rest: named ? segs.slice(1) : segs } : null;
}
