import type { ServerResponse } from 'node:http';
import type { ProxyDeps } from '../client/proxy-deps';
import { sendHttpError } from '../edge/http-error.middleware';
import type { Exchange } from './exchange';

/** Puts the exchange's pending Set-Cookie values on the response (once). */
export function writeCookies(x: Exchange<ServerResponse>): void {
  if (!x.cookies) return;
  for (const c of x.cookies) x.transport.appendHeader('Set-Cookie', c);
  x.cookies = undefined;
}

/** The JSON error answer of an HTTP door; internal failures are logged (their text never leaves). */
export function refuseHttp(x: Exchange<ServerResponse>, error: unknown, deps: ProxyDeps): void {
  writeCookies(x);
  const status = sendHttpError(x.transport, error);
  if (status >= 500) deps.logger.error('request failed', { door: x.door.name, status, error: error instanceof Error ? error.message : String(error) });
}
