import type { Session } from '../session/session.types';

/**
 * The proxy's first frame on a new QIX socket, as Qlik's proxy sends it (Proxy Service API,
 * "OnAuthenticationInformation"): who the user is and where to log out. The socket is already
 * authenticated when it opens, so `mustAuthenticate` is always false here; an unauthenticated
 * upgrade is refused before it becomes a socket (401) instead of being told a `loginUri`.
 * Qlik sends it after the client's first frame; trustzone sends it when the socket opens, before
 * the engine's `OnConnected`, so a client that waits for it before sending anything does not hang.
 *
 * `origin` is the upgrade's Origin, already checked against the virtual proxy's allow list (the
 * request-forgery step), so the logout URI never carries unchecked client text.
 */
export function authenticationInformationFrame(session: Pick<Session, 'userDirectory' | 'userId'>, prefix: string, origin: string): string {
  const base = new URL(origin).origin;
  return JSON.stringify({
    jsonrpc: '2.0',
    method: 'OnAuthenticationInformation',
    params: {
      userId: session.userId,
      userDirectory: session.userDirectory,
      logoutUri: `${base}${prefix === '' ? '' : `/${prefix}`}/qps/user`,
      mustAuthenticate: false,
    },
  });
}
