import { X509Certificate } from 'node:crypto';
import { TrustError, TrustErrorCode } from './trust.error';

/** A CA bundle of more than a handful of certs is a mistake or an attack; refuse it early. */
const MAX_CERTS_PER_BUNDLE = 16;
const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END \1-----/g;

export interface PemBlock {
  type: string;
  der: Buffer;
  pem: string;
}

/** Splits PEM text into its blocks; text between blocks is ignored, as OpenSSL does. */
export function pemBlocks(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const type = m[1] ?? '';
    const body = (m[2] ?? '').replace(/\s+/g, '');
    out.push({ type, der: Buffer.from(body, 'base64'), pem: `${m[0].replace(/\r\n/g, '\n')}\n` });
  }
  return out;
}

function where(file: string | undefined): string {
  return file ? `${file}: ` : '';
}

/** One certificate; `file` only names the source in the error. */
export function parseCertificate(pem: string | Buffer, file?: string): X509Certificate {
  const text = typeof pem === 'string' ? pem : pem.toString('utf8');
  const blocks = pemBlocks(text).filter((b) => b.type === 'CERTIFICATE');
  if (blocks.length !== 1) {
    throw new TrustError(TrustErrorCode.PemInvalid, `${where(file)}expected exactly one PEM certificate, found ${blocks.length}`, file);
  }
  return parseDer(blocks[0]!.der, file);
}

/** Every certificate of a bundle (CA rotation keeps old and new CA side by side in one file). */
export function parseCertificateBundle(pem: string, file?: string): X509Certificate[] {
  const blocks = pemBlocks(pem).filter((b) => b.type === 'CERTIFICATE');
  if (blocks.length === 0) throw new TrustError(TrustErrorCode.PemInvalid, `${where(file)}no PEM certificate found`, file);
  if (blocks.length > MAX_CERTS_PER_BUNDLE) {
    throw new TrustError(TrustErrorCode.PemInvalid, `${where(file)}more than ${MAX_CERTS_PER_BUNDLE} certificates in one bundle`, file);
  }
  return blocks.map((b) => parseDer(b.der, file));
}

function parseDer(der: Buffer, file: string | undefined): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch {
    throw new TrustError(TrustErrorCode.PemInvalid, `${where(file)}not a valid X.509 certificate`, file);
  }
}

/**
 * The one spelling of a serial we compare: uppercase hex, whole bytes, no leading zero bytes and
 * no separators — what node's X509Certificate.serialNumber and OpenSSL print.
 */
export function normalizeSerial(serial: string): string {
  const hex = serial.trim().replace(/^0x/i, '').replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{1,80}$/.test(hex)) throw new TrustError(TrustErrorCode.InvalidArgument, `not a certificate serial: ${JSON.stringify(serial.slice(0, 100))}`);
  const stripped = hex.replace(/^0+/, '');
  if (stripped === '') return '00';
  return stripped.length % 2 === 1 ? `0${stripped}` : stripped;
}

export function looksLikeSerial(value: string): boolean {
  return /^(0x)?[0-9a-fA-F:]{8,80}$/.test(value.trim());
}

/** Node renders dates as "Jan  1 00:00:00 2030 GMT"; V8 parses that, but fail closed if it ever stops. */
export function certificateDate(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new TrustError(TrustErrorCode.PemInvalid, `unreadable certificate date: ${value}`);
  return d;
}
