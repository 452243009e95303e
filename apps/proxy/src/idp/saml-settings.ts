import { z } from 'zod';
import { attributeNameProblem } from '../auth/identity-rules';
import { parseIdpMetadata } from './saml-metadata';
import { isMetadataUrl, metadataUrlProblem } from './saml-metadata-source';

/**
 * The SAML 2.0 settings of a virtual proxy, with Qlik's field names (QMC "Authentication → SAML").
 * Where trustzone differs, deliberately:
 * - `samlMetadataIDP` is the IdP's metadata document itself (XML text), checked when stored, as in
 *   Qlik — or, unlike Qlik, the https URL the IdP publishes it at: the proxy fetches it (bounded in
 *   size and time, refreshed hourly) and refuses logins while it cannot have it.
 * - `samlAttributeSigningAlgorithm` is the signature algorithm the IdP's assertions must be signed
 *   with ('sha256' or 'sha512'; SHA-1 is refused): trustzone's SP does not sign its AuthnRequests
 *   (the request id is bound to the browser instead, saml-login.ts), so Qlik's meaning — the SP's own
 *   signing algorithm — has nothing to apply to.
 * - `samlAttributeMap` is an object SAML attribute name → session attribute (as `oidcAttributeMap`)
 *   rather than Qlik's list of pairs; map the IdP's group attribute to `group`.
 * - `samlAttributeUserId` absent means the assertion's NameID. `samlAttributeUserDirectory` is an
 *   attribute name, or a constant in brackets (`[CORP]`) as in Qlik.
 */
const samlAttribute = z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
const attributeName = z.string().superRefine((name, ctx) => {
  const problem = attributeNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `attribute name ${problem}` });
});

export const SAML_SIGNING_ALGORITHMS = { sha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', sha512: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512' } as const;

export const samlFields = {
  // The document, or (trustzone's extension) the https URL the IdP publishes it at: fetched by the
  // proxy, checked when fetched, refreshed (saml-metadata-source.ts).
  samlMetadataIDP: z.string().max(256 * 1024).superRefine((text, ctx) => {
    const problem = isMetadataUrl(text) ? metadataUrlProblem(text.trim()) : parseIdpMetadata(text);
    if (typeof problem === 'string') ctx.addIssue({ code: 'custom', message: problem });
  }).optional(),
  // The public origin browsers reach this proxy at: the ACS and metadata URLs are built from it, never from the Host header.
  samlHostUri: z.string().max(512).transform((text, ctx) => {
    let u: URL | null = null;
    try {
      u = new URL(text);
    } catch {
      u = null;
    }
    if (u === null || u.protocol !== 'https:' || u.username !== '' || u.password !== '' || u.pathname !== '/' || u.search !== '' || u.hash !== '') {
      ctx.addIssue({ code: 'custom', message: 'must be https://host[:port] (no path, query or credentials)' });
      return z.NEVER;
    }
    return u.origin;
  }).optional(),
  samlEntityId: z.string().min(1).max(1024).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
  samlAttributeUserId: samlAttribute.optional(),
  samlAttributeUserDirectory: samlAttribute.optional(),
  samlAttributeSigningAlgorithm: z.enum(['sha256', 'sha512']).default('sha256'),
  samlAttributeMap: z.record(samlAttribute, attributeName).refine((m) => Object.keys(m).length <= 64, 'at most 64 entries').default({}),
};

type SamlShape = z.output<z.ZodObject<typeof samlFields>> & { authenticationMethod: string; sameSite: string };

/** A SAML virtual proxy needs its IdP, its own entity id and public origin, and where the directory comes from. */
export function checkSamlSettings(c: SamlShape, ctx: z.RefinementCtx): void {
  if (c.authenticationMethod !== 'saml') return;
  const need = { samlMetadataIDP: c.samlMetadataIDP, samlHostUri: c.samlHostUri, samlEntityId: c.samlEntityId, samlAttributeUserDirectory: c.samlAttributeUserDirectory };
  for (const [field, value] of Object.entries(need)) {
    if (value === undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'required for saml' });
  }
  // The login returns cross-site: a Strict session cookie would not ride the redirect that follows
  // the IdP's POST, and the browser would loop between us and the IdP.
  if (c.sameSite === 'Strict') ctx.addIssue({ code: 'custom', path: ['sameSite'], message: 'must be Lax or None for saml (the login returns cross-site)' });
}
