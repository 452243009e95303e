/**
 * Where a browser goes after logging in: only a path on this proxy, under the virtual proxy's own
 * prefix, never another origin (an open redirect would turn our login into a phishing relay,
 * OWASP "Unvalidated Redirects"). Accepts a path-absolute reference or an https URL of the request's
 * own host; answers the path + query to redirect to, or null.
 */
const MAX_LENGTH = 2048;

export function safeReturnTo(target: string, prefix: string, host: string): string | null {
  if (target.length === 0 || target.length > MAX_LENGTH) return null;
  // Browsers read `\` as `/` and drop tabs/newlines in URLs (WHATWG URL): `/\evil` and `/\t/evil` are
  // `//evil`. Refuse them rather than guess.
  if (/[\\\u0000-\u001f\u007f]/.test(target)) return null;
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(target);
  if (!absolute && (!target.startsWith('/') || target.startsWith('//'))) return null;
  let url: URL;
  try {
    url = new URL(target, `https://${host}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return null;
  if (url.host !== new URL(`https://${host}`).host) return null;
  const base = prefix === '' ? '/' : `/${prefix}/`;
  if (!url.pathname.startsWith(base) && url.pathname !== `/${prefix}`) return null;
  return `${url.pathname}${url.search}`;
}
