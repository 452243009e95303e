import type { ConnectionOptions, PeerCertificate, TlsOptions } from 'node:tls';
import { verifyPeerCertificate } from './peer-verifier';
import { pemBlocks } from './pem';
import { type ServiceIdentity } from './service-identity';
import { type TlsMaterial } from './tls-material';
import { TrustError, TrustErrorCode } from './trust.error';

/**
 * node's `crl` option reads only the first CRL of a PEM string; an array is read in full. During a
 * CA rotation crl.pem holds one CRL per CA, and OpenSSL (CRL_CHECK_ALL) refuses any chain whose CA
 * has no CRL loaded, so each block is passed separately.
 */
function crlOption(crlPem: string): { crl?: string[] } {
  const blocks = pemBlocks(crlPem).filter((b) => b.type === 'X509 CRL').map((b) => b.pem);
  return blocks.length > 0 ? { crl: blocks } : {};
}

/** TLS 1.2 is the floor (trust-zone.md); 1.3 is negotiated whenever both sides have it. */
export const MIN_TLS_VERSION = 'TLSv1.2' as const;

export interface ServerTlsSettings {
  /** Trust-zone listeners always require one; only the client-facing listener may not. */
  requireClientCert: boolean;
}

/**
 * Options for `tls.createServer`, `https.createServer`, `http2.createSecureServer` and
 * `server.setSecureContext`. The CRL goes to OpenSSL, which then checks revocation for every
 * certificate in the chain during the handshake.
 */
export function serverTlsOptions(material: TlsMaterial, settings: ServerTlsSettings): TlsOptions {
  return {
    ca: material.caPem,
    cert: material.certPem,
    key: material.keyPem,
    ...crlOption(material.crlPem),
    requestCert: settings.requireClientCert,
    rejectUnauthorized: settings.requireClientCert,
    minVersion: MIN_TLS_VERSION,
  };
}

export interface ClientTlsSettings {
  /** Which server identities this client accepts, e.g. `identityAllowList(['repository'])`. */
  expect: (identity: ServiceIdentity) => boolean;
  /** Live revocation list (a TrustStore's); defaults to the material's snapshot. */
  revokedSerials?: () => ReadonlySet<string>;
  now?: () => Date;
}

/** Error returned from checkServerIdentity; `code` is the TrustErrorCode of the refusal. */
export class ServerIdentityError extends Error {
  constructor(
    readonly code: TrustErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServerIdentityError';
  }
}

/**
 * Options for `tls.connect` (also usable by grpc-js's verifyOptions). Instead of matching the host
 * name, `checkServerIdentity` checks what the zone cares about: the server's URI SAN identity is of
 * this site and expected here, and its serial is not revoked. Host names inside the zone are
 * deployment detail (docker names, IPs); the identity is the contract.
 */
export function clientTlsOptions(material: TlsMaterial, settings: ClientTlsSettings): ConnectionOptions {
  const own = material.identity;
  if (!own) throw new TrustError(TrustErrorCode.IdentityMissing, 'client TLS material has no trust-zone identity');
  const revoked = settings.revokedSerials ?? (() => material.revokedSerials);
  return {
    ca: material.caPem,
    cert: material.certPem,
    key: material.keyPem,
    ...crlOption(material.crlPem),
    rejectUnauthorized: true,
    minVersion: MIN_TLS_VERSION,
    checkServerIdentity: (_host: string, peer: PeerCertificate): Error | undefined => {
      const result = verifyPeerCertificate(peer, {
        trustedCas: material.trustedCas,
        revokedSerials: revoked(),
        siteId: own.siteId,
        allowed: settings.expect,
        purpose: 'serverAuth',
        ...(settings.now ? { now: settings.now() } : {}),
      });
      return result.ok ? undefined : new ServerIdentityError(result.code, result.reason);
    },
  };
}
