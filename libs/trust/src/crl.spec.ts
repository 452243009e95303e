import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, type CertificateAuthority } from './certificate-authority';
import { createCrl } from './crl-builder';
import { parseCrls } from './crl-reader';
import { normalizeSerial, pemBlocks } from './pem';
import { TrustErrorCode } from './trust.error';

const DAY = 86_400_000;
let ca: CertificateAuthority;
let other: CertificateAuthority;
let trusted: X509Certificate[];

beforeAll(async () => {
  [ca, other] = await Promise.all([createCa({ commonName: 'crl-CA' }), createCa({ commonName: 'crl-CA' })]);
  trusted = [new X509Certificate(ca.certPem)];
});

function reencode(der: Buffer): string {
  return `-----BEGIN X509 CRL-----\n${der.toString('base64')}\n-----END X509 CRL-----\n`;
}

describe('createCrl / parseCrls', () => {
  it('round-trips revoked serials, including ones needing a sign pad or with leading zeros', () => {
    const serials = ['5A3B01', 'FF01', '00AB', '7fffffffffffffffffffffffffffffff'];
    const pem = createCrl(ca, serials.map((serial) => ({ serial, revokedAt: new Date() })));
    const [crl] = parseCrls(pem, trusted);
    expect(crl!.revokedSerials).toEqual(new Set(serials.map(normalizeSerial)));
    expect(crl!.issuer.fingerprint256).toBe(trusted[0]!.fingerprint256);
  });

  it('writes an empty CRL with nextUpdate a year ahead by default', () => {
    const thisUpdate = new Date('2026-01-01T00:00:00Z');
    const [crl] = parseCrls(createCrl(ca, [], { thisUpdate }), trusted);
    expect(crl!.revokedSerials.size).toBe(0);
    expect(crl!.thisUpdate.toISOString()).toBe(thisUpdate.toISOString());
    expect(crl!.nextUpdate!.getTime() - thisUpdate.getTime()).toBe(365 * DAY);
  });

  it('encodes dates from 2050 on as GeneralizedTime and reads them back', () => {
    const nextUpdate = new Date('2051-06-01T12:00:00Z');
    const [crl] = parseCrls(createCrl(ca, [], { nextUpdate }), trusted);
    expect(crl!.nextUpdate!.toISOString()).toBe(nextUpdate.toISOString());
  });

  it('reads one CRL per CA from a combined file (CA rotation overlap)', () => {
    const both = createCrl(ca, [{ serial: 'AA', revokedAt: new Date() }]) + createCrl(other, [{ serial: 'BB', revokedAt: new Date() }]);
    const crls = parseCrls(both, [...trusted, new X509Certificate(other.certPem)]);
    expect(crls.map((c) => [...c.revokedSerials])).toEqual([['AA'], ['BB']]);
  });

  it('refuses a CRL signed by another CA with the same name', () => {
    expect(() => parseCrls(createCrl(other, []), trusted, 'crl.pem')).toThrow(expect.objectContaining({ code: TrustErrorCode.CrlInvalid, file: 'crl.pem' }));
  });

  it('refuses a CRL whose revoked list was altered after signing', () => {
    const der = pemBlocks(createCrl(ca, [{ serial: '5A3B01C2', revokedAt: new Date() }]))[0]!.der;
    const at = der.indexOf(Buffer.from('5a3b01c2', 'hex'));
    expect(at).toBeGreaterThan(0);
    der[at + 3] = 0xc3;
    expect(() => parseCrls(reencode(der), trusted)).toThrow(/signature does not verify/);
  });

  it('refuses a truncated CRL and text without a CRL', () => {
    const der = pemBlocks(createCrl(ca, []))[0]!.der;
    expect(() => parseCrls(reencode(der.subarray(0, der.length - 10)), trusted)).toThrow(expect.objectContaining({ code: TrustErrorCode.CrlInvalid }));
    expect(() => parseCrls('hello', trusted)).toThrow(expect.objectContaining({ code: TrustErrorCode.CrlInvalid }));
  });
});
