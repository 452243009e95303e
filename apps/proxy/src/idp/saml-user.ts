import type { AuthenticatedUser, SessionAttributes } from '../auth/authenticated-user';
import { buildAttributes, identityProblem } from '../auth/identity-rules';
import { isEdgeError } from '../edge/edge.error';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

/**
 * The user a SAML assertion names (Qlik's SAML attribute mapping): the user id from
 * `samlAttributeUserId` (the NameID when unset), the directory from `samlAttributeUserDirectory`
 * (an attribute, or a constant in brackets as Qlik's `[CORP]`), and session attributes from
 * `samlAttributeMap` — the IdP's group attribute mapped to `group` is what section-access GROUP rows
 * and `user.environment.group` rules read, as for OIDC. A mapped attribute whose values are not text
 * fails the login (fail closed: a group list we cannot read must not shrink to "no groups").
 */
export type SamlMapping = Pick<VirtualProxyConfig, 'samlAttributeUserId' | 'samlAttributeUserDirectory' | 'samlAttributeMap'>;

function values(raw: unknown): string[] | null {
  const list = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v !== 'string') return null;
    out.push(v);
  }
  return out;
}

function single(attributes: Record<string, unknown>, name: string): string | null {
  const v = Object.hasOwn(attributes, name) ? values(attributes[name]) : null;
  return v !== null && v.length === 1 ? (v[0] as string) : null;
}

export function samlUser(nameID: string | undefined, attributes: Record<string, unknown>, m: SamlMapping): AuthenticatedUser | string {
  const userId = m.samlAttributeUserId === undefined ? (nameID ?? null) : single(attributes, m.samlAttributeUserId);
  if (userId === null || userId === '') return `attribute ${m.samlAttributeUserId ?? 'NameID'} (user id) missing or not a single value`;
  const dirSetting = m.samlAttributeUserDirectory;
  if (dirSetting === undefined) return 'virtual proxy has no samlAttributeUserDirectory';
  const constant = /^\[(.+)\]$/.exec(dirSetting);
  const userDirectory = constant ? (constant[1] as string) : single(attributes, dirSetting);
  if (userDirectory === null) return `attribute ${dirSetting} (user directory) missing or not a single value`;
  const problem = identityProblem(userDirectory) ?? identityProblem(userId);
  if (problem) return `user ${problem}`;
  const pairs: Array<[string, string]> = [];
  for (const [attribute, sessionAttribute] of Object.entries(m.samlAttributeMap)) {
    if (!Object.hasOwn(attributes, attribute)) continue;
    const v = values(attributes[attribute]);
    if (v === null) return `attribute ${attribute} has an unsupported type`;
    for (const s of v) pairs.push([sessionAttribute, s]);
  }
  let sessionAttributes: SessionAttributes;
  try {
    sessionAttributes = buildAttributes(pairs, 'saml');
  } catch (e) {
    return isEdgeError(e) ? e.message : 'attributes invalid';
  }
  return { userDirectory, userId, attributes: sessionAttributes, anonymous: false };
}
