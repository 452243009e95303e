import { z } from 'zod';
import { parseCidr } from '@trustzone/config';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { attributeNameProblem } from '../auth/identity-rules';
import { jwtPublicKey } from '../auth/jwt-public-key';
import { checkOidcSettings, oidcFields } from '../idp/oidc-settings';
import { checkSamlSettings, samlFields } from '../idp/saml-settings';
import { canonicalHostEntry } from './host-entry';
import { isReservedHeaderName } from './reserved-header-names';

/**
 * The virtual proxy entity as the repository stores it (proxy-and-repository-api.md, "Virtual
 * proxies"), validated once when loaded. Unknown keys (id, createdDate, …) are dropped; every known
 * key is checked against an allow-list and errors name the field.
 */
const AUTH_METHODS = ['ticket', 'header-static', 'header-dynamic', 'jwt', 'oidc', 'saml'] as const;
export type AuthenticationMethod = (typeof AUTH_METHODS)[number];
// Qlik's numeric authentication modules, as older exports and scripts carry them.
const QLIK_AUTH_NUMBERS: Record<number, AuthenticationMethod> = { 0: 'ticket', 1: 'header-static', 2: 'header-dynamic', 3: 'saml', 4: 'jwt', 5: 'oidc' };

// A prefix is one path segment; these first segments are the proxy's own routes, and `.`/`..` are
// dot-segments that URL normalisation removes (RFC 3986 §5.2.4), so neither may name a virtual proxy.
const RESERVED_PREFIXES = new Set(['.', '..', 'qrs', 'qps', 'app', 'hub', 'qmc']);
const HTTP_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/;
const ID = z.string().min(1).max(128).regex(/^[A-Za-z0-9_.:-]+$/, 'must match [A-Za-z0-9_.:-]+');

const sameSite = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(['lax', 'strict', 'none']))
  .transform((s) => (s === 'lax' ? 'Lax' : s === 'strict' ? 'Strict' : 'None'));

const hostEntry = z.string().transform((entry, ctx) => {
  const host = canonicalHostEntry(entry);
  if (host === null) {
    ctx.addIssue({ code: 'custom', message: `'${entry.slice(0, 64)}' is not an https host[:port]` });
    return z.NEVER;
  }
  return host;
});

const cidr = z.string().transform((text, ctx) => {
  const r = parseCidr(text);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.reason });
    return z.NEVER;
  }
  return r.cidr.text;
});

/** Who may put a user in a header virtual proxy's header when nothing else is configured: this host. */
export const DEFAULT_HEADER_TRUSTED_SOURCES: readonly string[] = ['127.0.0.1/32', '::1/128'];

const attributeName = z.string().superRefine((name, ctx) => {
  const problem = attributeNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `attribute name ${problem}` });
});

const baseSchema = z.object({
  prefix: z
    .string()
    .max(64)
    .regex(/^[a-z0-9\-._~]*$/, 'must be lower case a-z0-9-._~')
    .refine((p) => !RESERVED_PREFIXES.has(p), 'is reserved')
    .default(''),
  description: z.string().max(1024).default(''),
  authenticationMethod: z
    .union([z.enum(AUTH_METHODS), z.literal([0, 1, 2, 3, 4, 5])])
    .transform((m): AuthenticationMethod => (typeof m === 'number' ? (QLIK_AUTH_NUMBERS[m] as AuthenticationMethod) : m))
    .default('ticket'),
  anonymousAccessMode: z.literal([0, 1, 2]).default(0),
  headerAuthenticationHeaderName: z
    .string()
    .regex(HTTP_TOKEN, 'must be an HTTP header name')
    .refine((n) => !isReservedHeaderName(n), 'is a reserved or standard header name')
    .optional(),
  headerAuthenticationStaticUserDirectory: z.string().min(1).max(256).regex(/^[^\\;=\s]+$/, 'must not contain \\ ; = or spaces').optional(),
  headerAuthenticationDynamicUserDirectory: z.string().min(1).max(256).optional(),
  headerAuthenticationTrustedSources: z.array(cidr).max(64).default([...DEFAULT_HEADER_TRUSTED_SOURCES]),
  jwtPublicKeyCertificate: z.string().optional(),
  jwtAttributeUserId: z.string().min(1).max(128).optional(),
  jwtAttributeUserDirectory: z.string().min(1).max(258).optional(),
  jwtAudience: z.string().min(1).max(256).optional(),
  // Optional here, required by the repository for every new or changed JWT virtual proxy: one stored
  // before jwtIssuer existed still loads, and its logins are refused until it is configured.
  jwtIssuer: z.string().min(1).max(256).optional(),
  jwtAttributeMap: z.record(z.string().min(1).max(128), attributeName).refine((m) => Object.keys(m).length <= 64, 'at most 64 entries').default({}),
  ...oidcFields,
  ...samlFields,
  sessionCookieHeaderName: z.string().regex(HTTP_TOKEN, 'must be a cookie name token').optional(),
  sessionInactivityTimeout: z.number().int().min(1).max(24 * 60).default(30),
  sameSite: sameSite.default('Lax'),
  websocketCrossOriginWhiteList: z.array(hostEntry).max(100).default([]),
  loadBalancingServerNodes: z.array(ID).max(64).default([]),
  maxSessionsPerUser: z.number().int().min(1).max(1000).default(5),
  sessionLimitPolicy: z.enum(['evict-oldest', 'refuse']).default('evict-oldest'),
  // Qlik's "authentication module redirect URI": the login portal an unauthenticated browser is sent
  // to (auth/auth-module-redirect.ts). Browsers follow it, so only https, no credentials or fragment.
  authenticationModuleRedirectUri: z
    .url({ protocol: /^https$/, hostname: z.regexes.hostname })
    .max(1024)
    .refine((u) => {
      const url = new URL(u);
      return url.username === '' && url.password === '' && url.hash === '';
    }, 'must be an https URL without credentials or fragment')
    .optional(),
});

type Ctx = z.RefinementCtx;
type Base = z.output<typeof baseSchema>;

function require(ctx: Ctx, value: unknown, field: string, why: string): void {
  if (value === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `required ${why}` });
}

function checkDynamicPattern(ctx: Ctx, pattern: string): void {
  const ud = pattern.split('$ud').length - 1;
  const id = pattern.split('$id').length - 1;
  // Both placeholders exactly once and never adjacent: `$ud$id` could split "CORPalice" anywhere.
  if (ud !== 1 || id !== 1 || pattern.includes('$ud$id') || pattern.includes('$id$ud')) {
    ctx.addIssue({ code: 'custom', path: ['headerAuthenticationDynamicUserDirectory'], message: 'must contain $ud and $id once each, separated by literal text' });
  }
}

function checkMethodSettings(c: Base, ctx: Ctx): void {
  const m = c.authenticationMethod;
  if (m === 'header-static' || m === 'header-dynamic') require(ctx, c.headerAuthenticationHeaderName, 'headerAuthenticationHeaderName', 'for header authentication');
  if (m === 'header-static') require(ctx, c.headerAuthenticationStaticUserDirectory, 'headerAuthenticationStaticUserDirectory', 'for header-static');
  if (m === 'header-dynamic') {
    require(ctx, c.headerAuthenticationDynamicUserDirectory, 'headerAuthenticationDynamicUserDirectory', 'for header-dynamic');
    if (c.headerAuthenticationDynamicUserDirectory !== undefined) checkDynamicPattern(ctx, c.headerAuthenticationDynamicUserDirectory);
  }
  if (m === 'jwt') {
    require(ctx, c.jwtPublicKeyCertificate, 'jwtPublicKeyCertificate', 'for jwt');
    require(ctx, c.jwtAttributeUserId, 'jwtAttributeUserId', 'for jwt');
    require(ctx, c.jwtAttributeUserDirectory, 'jwtAttributeUserDirectory', 'for jwt');
  }
  if (c.jwtPublicKeyCertificate !== undefined) {
    const key = jwtPublicKey(c.jwtPublicKeyCertificate);
    if (!key.ok) ctx.addIssue({ code: 'custom', path: ['jwtPublicKeyCertificate'], message: key.reason });
  }
  checkOidcSettings(c, ctx);
  checkSamlSettings(c, ctx);
}

export const virtualProxyConfigSchema = baseSchema.superRefine(checkMethodSettings).transform((c) => ({
  ...c,
  sessionCookieHeaderName: c.sessionCookieHeaderName ?? (c.prefix === '' ? 'X-Qlik-Session' : `X-Qlik-Session-${c.prefix}`),
}));

export type VirtualProxyConfig = z.output<typeof virtualProxyConfigSchema>;
export type VirtualProxyConfigInput = z.input<typeof virtualProxyConfigSchema>;

/** Validates one stored entity; throws EdgeError(InvalidConfig) whose `field` names the first bad key. */
export function parseVirtualProxyConfig(input: unknown): VirtualProxyConfig {
  const result = virtualProxyConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  throw new EdgeError(EdgeErrorCode.InvalidConfig, `virtual proxy ${field}: ${issue?.message ?? 'invalid'}`, { field });
}
