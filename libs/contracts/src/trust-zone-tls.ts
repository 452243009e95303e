import type { TrustStore } from '@trustzone/trust';
import type { PeerCheck, PeerIdentity } from './peer-identity';
import type { PeerCertificate, TlsSource } from './tls-source';

interface CachedPeer {
  identity: PeerIdentity;
  serial: string;
  notBefore: number;
  notAfter: number;
}

const MAX_CACHED_PEERS = 1024;

/**
 * Adapts a TrustStore (libs/trust) to what the gRPC layer needs. The full chain/identity check of a
 * peer certificate runs once per certificate and CA set (cached by fingerprint, cleared whenever the
 * material changes); the cheap parts that can change while a connection lives — revocation and the
 * validity window — are checked on every call.
 */
export function trustZoneTls(store: TrustStore): TlsSource {
  const own = store.current().identity;
  if (!own) throw new Error('trust store has no trust-zone identity');
  let cache = new Map<string, CachedPeer>();
  store.on('change', () => {
    cache = new Map();
  });

  const identifyPeer = (cert: PeerCertificate): PeerCheck => {
    let hit = cache.get(cert.fingerprint256);
    if (!hit) {
      const v = store.verifyPeer({ raw: cert.raw }, { purpose: 'clientAuth' });
      if (!v.ok) return { ok: false, reason: v.reason };
      hit = { identity: v.identity, serial: v.serial, notBefore: Date.parse(cert.valid_from), notAfter: Date.parse(cert.valid_to) };
      if (cache.size >= MAX_CACHED_PEERS) cache = new Map();
      cache.set(cert.fingerprint256, hit);
    }
    const now = Date.now();
    if (store.revokedSerials().has(hit.serial)) return { ok: false, reason: `certificate ${hit.serial} is revoked` };
    if (now < hit.notBefore || now > hit.notAfter) return { ok: false, reason: `certificate ${hit.serial} is outside its validity period` };
    return { ok: true, identity: hit.identity };
  };

  return {
    self: own,
    current: () => {
      // The trust lib's server options carry the CA bundle and every CRL in the form node needs.
      const o = store.serverTlsOptions({ requireClientCert: true });
      return { ca: String(o.ca), cert: String(o.cert), key: String(o.key), ...(o.crl ? { crl: o.crl as string | string[] } : {}), minVersion: 'TLSv1.2' };
    },
    identifyPeer,
    checkServer: (expect) => {
      const check = store.clientTlsOptions({ expect }).checkServerIdentity;
      if (!check) throw new Error('trust store gave no server identity check');
      return (host, cert) => check(host, cert as Parameters<typeof check>[1]);
    },
    onChange: (listener) => {
      store.on('change', listener);
      return () => store.off('change', listener);
    },
  };
}
