import type { PeerCertificate } from './tls-source';

/** Who is calling, as proven by the peer certificate's URI SAN (urn:trustzone:<site>:<service>). */
export type ServiceName = 'proxy' | 'repository' | 'engine';
export type PeerIdentity =
  | { kind: 'service'; siteId: string; service: ServiceName }
  | { kind: 'integration'; siteId: string; name: string };

export function peerName(id: PeerIdentity): string {
  return id.kind === 'service' ? id.service : `integration:${id.name}`;
}

export type PeerCheck = { ok: true; identity: PeerIdentity } | { ok: false; reason: string };

/** Resolves a TLS peer certificate to an identity (chain, validity, CRL and site checked). */
export type PeerResolver = (cert: PeerCertificate) => PeerCheck;
