/**
 * Who a request is, once an authentication method has accepted it. `attributes` are the session's
 * login attributes (ticket Attributes, JWT claims, header values) and become `user.environment.*` in
 * security rules; the shape matches `AssertedUser.attributes` of @trustzone/contracts.
 */
export type SessionAttributes = Record<string, string[]>;

export interface AuthenticatedUser {
  userDirectory: string;
  userId: string;
  attributes: SessionAttributes;
  anonymous: boolean;
}

/** How the user was authenticated; `session-cookie` is an ambient credential (needs CSRF checks). */
export type AuthVia = 'ticket' | 'header' | 'jwt' | 'oidc' | 'saml' | 'anonymous' | 'session-cookie';
