/**
 * The short-lived cookie that binds a login in flight to the browser that started it
 * (pending-logins.ts). OIDC: SameSite=Lax — the provider sends the browser back with a top-level
 * GET, which Lax cookies ride; a cross-site POST or subresource never carries it. SAML: the IdP
 * answers with a cross-site POST (HTTP-POST binding), which only a SameSite=None cookie rides; what
 * protects that login is the random value, which a cross-site attacker cannot plant in the victim's
 * browser.
 */
export type LoginFlow = 'oidc' | 'saml';
const NAMES: Record<LoginFlow, string> = { oidc: 'tz-oidc-login', saml: 'tz-saml-login' };
const SAME_SITE: Record<LoginFlow, string> = { oidc: 'Lax', saml: 'None' };
const MAX_AGE_S = 600;

const pathFor = (prefix: string, flow: LoginFlow) => (prefix === '' ? `/${flow}authn` : `/${prefix}/${flow}authn`);

export function loginCookie(prefix: string, binding: string, flow: LoginFlow = 'oidc'): string {
  return `${NAMES[flow]}=${binding}; Path=${pathFor(prefix, flow)}; HttpOnly; Secure; SameSite=${SAME_SITE[flow]}; Max-Age=${MAX_AGE_S}`;
}

export function clearLoginCookie(prefix: string, flow: LoginFlow = 'oidc'): string {
  return `${NAMES[flow]}=; Path=${pathFor(prefix, flow)}; HttpOnly; Secure; SameSite=${SAME_SITE[flow]}; Max-Age=0`;
}

/** The binding value, or null when absent, malformed or sent more than once. */
export function readLoginCookie(header: string | readonly string[] | undefined, flow: LoginFlow = 'oidc'): string | null {
  const NAME = NAMES[flow];
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
