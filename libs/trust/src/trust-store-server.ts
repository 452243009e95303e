import type { Server, TLSSocket } from 'node:tls';
import { type PeerVerification } from './peer-verifier';
import { type ServiceIdentity } from './service-identity';
import { type TlsMaterial } from './tls-material';
import { serverTlsOptions, type ServerTlsSettings } from './tls-options';
import { type TrustStore } from './trust-store';
import { TrustErrorCode } from './trust.error';

/**
 * Re-keys a running tls/https/http2 server whenever the store swaps material: new handshakes use
 * the new certificate and CRL, open connections keep theirs. Returns an unbind function.
 */
export function bindServerToTrustStore(server: Server, store: TrustStore, settings: ServerTlsSettings): () => void {
  const onChange = (m: TlsMaterial): void => server.setSecureContext(serverTlsOptions(m, settings));
  store.on('change', onChange);
  return () => {
    store.off('change', onChange);
  };
}

/**
 * The check a trust-zone listener runs on each accepted socket, after OpenSSL's: the handshake must
 * have authorized the peer, and the peer must pass verifyPeer (identity of this site, allowed here).
 */
export function verifyTlsSocketPeer(socket: TLSSocket, store: TrustStore, allowed?: (id: ServiceIdentity) => boolean): PeerVerification {
  if (!socket.authorized) {
    return { ok: false, code: TrustErrorCode.PeerUntrusted, reason: `TLS handshake did not authorize the peer (${String(socket.authorizationError ?? 'no certificate')})` };
  }
  const peer = socket.getPeerCertificate();
  if (!peer || !peer.raw) return { ok: false, code: TrustErrorCode.PeerUntrusted, reason: 'no client certificate' };
  return store.verifyPeer(peer, { purpose: 'clientAuth', ...(allowed ? { allowed } : {}) });
}
