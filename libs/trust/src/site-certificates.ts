import { isIP } from 'node:net';
import { type CertificateAuthority } from './certificate-authority';
import { INTEGRATION_VALIDITY_DAYS, issueCertificate, SERVICE_VALIDITY_DAYS, type IssuedCertificate } from './certificate-issuer';
import { type KeyPair } from './key-pair';
import { type ServiceName } from './service-identity';
import { type SiteManifest } from './site-manifest';

/** The identity the CLI uses to reach the proxy API. */
export const CLI_INTEGRATION_NAME = 'tz-cli';
const LOOPBACK = '127.0.0.1';

function split(hosts: readonly string[]): { dns: string[]; ips: string[] } {
  return { dns: hosts.filter((h) => isIP(h) === 0), ips: hosts.filter((h) => isIP(h) !== 0) };
}

/**
 * Every service is both a TLS server and a TLS client of the others, hence serverAuth + clientAuth.
 * SANs: the service name (container DNS), every site host, localhost, and 127.0.0.1.
 */
export function issueServiceCertificate(ca: CertificateAuthority, site: SiteManifest, service: ServiceName, opts: { validityDays?: number; keyPair?: KeyPair } = {}): Promise<IssuedCertificate> {
  const { dns, ips } = split(site.hosts);
  return issueCertificate({
    ca,
    commonName: service,
    identity: { kind: 'service', siteId: site.siteId, service },
    dnsNames: [service, ...dns, 'localhost'],
    ipAddresses: [LOOPBACK, ...ips],
    usage: ['serverAuth', 'clientAuth'],
    validityDays: opts.validityDays ?? SERVICE_VALIDITY_DAYS,
    ...(opts.keyPair ? { keyPair: opts.keyPair } : {}),
  });
}

/** Integration identities only call in (the proxy API), so they get clientAuth alone. */
export function issueIntegrationCertificate(ca: CertificateAuthority, site: SiteManifest, name: string, opts: { validityDays?: number; keyPair?: KeyPair } = {}): Promise<IssuedCertificate> {
  return issueCertificate({
    ca,
    commonName: name,
    identity: { kind: 'integration', siteId: site.siteId, name },
    usage: ['clientAuth'],
    validityDays: opts.validityDays ?? INTEGRATION_VALIDITY_DAYS,
    ...(opts.keyPair ? { keyPair: opts.keyPair } : {}),
  });
}

/** Signed by the separate client-facing CA and carrying no identity: it must never open the zone. */
export function issueClientFacingCertificate(clientFacingCa: CertificateAuthority, site: SiteManifest, opts: { validityDays?: number; keyPair?: KeyPair } = {}): Promise<IssuedCertificate> {
  const { dns, ips } = split(site.hosts);
  return issueCertificate({
    ca: clientFacingCa,
    commonName: dns[0] ?? 'localhost',
    dnsNames: [...dns, 'localhost'],
    ipAddresses: [LOOPBACK, ...ips],
    usage: ['serverAuth'],
    validityDays: opts.validityDays ?? INTEGRATION_VALIDITY_DAYS,
    ...(opts.keyPair ? { keyPair: opts.keyPair } : {}),
  });
}
