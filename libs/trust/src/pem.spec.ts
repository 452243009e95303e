import { describe, expect, it } from 'vitest';
import { normalizeSerial, parseCertificate, parseCertificateBundle } from './pem';
import { TrustError, TrustErrorCode } from './trust.error';

describe('normalizeSerial', () => {
  it.each([
    ['0x00ab', 'AB'],
    ['0a:bc', '0ABC'],
    ['abc', '0ABC'],
    ['0000', '00'],
    [' ff01 ', 'FF01'],
  ])('spells %s as %s (whole bytes, like OpenSSL)', (input, expected) => {
    expect(normalizeSerial(input)).toBe(expected);
  });

  it('refuses what is not hex', () => {
    expect(() => normalizeSerial('proxy')).toThrow(TrustError);
  });
});

describe('PEM parsing', () => {
  it('names the file in every error', () => {
    for (const text of ['', 'garbage', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n']) {
      expect(() => parseCertificate(text, '/x/root.pem')).toThrow(expect.objectContaining({ code: TrustErrorCode.PemInvalid, file: '/x/root.pem', message: expect.stringContaining('/x/root.pem') }));
      expect(() => parseCertificateBundle(text, '/x/root.pem')).toThrow(expect.objectContaining({ file: '/x/root.pem' }));
    }
  });
});
