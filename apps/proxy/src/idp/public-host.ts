import type { IncomingMessage } from 'node:http';
import { EdgeError, EdgeErrorCode } from '../edge/edge.error';
import { canonicalHostEntry } from '../virtual-proxy/host-entry';
import type { VirtualProxyConfig } from '../virtual-proxy/virtual-proxy-config.schema';

/**
 * The host the browser reached us by, for the redirect URI and same-origin checks. The Host header
 * is client text, so it is used only when the virtual proxy's host allow list
 * (`websocketCrossOriginWhiteList`, Qlik's "Host allow list") names it: otherwise a forged Host
 * could steer where the provider sends the authorization code.
 */
export function publicHost(req: IncomingMessage, vp: Pick<VirtualProxyConfig, 'websocketCrossOriginWhiteList'>): string {
  const header = req.headers.host;
  const canonical = header === undefined ? null : canonicalHostEntry(header);
  if (canonical === null || !vp.websocketCrossOriginWhiteList.includes(canonical)) {
    throw new EdgeError(EdgeErrorCode.InvalidRequest, 'the Host is not in the virtual proxy host allow list', { field: 'Host' });
  }
  return new URL(`https://${canonical}`).host; // drops :443
}

export const basePath = (prefix: string) => (prefix === '' ? '/' : `/${prefix}/`);
