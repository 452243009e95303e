import { isIP } from 'node:net';
import { type CertificateAuthority, type CertifiedKey } from './certificate-authority';
import { buildAndSign, commonNameField, organizationField, resolveValidity, subjectKeyIdOf, subjectOf, type Validity } from './certificate-builder';
import { generateRsaKeyPair, type KeyPair } from './key-pair';
import { identityToUri, type ServiceIdentity } from './service-identity';
import { TrustError, TrustErrorCode } from './trust.error';

export type ExtendedKeyUsage = 'serverAuth' | 'clientAuth';

export const SERVICE_VALIDITY_DAYS = 30;
export const INTEGRATION_VALIDITY_DAYS = 365;
const MAX_SANS = 64;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export interface IssueOptions extends Validity {
  ca: CertificateAuthority;
  commonName: string;
  identity?: ServiceIdentity;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  usage: readonly ExtendedKeyUsage[];
  /** A key generated ahead of time (init generates all keys concurrently). */
  keyPair?: KeyPair;
}

export interface IssuedCertificate extends CertifiedKey {
  identity?: ServiceIdentity;
}

export function isDnsName(value: string): boolean {
  return DNS_NAME.test(value);
}

/**
 * Issues a leaf certificate signed by `ca`. The identity goes into a URI SAN; the usage list goes
 * into extKeyUsage, which OpenSSL enforces per role (a serverAuth-only cert cannot be a TLS client).
 * Windows in the past or the future are allowed on purpose: tests need expired and not-yet-valid certs.
 */
export async function issueCertificate(options: IssueOptions): Promise<IssuedCertificate> {
  const dnsNames = [...new Set(options.dnsNames ?? [])];
  const ips = [...new Set(options.ipAddresses ?? [])];
  for (const d of dnsNames) if (!isDnsName(d)) throw new TrustError(TrustErrorCode.InvalidArgument, `not a DNS name: ${JSON.stringify(d)}`);
  for (const ip of ips) if (isIP(ip) === 0) throw new TrustError(TrustErrorCode.InvalidArgument, `not an IP address: ${JSON.stringify(ip)}`);
  if (dnsNames.length + ips.length > MAX_SANS) throw new TrustError(TrustErrorCode.InvalidArgument, `more than ${MAX_SANS} subject alternative names`);
  if (options.usage.length === 0) throw new TrustError(TrustErrorCode.InvalidArgument, 'a certificate needs at least one extended key usage');

  const keys = options.keyPair ?? (await generateRsaKeyPair());
  const { notBefore, notAfter } = resolveValidity(options, SERVICE_VALIDITY_DAYS);
  if (notAfter.getTime() > options.ca.notAfter.getTime()) {
    // A leaf outliving its CA would silently stop verifying on the CA's expiry; refuse up front.
    throw new TrustError(TrustErrorCode.InvalidArgument, 'certificate would outlive its CA');
  }
  const altNames: object[] = [
    ...(options.identity ? [{ type: 6, value: identityToUri(options.identity) }] : []),
    ...dnsNames.map((value) => ({ type: 2, value })),
    ...ips.map((ip) => ({ type: 7, ip })),
  ];
  const signed = buildAndSign({
    subject: [commonNameField(options.commonName), organizationField('trustzone')],
    issuer: subjectOf(options.ca.certPem),
    publicKeyPem: keys.publicKeyPem,
    signingKey: options.ca.privateKey,
    notBefore,
    notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: options.usage.includes('serverAuth'), clientAuth: options.usage.includes('clientAuth') },
      ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: subjectKeyIdOf(options.ca.certPem) },
    ],
  });
  return {
    ...signed,
    keyPem: keys.keyPem,
    privateKey: keys.privateKey,
    notBefore,
    notAfter,
    ...(options.identity ? { identity: options.identity } : {}),
  };
}
