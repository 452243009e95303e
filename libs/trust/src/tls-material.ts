import { type X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { selectAnchors } from './anchor-pinning';
import { privateKeyFromPem } from './certificate-authority';
import { parseCrls } from './crl-reader';
import { assertPrivateKeyFileSafe } from './key-file-permissions';
import { identityFromCertificate } from './peer-certificate';
import { certificateDate, normalizeSerial, parseCertificate, parseCertificateBundle, pemBlocks } from './pem';
import { type ServiceIdentity } from './service-identity';
import { ENDORSEMENTS_FILE } from './site-layout';
import { readSmallFile } from './site-files';
import { TrustError, TrustErrorCode } from './trust.error';

/** Everything a process needs for TLS, validated as one consistent set. */
export interface TlsMaterial {
  /** One or more CA certs (old and new during a CA rotation overlap). */
  caPem: string;
  certPem: string;
  keyPem: string;
  /** Site CRL(s); '' for the client-facing listener, whose CA has no CRL. */
  crlPem: string;
  /** null only for the client-facing certificate, which carries no trust-zone identity. */
  identity: ServiceIdentity | null;
  serial: string;
  notAfter: Date;
  trustedCas: readonly X509Certificate[];
  /** CAs of the bundle that were not trusted (see anchor-pinning.ts); empty without pinning. */
  untrustedCas: readonly X509Certificate[];
  revokedSerials: ReadonlySet<string>;
  /** Serial → revocation date, from the CRL entries (revocation is a point in time: audit.md). */
  revokedAt: ReadonlyMap<string, Date>;
  /** Highest cRLNumber loaded per issuing CA (SHA-256 fingerprint). */
  crlNumbers: ReadonlyMap<string, bigint>;
}

export interface LoadMaterialOptions {
  certsDir: string;
  /** `<name>.pem` + `<name>_key.pem`: proxy, repository, engine, cli, client-facing, … */
  name: string;
  /**
   * Folder of `<name>_key.pem`. Default: the site layout's `<data>/private/<name>` when the key is
   * there, else `certsDir` (a test PKI, or a site not yet moved by `tz site upgrade`).
   */
  keyDir?: string;
  /** CA bundle file in certsDir; default root.pem (client-facing-ca.pem for client-facing). */
  caFile?: string;
  /** CRL file in certsDir, null for none; default crl.pem (none for client-facing). */
  crlFile?: string | null;
  now?: Date;
  /**
   * CA fingerprints this process already trusts. Given, the CAs of the bundle beyond them are
   * trusted only when endorsed (anchor-pinning.ts); the others are left out of the material.
   */
  pinnedAnchors?: ReadonlySet<string>;
  /** Highest CRL number loaded so far per CA fingerprint: a CRL with a lower one is refused. */
  crlFloor?: ReadonlyMap<string, bigint>;
}

export function materialFiles(o: LoadMaterialOptions): { cert: string; key: string; ca: string; crl: string | null; endorsements: string | null } {
  const clientFacing = o.name === 'client-facing';
  const crl = o.crlFile === undefined ? (clientFacing ? null : 'crl.pem') : o.crlFile;
  return {
    cert: join(o.certsDir, `${o.name}.pem`),
    key: keyFileOf(o),
    ca: join(o.certsDir, o.caFile ?? (clientFacing ? 'client-facing-ca.pem' : 'root.pem')),
    crl: crl === null ? null : join(o.certsDir, crl),
    endorsements: crl === null ? null : join(o.certsDir, ENDORSEMENTS_FILE),
  };
}

function keyFileOf(o: LoadMaterialOptions): string {
  const file = `${o.name}_key.pem`;
  if (o.keyDir !== undefined) return join(o.keyDir, file);
  const split = join(dirname(o.certsDir), 'private', o.name, file);
  const legacy = join(o.certsDir, file);
  return !existsSync(split) && existsSync(legacy) ? legacy : split;
}

/**
 * Loads and cross-checks a cert/key/CA/CRL set: key file mode, PEM syntax, key matches cert,
 * cert chains to a CA of the bundle, CRL signed by that bundle and not expired, identity present.
 * Any inconsistency is a TrustError naming the file; nothing half-valid is ever returned.
 */
export function loadTlsMaterial(options: LoadMaterialOptions): TlsMaterial {
  const files = materialFiles(options);
  const now = options.now ?? new Date();
  assertPrivateKeyFileSafe(files.key);
  const keyPem = readSmallFile(files.key, 'private key');
  const certPem = readSmallFile(files.cert, 'certificate');
  const caPem = readSmallFile(files.ca, 'CA certificate');
  const crlPem = files.crl ? readSmallFile(files.crl, 'CRL') : '';

  const offeredCas = parseCertificateBundle(caPem, files.ca);
  const nonCa = offeredCas.find((c) => !c.ca);
  if (nonCa) throw new TrustError(TrustErrorCode.PemInvalid, `${files.ca}: contains a certificate that is not a CA (${nonCa.subject.replace(/\n/g, ', ')})`, files.ca);
  const endorsements = options.pinnedAnchors && files.endorsements && existsSync(files.endorsements) ? parseCertificateBundle(readSmallFile(files.endorsements, 'CA endorsements'), files.endorsements) : [];
  const { trusted: trustedCas, untrusted: untrustedCas } = selectAnchors(offeredCas, options.pinnedAnchors, endorsements, now);
  const cert = parseCertificate(certPem, files.cert);
  const key = privateKeyFromPem(keyPem, files.key);
  if (!cert.checkPrivateKey(key)) throw new TrustError(TrustErrorCode.KeyMismatch, `${files.key} does not match ${files.cert}`, files.key);
  if (!trustedCas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) {
    throw new TrustError(TrustErrorCode.PeerUntrusted, `${files.cert}: not signed by a trusted CA in ${files.ca}`, files.cert);
  }
  // A certificate issued on a host whose clock runs ahead is not valid yet: every peer would refuse
  // it, and a TLS handshake failure names no file. Refuse it here, by name (a running service keeps
  // its previous set and logs this; a starting one stops with it). Expiry is not refused: an expired
  // certificate is reported by `tz certs status` and the expiry warning, and keeping it loaded lets
  // the service answer the operator's health checks while it is rotated.
  const notBefore = certificateDate(cert.validFrom);
  if (now < notBefore) {
    throw new TrustError(TrustErrorCode.PeerNotYetValid, `${files.cert}: certificate ${normalizeSerial(cert.serialNumber)} is not valid before ${notBefore.toISOString()} (now ${now.toISOString()}): the clock of the host that issued it, or of this one, is wrong`, files.cert);
  }
  const crl = files.crl ? readRevocations(crlPem, offeredCas, trustedCas, files.crl, now, options.crlFloor) : { pem: '', revokedSerials: new Set<string>(), revokedAt: new Map<string, Date>(), crlNumbers: new Map<string, bigint>() };
  let identity: ServiceIdentity | null = null;
  if (options.name !== 'client-facing') {
    try {
      identity = identityFromCertificate(cert);
    } catch (e) {
      throw new TrustError(TrustErrorCode.IdentityMissing, `${files.cert}: ${e instanceof Error ? e.message : 'no identity'}`, files.cert);
    }
  }
  return {
    // Only trusted CAs reach OpenSSL; the text is kept as it is when nothing was left out.
    caPem: untrustedCas.length === 0 ? caPem : trustedCas.map((c) => c.toString()).join(''),
    certPem,
    keyPem,
    crlPem: files.crl ? crl.pem : crlPem,
    identity,
    serial: normalizeSerial(cert.serialNumber),
    notAfter: certificateDate(cert.validTo),
    trustedCas,
    untrustedCas,
    revokedSerials: crl.revokedSerials,
    revokedAt: crl.revokedAt,
    crlNumbers: crl.crlNumbers,
  };
}

interface Revocations {
  pem: string;
  revokedSerials: Set<string>;
  revokedAt: Map<string, Date>;
  crlNumbers: Map<string, bigint>;
}

/**
 * The CRLs of the trusted CAs. A CRL of a CA that is in the bundle but not trusted is dropped with
 * its CA (it revokes nothing anyone trusts); one of a CA not in the bundle at all is an error, as
 * is an expired CRL (OpenSSL would fail every handshake) and one numbered below what this process
 * already loaded from that CA: an older CRL put back, which would un-revoke certificates.
 */
function readRevocations(pem: string, offered: readonly X509Certificate[], trusted: readonly X509Certificate[], file: string, now: Date, floor: ReadonlyMap<string, bigint> | undefined): Revocations {
  const out: Revocations = { pem: '', revokedSerials: new Set(), revokedAt: new Map(), crlNumbers: new Map() };
  const blocks = pemBlocks(pem).filter((b) => b.type === 'X509 CRL');
  const kept = new Set(trusted.map((ca) => ca.fingerprint256));
  parseCrls(pem, offered, file).forEach((crl, i) => {
    const issuer = crl.issuer.fingerprint256;
    if (!kept.has(issuer)) return;
    if (crl.nextUpdate && crl.nextUpdate < now) throw new TrustError(TrustErrorCode.CrlInvalid, `${file}: CRL expired ${crl.nextUpdate.toISOString()}`, file);
    const number = crl.crlNumber ?? -1n;
    const seen = out.crlNumbers.get(issuer);
    if (seen === undefined || number > seen) out.crlNumbers.set(issuer, number);
    out.pem += blocks[i]?.pem ?? '';
    for (const s of crl.revokedSerials) out.revokedSerials.add(s);
    for (const [s, at] of crl.revokedAt) out.revokedAt.set(s, at);
  });
  for (const [issuer, number] of out.crlNumbers) {
    const loaded = floor?.get(issuer);
    if (loaded !== undefined && number < loaded) {
      throw new TrustError(TrustErrorCode.CrlRollback, `${file}: CRL number ${number} is lower than ${loaded} already loaded from the same CA (an older CRL was put back); keeping the newer one`, file);
    }
  }
  return out;
}
