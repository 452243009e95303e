import { z } from 'zod';
import { attributeNameProblem, identityProblem } from '../auth/identity-rules';

/**
 * The OpenID Connect settings of a virtual proxy, with Qlik's field names (QMC "Authentication →
 * OpenID Connect"). trustzone differs in one place: `oidcAttributeMap` is an object claim → session
 * attribute (as `jwtAttributeMap`) rather than Qlik's list of pairs.
 */
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * The discovery document URL. https only, except a loopback IdP (a side-car, or a test's own IdP):
 * loopback traffic never crosses a network an attacker could sit on (RFC 8252 §8.3 reasons the same).
 */
export const idpUrl = z
  .string()
  .max(2048)
  .refine((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return false;
    }
    if (url.username !== '' || url.password !== '' || url.hash !== '') return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  }, 'must be an https URL (http only for a loopback host), without credentials or fragment');

const claimName = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
const attributeName = z.string().superRefine((name, ctx) => {
  const problem = attributeNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `attribute name ${problem}` });
});
// RFC 6749 §3.3: scope = scope-token *( SP scope-token ), scope-token = 1*NQCHAR.
const scope = z.string().max(512).regex(/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/, 'must be space-separated scope tokens');

export const oidcFields = {
  oidcConfigurationEndpointUri: idpUrl.optional(),
  oidcClientId: z.string().min(1).max(256).regex(/^[\x20-\x7e]+$/, 'must be printable ASCII').optional(),
  oidcClientSecret: z.string().min(1).max(1024).optional(),
  oidcScope: scope.default('openid profile email'),
  oidcRealm: z.string().superRefine((v, ctx) => {
    const problem = identityProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
  oidcAttributeSub: claimName.default('sub'),
  oidcAttributeName: claimName.default('name'),
  oidcAttributeGroups: claimName.default('groups'),
  oidcAttributeEmail: claimName.default('email'),
  oidcAttributeMap: z.record(claimName, attributeName).refine((m) => Object.keys(m).length <= 64, 'at most 64 entries').default({}),
};

type OidcShape = z.output<z.ZodObject<typeof oidcFields>> & { authenticationMethod: string; sameSite: string };

/** An OIDC virtual proxy needs its provider, its client and the user directory its users get. */
export function checkOidcSettings(c: OidcShape, ctx: z.RefinementCtx): void {
  if (c.authenticationMethod !== 'oidc') return;
  const need = { oidcConfigurationEndpointUri: c.oidcConfigurationEndpointUri, oidcClientId: c.oidcClientId, oidcClientSecret: c.oidcClientSecret, oidcRealm: c.oidcRealm };
  for (const [field, value] of Object.entries(need)) {
    if (value === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required for oidc' });
  }
  // Without the openid scope the provider answers plain OAuth 2.0: no ID token, nobody to log in.
  if (!c.oidcScope.split(' ').includes('openid')) ctx.addIssue({ code: 'custom', path: ['oidcScope'], message: "must include 'openid'" });
  // The provider sends the browser back cross-site: a Strict session cookie would not ride the
  // redirect chain that follows, and the browser would loop between us and the provider.
  if (c.sameSite === 'Strict') ctx.addIssue({ code: 'custom', path: ['sameSite'], message: 'must be Lax or None for oidc (the login returns cross-site)' });
}
