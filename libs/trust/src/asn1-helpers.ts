import forge from 'node-forge';

const { asn1 } = forge;
export const { Class, Type } = asn1;

export function seq(value: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, value);
}

export function oid(id: string): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(id).getBytes());
}

/** DER INTEGER from a hex string: two's complement, so a leading byte >= 0x80 needs a 0x00 pad. */
export function integerFromHex(hex: string): forge.asn1.Asn1 {
  let h = hex.length % 2 === 1 ? `0${hex}` : hex;
  if (parseInt(h.slice(0, 2), 16) >= 0x80) h = `00${h}`;
  return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, forge.util.hexToBytes(h));
}

/** RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050 on. */
export function time(date: Date): forge.asn1.Asn1 {
  return date.getUTCFullYear() < 2050
    ? asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));
}

export function readTime(node: forge.asn1.Asn1 | undefined): Date | undefined {
  if (!node || node.tagClass !== Class.UNIVERSAL || typeof node.value !== 'string') return undefined;
  if (node.type === Type.UTCTIME) return asn1.utcTimeToDate(node.value);
  if (node.type === Type.GENERALIZEDTIME) return asn1.generalizedTimeToDate(node.value);
  return undefined;
}

export function isTime(node: forge.asn1.Asn1 | undefined): boolean {
  return !!node && node.tagClass === Class.UNIVERSAL && (node.type === Type.UTCTIME || node.type === Type.GENERALIZEDTIME);
}

export function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

export function bytesOf(node: forge.asn1.Asn1 | undefined): string {
  return node && typeof node.value === 'string' ? node.value : '';
}

export function toDer(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(asn1.toDer(node).getBytes(), 'binary');
}

export function fromDer(der: Buffer): forge.asn1.Asn1 {
  // strict parsing: trailing bytes or bad lengths throw instead of being guessed at
  const parse = asn1.fromDer as unknown as (bytes: forge.util.ByteStringBuffer, options: object) => forge.asn1.Asn1;
  return parse(forge.util.createBuffer(der.toString('binary')), { strict: true, parseAllBytes: true, decodeBitStrings: false });
}

/**
 * Byte span of the first element inside the SEQUENCE at `der[0]`. Signatures cover the exact
 * encoded bytes, so they are sliced from the input rather than re-encoded.
 */
export function firstChildSpan(der: Buffer): Buffer {
  const outer = headerAt(der, 0);
  const inner = headerAt(der, outer.header);
  return der.subarray(outer.header, outer.header + inner.header + inner.length);
}

function headerAt(der: Buffer, at: number): { header: number; length: number } {
  const first = der[at + 1];
  if (first === undefined) throw new Error('truncated DER');
  if (first < 0x80) return { header: 2, length: first };
  const n = first & 0x7f;
  if (n === 0 || n > 4) throw new Error('unsupported DER length');
  let length = 0;
  for (let i = 0; i < n; i++) {
    const b = der[at + 2 + i];
    if (b === undefined) throw new Error('truncated DER');
    length = length * 256 + b;
  }
  if (at + 2 + n + length > der.length) throw new Error('truncated DER');
  return { header: 2 + n, length };
}

/** The DER of a certificate's subject Name, byte for byte, so a CRL's issuer matches exactly. */
export function subjectNameOfCertificate(certDer: Buffer): forge.asn1.Asn1 {
  const tbs = children(fromDer(certDer))[0];
  const fields = children(tbs);
  const offset = fields[0]?.tagClass === Class.CONTEXT_SPECIFIC ? 1 : 0;
  const subject = fields[offset + 4];
  if (!subject) throw new Error('certificate has no subject');
  return subject;
}
