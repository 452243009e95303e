import { verify, X509Certificate } from 'node:crypto';
import { AppPackageError, AppPackageErrorCode, type ParsedPackage } from '@trustzone/app-store';
import { identityFromCertificate } from '@trustzone/trust';
import type { ExchangePartner } from './exchange-partners';

export interface TrustedSigner {
  siteId: string;
  /** "this site", or the partner folder whose CA issued the signer. */
  trustedAs: string;
}

/**
 * Who may have made an uploaded package: the signature must verify under the certificate the package
 * names (any change after export breaks it), and that certificate must be an engine certificate
 * issued by this site's CA or a partner's CA, valid when the export was made, for the site the
 * header names. Anything else is refused by name: changed, or from a site this site does not trust.
 */
export function verifyPackageSigner(p: ParsedPackage, own: { cas: readonly X509Certificate[]; siteId: string }, partners: readonly ExchangePartner[]): TrustedSigner {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(p.header.signer.certificate);
  } catch {
    throw new AppPackageError(AppPackageErrorCode.SignatureInvalid, 'the export names no valid signer certificate');
  }
  let valid = false;
  try {
    valid = verify('sha256', p.signed, cert.publicKey, p.signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new AppPackageError(AppPackageErrorCode.SignatureInvalid, 'the file was changed after it was exported (its signature does not match); it is refused');
  const untrusted = (why: string) => new AppPackageError(AppPackageErrorCode.UntrustedSigner, `the export comes from a site this site does not trust (${why}); to accept exports from site "${p.header.source.siteName}", add its CA certificate as a partner (docs/operations.md "App export and import")`);
  let identity;
  try {
    identity = identityFromCertificate(cert);
  } catch {
    throw untrusted('the signer is not a trust-zone certificate');
  }
  if (identity.kind !== 'service' || identity.service !== 'engine') throw untrusted('the signer is not an engine');
  if (identity.siteId !== p.header.source.siteId) throw untrusted('the signer belongs to another site than the export names');
  const issuers: { ca: X509Certificate; as: string }[] = [
    ...own.cas.map((ca) => ({ ca, as: 'this site' })),
    ...partners.flatMap((x) => (x.ca ? [{ ca: x.ca, as: x.name }] : [])),
  ];
  const issuer = issuers.find(({ ca }) => cert.checkIssued(ca) && safeVerify(cert, ca));
  if (!issuer) throw untrusted(`signed by an engine of site ${identity.siteId}, whose CA is not among this site's partners`);
  if (issuer.as === 'this site' && identity.siteId !== own.siteId) throw untrusted('the signer claims another site id under this site\'s CA');
  const at = Date.parse(p.header.exportedAt);
  if (!Number.isFinite(at) || at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo)) throw untrusted('the signer certificate was not valid when the export was made');
  return { siteId: identity.siteId, trustedAs: issuer.as };
}

function safeVerify(cert: X509Certificate, ca: X509Certificate): boolean {
  try {
    return cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}
