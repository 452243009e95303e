import type { VirtualProxyConfig } from './virtual-proxy-config.schema';

export interface VirtualProxySelection {
  config: VirtualProxyConfig;
  /** The path after the prefix segment, always starting with `/` (query string excluded). */
  rest: string;
}

/**
 * Picks the virtual proxy for a request path: the config whose prefix equals the first path segment,
 * else the default (empty prefix) with the whole path. Matching is exact on the raw segment — no
 * percent-decoding or case folding — so `/%68dr/` or `/HDR/` can never reach the `hdr` proxy's
 * authentication by a different spelling. Null when nothing matches and there is no default.
 */
export function selectVirtualProxy(configs: readonly VirtualProxyConfig[], path: string): VirtualProxySelection | null {
  const pathname = path.split(/[?#]/, 1)[0] ?? '';
  if (!pathname.startsWith('/')) return null;
  const slash = pathname.indexOf('/', 1);
  const first = slash < 0 ? pathname.slice(1) : pathname.slice(1, slash);
  if (first !== '') {
    const match = configs.find((c) => c.prefix === first);
    if (match) return { config: match, rest: slash < 0 ? '/' : pathname.slice(slash) };
  }
  const fallback = configs.find((c) => c.prefix === '');
  return fallback ? { config: fallback, rest: pathname } : null;
}
