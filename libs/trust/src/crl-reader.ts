import { verify, type X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { bytesOf, children, Class, firstChildSpan, fromDer, isTime, readTime, subjectNameOfCertificate, toDer, Type } from './asn1-helpers';
import { normalizeSerial, pemBlocks } from './pem';
import { TrustError, TrustErrorCode } from './trust.error';

const MAX_CRL_BYTES = 4 * 1024 * 1024;
const MAX_CRLS = 16;

export interface ParsedCrl {
  issuer: X509Certificate;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** The cRLNumber extension (RFC 5280 §5.2.3): grows with every CRL a CA issues. */
  crlNumber?: bigint;
  revokedSerials: Set<string>;
  /** Serial → revocationDate of each entry. */
  revokedAt: Map<string, Date>;
}

const OID_CRL_NUMBER = '2.5.29.20';

/**
 * Reads every CRL in `pem`, each of which must be signed by one of `trustedCas` (matched by the
 * encoded issuer Name, then the signature). An unsigned, foreign or garbled CRL is an error, never
 * "nothing revoked": revocation must fail closed.
 */
export function parseCrls(pem: string, trustedCas: readonly X509Certificate[], file?: string): ParsedCrl[] {
  const fail = (why: string) => new TrustError(TrustErrorCode.CrlInvalid, `${file ? `${file}: ` : ''}${why}`, file);
  if (pem.length > MAX_CRL_BYTES) throw fail('CRL file too large');
  const blocks = pemBlocks(pem).filter((b) => b.type === 'X509 CRL');
  if (blocks.length === 0) throw fail('no PEM CRL found');
  if (blocks.length > MAX_CRLS) throw fail(`more than ${MAX_CRLS} CRLs`);
  return blocks.map((b) => {
    try {
      return parseOne(b.der, trustedCas);
    } catch (e) {
      throw fail(e instanceof Error ? e.message : 'unreadable CRL');
    }
  });
}

function parseOne(der: Buffer, trustedCas: readonly X509Certificate[]): ParsedCrl {
  const [tbs, sigAlg, sigValue] = children(fromDer(der));
  if (!tbs || !sigAlg || !sigValue) throw new Error('not a CertificateList');
  if (forge.asn1.derToOid(bytesOf(children(sigAlg)[0])) !== forge.pki.oids['sha256WithRSAEncryption']) {
    throw new Error('CRL signature algorithm is not sha256WithRSAEncryption');
  }
  const fields = children(tbs);
  let i = fields[0]?.type === Type.INTEGER && fields[0].tagClass === Class.UNIVERSAL ? 1 : 0;
  i += 1; // inner signature AlgorithmIdentifier
  const issuerName = fields[i++];
  const thisUpdate = readTime(fields[i++]);
  if (!issuerName || !thisUpdate) throw new Error('CRL has no issuer or thisUpdate');
  const nextUpdate = isTime(fields[i]) ? readTime(fields[i++]) : undefined;
  const list = fields[i];
  const hasList = list?.tagClass === Class.UNIVERSAL && list.type === Type.SEQUENCE;
  const issuerDer = toDer(issuerName);
  // Several CAs may share a name (a rotated CA keeps the site's CA name): try each by signature.
  const named = trustedCas.filter((ca) => toDer(subjectNameOfCertificate(ca.raw)).equals(issuerDer));
  if (named.length === 0) throw new Error('CRL is not issued by a trusted CA');
  const signature = Buffer.from(bytesOf(sigValue), 'binary').subarray(1); // drop the unused-bits byte
  const signed = firstChildSpan(der);
  const issuer = named.find((ca) => verify('sha256', signed, ca.publicKey, signature));
  if (!issuer) throw new Error('CRL signature does not verify');
  const revokedSerials = new Set<string>();
  const revokedAt = new Map<string, Date>();
  for (const entry of hasList ? children(list) : []) {
    const [serial, date] = children(entry);
    if (!serial || serial.type !== Type.INTEGER) throw new Error('CRL entry without serial');
    const at = readTime(date);
    if (!at) throw new Error('CRL entry without revocation date');
    const normalized = normalizeSerial(Buffer.from(bytesOf(serial), 'binary').toString('hex') || '00');
    revokedSerials.add(normalized);
    revokedAt.set(normalized, at);
  }
  const crlNumber = crlNumberOf(fields[hasList ? i + 1 : i]);
  return { issuer, thisUpdate, ...(nextUpdate ? { nextUpdate } : {}), ...(crlNumber !== undefined ? { crlNumber } : {}), revokedSerials, revokedAt };
}

/** The cRLNumber from the `[0] Extensions` of a TBSCertList, if present. */
function crlNumberOf(tagged: forge.asn1.Asn1 | undefined): bigint | undefined {
  if (!tagged || tagged.tagClass !== Class.CONTEXT_SPECIFIC || tagged.type !== 0) return undefined;
  for (const ext of children(children(tagged)[0])) {
    const [id, ...rest] = children(ext);
    if (!id || forge.asn1.derToOid(bytesOf(id)) !== OID_CRL_NUMBER) continue;
    const value = rest.at(-1);
    const inner = fromDer(Buffer.from(bytesOf(value), 'binary'));
    if (inner.type !== Type.INTEGER) throw new Error('cRLNumber is not an INTEGER');
    const hex = Buffer.from(bytesOf(inner), 'binary').toString('hex');
    return BigInt(`0x${hex || '0'}`);
  }
  return undefined;
}
