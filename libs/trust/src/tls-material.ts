import { type X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { privateKeyFromPem } from './certificate-authority';
import { parseCrls } from './crl-reader';
import { assertPrivateKeyFileSafe } from './key-file-permissions';
import { identityFromCertificate } from './peer-certificate';
import { certificateDate, normalizeSerial, parseCertificate, parseCertificateBundle } from './pem';
import { type ServiceIdentity } from './service-identity';
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
  revokedSerials: ReadonlySet<string>;
}

export interface LoadMaterialOptions {
  certsDir: string;
  /** `<name>.pem` + `<name>_key.pem`: proxy, repository, engine, cli, client-facing, … */
  name: string;
  /** CA bundle file in certsDir; default root.pem (client-facing-ca.pem for client-facing). */
  caFile?: string;
  /** CRL file in certsDir, null for none; default crl.pem (none for client-facing). */
  crlFile?: string | null;
  now?: Date;
}

export function materialFiles(o: LoadMaterialOptions): { cert: string; key: string; ca: string; crl: string | null } {
  const clientFacing = o.name === 'client-facing';
  const crl = o.crlFile === undefined ? (clientFacing ? null : 'crl.pem') : o.crlFile;
  return {
    cert: join(o.certsDir, `${o.name}.pem`),
    key: join(o.certsDir, `${o.name}_key.pem`),
    ca: join(o.certsDir, o.caFile ?? (clientFacing ? 'client-facing-ca.pem' : 'root.pem')),
    crl: crl === null ? null : join(o.certsDir, crl),
  };
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

  const trustedCas = parseCertificateBundle(caPem, files.ca);
  const nonCa = trustedCas.find((c) => !c.ca);
  if (nonCa) throw new TrustError(TrustErrorCode.PemInvalid, `${files.ca}: contains a certificate that is not a CA (${nonCa.subject.replace(/\n/g, ', ')})`, files.ca);
  const cert = parseCertificate(certPem, files.cert);
  const key = privateKeyFromPem(keyPem, files.key);
  if (!cert.checkPrivateKey(key)) throw new TrustError(TrustErrorCode.KeyMismatch, `${files.key} does not match ${files.cert}`, files.key);
  if (!trustedCas.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey))) {
    throw new TrustError(TrustErrorCode.PeerUntrusted, `${files.cert}: not signed by a CA in ${files.ca}`, files.cert);
  }
  const revokedSerials = new Set<string>();
  if (files.crl) {
    for (const crl of parseCrls(crlPem, trustedCas, files.crl)) {
      // OpenSSL fails every handshake on an expired CRL; refusing it here keeps the previous set.
      if (crl.nextUpdate && crl.nextUpdate < now) throw new TrustError(TrustErrorCode.CrlInvalid, `${files.crl}: CRL expired ${crl.nextUpdate.toISOString()}`, files.crl);
      for (const s of crl.revokedSerials) revokedSerials.add(s);
    }
  }
  let identity: ServiceIdentity | null = null;
  if (options.name !== 'client-facing') {
    try {
      identity = identityFromCertificate(cert);
    } catch (e) {
      throw new TrustError(TrustErrorCode.IdentityMissing, `${files.cert}: ${e instanceof Error ? e.message : 'no identity'}`, files.cert);
    }
  }
  return {
    caPem,
    certPem,
    keyPem,
    crlPem,
    identity,
    serial: normalizeSerial(cert.serialNumber),
    notAfter: certificateDate(cert.validTo),
    trustedCas,
    revokedSerials,
  };
}
