import { sign, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { Class, integerFromHex, oid, seq, subjectNameOfCertificate, time, toDer, Type } from './asn1-helpers';
import { type CertificateAuthority } from './certificate-authority';
import { subjectKeyIdOf } from './certificate-builder';
import { normalizeSerial } from './pem';

const { asn1, pki } = forge;
const DAY_MS = 86_400_000;
/**
 * Nothing re-signs the CRL on a timer, and OpenSSL rejects a CRL past its nextUpdate (which would
 * take the whole zone down), so the default is a year; every revoke and every rotate re-signs it.
 */
export const CRL_VALIDITY_DAYS = 365;
const OID_CRL_NUMBER = '2.5.29.20';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';

export interface RevokedEntry {
  serial: string;
  revokedAt: Date;
}

export interface CrlOptions {
  thisUpdate?: Date;
  nextUpdate?: Date;
  /** Monotonic CRL number (RFC 5280 §5.2.3); defaults to the current time in seconds. */
  crlNumber?: number;
}

/**
 * node-forge has no CRL writer, so the v2 CertificateList of RFC 5280 §5.1 is built by hand and
 * signed sha256WithRSAEncryption with the CA key. The issuer Name is copied byte for byte from the
 * CA certificate (OpenSSL matches CRLs to issuers by their encoded name).
 */
export function createCrl(ca: CertificateAuthority, revoked: readonly RevokedEntry[], options: CrlOptions = {}): string {
  const thisUpdate = options.thisUpdate ?? new Date();
  const nextUpdate = options.nextUpdate ?? new Date(thisUpdate.getTime() + CRL_VALIDITY_DAYS * DAY_MS);
  const crlNumber = options.crlNumber ?? Math.floor(thisUpdate.getTime() / 1000);
  const sigAlg = seq([oid(pki.oids['sha256WithRSAEncryption']!), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]);
  const caDer = new X509Certificate(ca.certPem).raw;
  const entries = revoked.map((r) => seq([integerFromHex(normalizeSerial(r.serial)), time(r.revokedAt)]));
  const aki = seq([asn1.create(Class.CONTEXT_SPECIFIC, 0, false, subjectKeyIdOf(ca.certPem))]);
  const extensions = seq([
    extension(OID_AUTHORITY_KEY_ID, aki),
    extension(OID_CRL_NUMBER, integerFromHex(crlNumber.toString(16))),
  ]);
  const tbs = seq([
    asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(1).getBytes()), // v2
    sigAlg,
    subjectNameOfCertificate(caDer),
    time(thisUpdate),
    time(nextUpdate),
    // §5.1.2.6: when nothing is revoked the list MUST be absent, not empty.
    ...(entries.length > 0 ? [seq(entries)] : []),
    asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [extensions]),
  ]);
  const signature = sign('sha256', toDer(tbs), ca.privateKey);
  const list = seq([tbs, sigAlg, asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\u0000${signature.toString('binary')}`)]);
  const b64 = toDer(list).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}

function extension(id: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return seq([oid(id), asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, asn1.toDer(value).getBytes())]);
}
