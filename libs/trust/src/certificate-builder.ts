import { randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { normalizeSerial } from './pem';
import { TrustError, TrustErrorCode } from './trust.error';

const { pki, asn1, util } = forge;
const DAY_MS = 86_400_000;
/** Tolerates a few minutes of clock skew between hosts of one site. */
const BACKDATE_MS = 5 * 60_000;

export interface Validity {
  notBefore?: Date;
  notAfter?: Date;
  validityDays?: number;
}

export interface SignInput {
  subject: forge.pki.CertificateField[];
  issuer: forge.pki.CertificateField[];
  publicKeyPem: string;
  signingKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  extensions: object[];
}

export interface SignedCertificate {
  certPem: string;
  serial: string;
}

/** Positive 127-bit random serial with a non-zero first byte, so its hex form is canonical (RFC 5280 §4.1.2.2). */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}

export function resolveValidity(v: Validity, defaultDays: number, now = new Date()): { notBefore: Date; notAfter: Date } {
  const notBefore = v.notBefore ?? new Date(now.getTime() - BACKDATE_MS);
  const days = v.validityDays ?? defaultDays;
  if (!(days > 0) || days > 36_500) throw new TrustError(TrustErrorCode.InvalidArgument, `validity must be 1..36500 days, got ${days}`);
  const notAfter = v.notAfter ?? new Date(notBefore.getTime() + days * DAY_MS);
  if (notAfter.getTime() <= notBefore.getTime()) throw new TrustError(TrustErrorCode.InvalidArgument, 'notAfter must be after notBefore');
  return { notBefore, notAfter };
}

/**
 * UTF8String: PrintableString (forge's default) cannot hold '_' and friends. @types/node-forge
 * types valueTagClass as an asn1.Class, but forge uses it as the universal tag number (asn1.Type).
 */
function utf8Field(name: string, value: string): forge.pki.CertificateField {
  return { name, value, valueTagClass: asn1.Type.UTF8 } as unknown as forge.pki.CertificateField;
}

export function commonNameField(value: string): forge.pki.CertificateField {
  return utf8Field('commonName', value);
}

export function organizationField(value: string): forge.pki.CertificateField {
  return utf8Field('organizationName', value);
}

/** Present in node-forge since 0.x, missing from @types/node-forge. */
const getTBSCertificate = (pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate;

/**
 * Builds the TBSCertificate with node-forge and signs it with node:crypto. forge's own RSA signing
 * is pure JS; node's is native, and it lets CA keys stay `KeyObject`s (trust-zone.md).
 */
export function buildAndSign(input: SignInput): SignedCertificate {
  const cert = pki.createCertificate();
  const serialHex = randomSerialHex();
  cert.serialNumber = serialHex;
  cert.publicKey = pki.publicKeyFromPem(input.publicKeyPem);
  cert.validity.notBefore = input.notBefore;
  cert.validity.notAfter = input.notAfter;
  cert.setSubject(input.subject);
  cert.setIssuer(input.issuer);
  cert.setExtensions(input.extensions);
  cert.signatureOid = pki.oids['sha256WithRSAEncryption']!;
  cert.siginfo.algorithmOid = cert.signatureOid;
  const tbs = getTBSCertificate(cert);
  const der = Buffer.from(asn1.toDer(tbs).getBytes(), 'binary');
  const signature = sign('sha256', der, input.signingKey);
  // certificateToAsn1 reuses this exact TBS, so the signature covers what gets encoded.
  (cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = signature.toString('binary');
  return { certPem: pki.certificateToPem(cert), serial: normalizeSerial(serialHex) };
}

/** The CA's subjectKeyIdentifier bytes, for the authorityKeyIdentifier of what it signs. */
export function subjectKeyIdOf(caCertPem: string): string {
  const ca = pki.certificateFromPem(caCertPem);
  const ext = ca.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | undefined;
  if (!ext?.subjectKeyIdentifier) throw new TrustError(TrustErrorCode.PemInvalid, 'CA certificate has no subjectKeyIdentifier');
  return util.hexToBytes(ext.subjectKeyIdentifier);
}

export function subjectOf(certPem: string): forge.pki.CertificateField[] {
  return pki.certificateFromPem(certPem).subject.attributes;
}

export const DAYS = DAY_MS;
