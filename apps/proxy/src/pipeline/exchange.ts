import type { IncomingMessage } from 'node:http';
import { queryOf } from '../auth/request-facts';
import type { AuthVia } from '../auth/authenticated-user';
import { pathOf } from '../edge/http-send';
import type { Session } from '../session/session.types';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

/**
 * One request as the pipeline sees it, whichever door it came through. The steps fill it in as they
 * go (virtual proxy, route area, identity, cookies to set) and the door answers it.
 */
export type DoorName = 'client' | 'api' | 'upgrade';

/** What a request is for, once its virtual proxy is known; it decides which checks apply. */
export type Area = 'health' | 'qrs' | 'qps' | 'hub' | 'qmc' | 'app' | 'idp';

export type Identity =
  /** The client-facing /health: nobody needs to be identified. */
  | { kind: 'nobody' }
  | { kind: 'session'; session: Session; via: AuthVia }
  /** An integration certificate on the API port, acting as itself or as the user in X-Qlik-User. */
  | { kind: 'integration'; name: string; user?: { userDirectory: string; userId: string } };

/**
 * A door: an entry point of the proxy. It builds exchanges, runs them through the pipeline, and
 * knows how to answer on its transport. `T` is what it answers on (a response, or a raw socket).
 */
export interface Door<T> {
  readonly name: DoorName;
  /** The last step: serve the request for the identified caller. */
  route(x: Exchange<T>): Promise<void>;
  /** Answers a refusal, or anything a step threw, on this door's transport. */
  refuse(x: Exchange<T>, error: unknown): void;
}

export interface Exchange<T = unknown> {
  readonly door: Door<T>;
  readonly transport: T;
  readonly req: IncomingMessage;
  /** The client address as the socket sees it (never X-Forwarded-For: that is client text). */
  readonly ip: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Path segments after the virtual proxy prefix (client, upgrade) or after /qps or /qrs (api). */
  segs: string[];
  area: Area | undefined;
  vp: VirtualProxyConfig | undefined;
  who: Identity | undefined;
  /** Set-Cookie values the answer carries (a new session, or clearing a stale cookie). */
  cookies: string[] | undefined;
}

export function newExchange<T>(door: Door<T>, req: IncomingMessage, transport: T): Exchange<T> {
  const url = req.url ?? '/';
  return {
    door,
    transport,
    req,
    ip: req.socket.remoteAddress ?? '',
    path: pathOf(req),
    query: queryOf(url),
    segs: [],
    area: undefined,
    vp: undefined,
    who: undefined,
    cookies: undefined,
  };
}

export function addCookie(x: Exchange, cookie: string): void {
  (x.cookies ??= []).push(cookie);
}

/** The session of an exchange identified by a session (client and upgrade doors). */
export function sessionOf(x: Exchange): { session: Session; via: AuthVia } {
  if (x.who?.kind !== 'session') throw new Error('the pipeline reached a session route without a session');
  return x.who;
}
