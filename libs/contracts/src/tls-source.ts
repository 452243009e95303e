import type { PeerIdentity, PeerResolver } from './peer-identity';

/** The subset of node's tls.PeerCertificate the trust zone needs (kept local: only libs/trust imports node:tls). */
export interface PeerCertificate {
  raw: Buffer;
  serialNumber: string;
  fingerprint256: string;
  valid_from: string;
  valid_to: string;
}

/** TLS material for one endpoint; option names match node's SecureContextOptions. */
export interface TlsContextOptions {
  ca: string;
  cert: string;
  key: string;
  /** Several CRLs (CA rotation overlap) must be an array: node reads only the first block of a string. */
  crl?: string | string[];
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
}

/**
 * What the gRPC layer needs from the trust zone: current material (swapped on rotation), a way to
 * identify peers, and a server-identity check for clients. libs/trust provides the implementation
 * (see trust-zone-tls.ts); tests may build one from a test PKI.
 */
export interface TlsSource {
  readonly self: PeerIdentity;
  current(): TlsContextOptions;
  identifyPeer: PeerResolver;
  /** For clients: is this server certificate the expected service of our site (and not revoked)? */
  checkServer(expect: (id: PeerIdentity) => boolean): (host: string, cert: PeerCertificate) => Error | undefined;
  /** Subscribe to material changes (rotation, CA bundle, CRL). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}
