import type { IncomingMessage } from 'node:http';
import { canonicalHostEntry } from '../virtual-proxy/host-entry';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';
import type { LoginTargetStore } from './login-target-store';

/**
 * Qlik's authentication-module redirect (Proxy Service API, "Authentication API" steps 2-3): a
 * browser that reaches a virtual proxy with an external login portal and no session is sent there
 * with two query parameters, `proxyRestUri` (where the portal asks for a ticket: this proxy's API
 * port and the virtual proxy's `/qps/<prefix>/`) and `targetId` (where the browser was going). The
 * portal's ticket request names the targetId and gets back TargetUri, the way home.
 *
 * Same origin only: the target is this proxy's own origin — the Host the browser used, and only if
 * that host is in the virtual proxy's host allow list — plus the path and query it asked for. A
 * Host the operator did not list, or a path that would resolve to another origin, gets no redirect
 * (the caller falls back to its login-needed answer), so a target can never point off-site.
 */
export interface RedirectFacts {
  req: Pick<IncomingMessage, 'method' | 'headers'>;
  /** The request path and query as received (before any virtual proxy was stripped). */
  path: string;
  query: URLSearchParams;
}

/**
 * Longest address remembered. Targets are made by unauthenticated requests, so their size times the
 * store's bound is what a flood can hold in memory (2 KiB × 10,000 = 20 MiB); a longer deep link
 * falls back to the virtual proxy's hub.
 */
export const MAX_TARGET_CHARS = 2048;

export function authModuleRedirect(f: RedirectFacts, vp: VirtualProxyConfig, targets: LoginTargetStore, apiPort: number): string | null {
  const portal = vp.authenticationModuleRedirectUri;
  if (portal === undefined || f.req.method !== 'GET') return null;
  const origin = sameOriginBase(f.req.headers.host, vp);
  if (origin === null) return null;
  let target = targetUri(origin, f.path, f.query);
  if (target === null) return null;
  if (target.length > MAX_TARGET_CHARS) target = `${origin}${vp.prefix === '' ? '' : `/${vp.prefix}`}/hub/`;
  const id = targets.add(vp.prefix, target);
  const rest = new URL(origin);
  rest.port = String(apiPort);
  rest.pathname = vp.prefix === '' ? '/qps/' : `/qps/${vp.prefix}/`;
  const to = new URL(portal);
  to.searchParams.set('proxyRestUri', rest.href);
  to.searchParams.set('targetId', id);
  return to.href;
}

/** `https://<host>` for a Host header that is in the virtual proxy's host allow list, else null. */
function sameOriginBase(host: string | undefined, vp: VirtualProxyConfig): string | null {
  if (host === undefined || host.length > 300) return null;
  const canonical = canonicalHostEntry(host);
  if (canonical === null || !vp.websocketCrossOriginWhiteList.includes(canonical)) return null;
  return new URL(`https://${host}`).origin;
}

/** The address to come back to: same origin, the ticket parameter left out; null if it would leave the origin. */
function targetUri(origin: string, path: string, query: URLSearchParams): string | null {
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return null;
  const q = new URLSearchParams(query);
  for (const k of [...q.keys()]) if (k.toLowerCase() === 'qlikticket') q.delete(k);
  const text = `${origin}${path}${q.size > 0 ? `?${q.toString()}` : ''}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.origin === origin ? url.href : null;
}
