/**
 * The short-lived cookie that binds a login in flight to the browser that started it
 * (pending-logins.ts). SameSite=Lax: the provider sends the browser back with a top-level GET, which
 * Lax cookies ride; a cross-site POST or subresource never carries it.
 */
const NAME = 'tz-oidc-login';
const MAX_AGE_S = 600;

const pathFor = (prefix: string) => (prefix === '' ? '/oidcauthn' : `/${prefix}/oidcauthn`);

export function loginCookie(prefix: string, binding: string): string {
  return `${NAME}=${binding}; Path=${pathFor(prefix)}; HttpOnly; Secure; SameSite=Lax; Max-Age=${MAX_AGE_S}`;
}

export function clearLoginCookie(prefix: string): string {
  return `${NAME}=; Path=${pathFor(prefix)}; HttpOnly; Secure; SameSite=Lax; Max-Age=0`;
}

/** The binding value, or null when absent, malformed or sent more than once. */
export function readLoginCookie(header: string | readonly string[] | undefined): string | null {
  const text = Array.isArray(header) ? header.join('; ') : header;
  if (typeof text !== 'string' || text.length > 8192) return null;
  const values = text
    .split(';')
    .map((p) => p.trim())
    .filter((p) => p.startsWith(`${NAME}=`))
    .map((p) => p.slice(NAME.length + 1));
  const v = values.length === 1 ? values[0] : undefined;
  return v !== undefined && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : null;
}
