import type { AuthenticatedUser, SessionAttributes } from '../auth/authenticated-user';
import { buildAttributes, identityProblem } from '../auth/identity-rules';
import { isEdgeError } from '../edge/edge.error';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

/**
 * The user an OIDC login names (Qlik's "attribute mapping"): the user id from `oidcAttributeSub`,
 * the directory `oidcRealm`, and session attributes `name`, `email` and `group` (one value per
 * group) from their claims, plus `oidcAttributeMap`. `group` is the attribute name ticket logins
 * use: the engine reads it for section-access GROUP rows and rules read user.environment.group.
 * A mapped claim of a type that is not a string, number, boolean or a list of them fails the
 * login (fail closed: a group list we cannot read must not shrink to "no groups" silently).
 */
export type OidcMapping = Pick<VirtualProxyConfig, 'oidcRealm' | 'oidcAttributeSub' | 'oidcAttributeName' | 'oidcAttributeGroups' | 'oidcAttributeEmail' | 'oidcAttributeMap'>;

export const GROUP_ATTRIBUTE = 'group';

function scalar(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v);
  return null;
}

/** Every claim the mapping reads. */
export function mappedClaims(m: OidcMapping): string[] {
  return [m.oidcAttributeSub, m.oidcAttributeName, m.oidcAttributeEmail, m.oidcAttributeGroups, ...Object.keys(m.oidcAttributeMap)];
}

export function oidcUser(claims: Record<string, unknown>, m: OidcMapping): AuthenticatedUser | string {
  const userId = scalar(claims[m.oidcAttributeSub]);
  if (userId === null) return `claim ${m.oidcAttributeSub} (user id) missing`;
  if (!m.oidcRealm) return 'virtual proxy has no oidcRealm';
  const problem = identityProblem(m.oidcRealm) ?? identityProblem(userId);
  if (problem) return `user id ${problem}`;
  const mapping: Array<[string, string]> = [
    [m.oidcAttributeName, 'name'],
    [m.oidcAttributeEmail, 'email'],
    [m.oidcAttributeGroups, GROUP_ATTRIBUTE],
    ...Object.entries(m.oidcAttributeMap),
  ];
  const pairs: Array<[string, string]> = [];
  for (const [claim, attribute] of mapping) {
    if (!Object.hasOwn(claims, claim) || claims[claim] === null) continue;
    const raw = claims[claim];
    const values = Array.isArray(raw) ? raw.map(scalar) : [scalar(raw)];
    if (values.some((v) => v === null)) return `claim ${claim} has an unsupported type`;
    for (const v of values) pairs.push([attribute, v as string]);
  }
  let attributes: SessionAttributes;
  try {
    attributes = buildAttributes(pairs, 'oidc');
  } catch (e) {
    return isEdgeError(e) ? e.message : 'attributes invalid';
  }
  return { userDirectory: m.oidcRealm, userId, attributes, anonymous: false };
}
