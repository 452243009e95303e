/**
 * Host allow-list entries (`websocketCrossOriginWhiteList`) and browser `Origin` values reduce to one
 * canonical `host:port` form so the origin check is an exact string comparison. Only https origins
 * exist in this form: the proxy's client-facing listener is TLS-only, so an http origin is never ours.
 */
const DEFAULT_HTTPS_PORT = '443';
const MAX_ENTRY_LENGTH = 300;

function canonical(url: URL): string | null {
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  if (url.search !== '' || url.hash !== '' || (url.pathname !== '/' && url.pathname !== '')) return null;
  if (url.hostname === '' || url.hostname.includes('*')) return null;
  return `${url.hostname}:${url.port === '' ? DEFAULT_HTTPS_PORT : url.port}`;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * `host`, `host:port` or `https://host[:port]` → `host:port` (lower case, IDN as punycode, IPv6 in
 * brackets); null when the entry is not a plain https host. A port-less entry means port 443 only.
 */
export function canonicalHostEntry(entry: string): string | null {
  const text = entry.trim();
  if (text.length === 0 || text.length > MAX_ENTRY_LENGTH) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  const url = parseUrl(withScheme);
  return url ? canonical(url) : null;
}

/**
 * A browser `Origin` header → `host:port`, null when absent, `null` (opaque origin), malformed or not
 * https. Origins never carry a path (RFC 6454 §7), so one with a path is refused rather than trimmed.
 */
export function canonicalOrigin(origin: string | undefined): string | null {
  if (origin === undefined || origin.length === 0 || origin.length > MAX_ENTRY_LENGTH || origin === 'null') return null;
  if (!/^https:\/\/[^/?#]+$/i.test(origin)) return null;
  const url = parseUrl(origin);
  return url ? canonical(url) : null;
}
