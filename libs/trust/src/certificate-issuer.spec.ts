import { X509Certificate, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, type CertificateAuthority } from './certificate-authority';
import { issueCertificate } from './certificate-issuer';
import { identityFromCertificate } from './peer-certificate';
import { normalizeSerial } from './pem';
import { TrustError } from './trust.error';

const DAY = 86_400_000;
let ca: CertificateAuthority;

beforeAll(async () => {
  ca = await createCa({ commonName: 'unit_site-CA' });
});

describe('createCa', () => {
  it('makes a self-signed CA certificate that matches its key and lasts ten years', () => {
    const x = new X509Certificate(ca.certPem);
    expect(x.ca).toBe(true);
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkPrivateKey(ca.privateKey)).toBe(true);
    expect(x.subject).toContain('CN=unit_site-CA');
    const years = (new Date(x.validTo).getTime() - new Date(x.validFrom).getTime()) / (365 * DAY);
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
  });
});

describe('issueCertificate', () => {
  it('signs a leaf that verifies against the CA and carries identity, SANs and usages', async () => {
    const siteId = randomUUID();
    const leaf = await issueCertificate({ ca, commonName: 'proxy', identity: { kind: 'service', siteId, service: 'proxy' }, dnsNames: ['proxy', 'localhost'], ipAddresses: ['127.0.0.1'], usage: ['serverAuth', 'clientAuth'] });
    const x = new X509Certificate(leaf.certPem);
    const root = new X509Certificate(ca.certPem);
    expect(x.ca).toBe(false);
    expect(x.checkIssued(root)).toBe(true);
    expect(x.verify(root.publicKey)).toBe(true);
    expect(x.checkPrivateKey(leaf.privateKey)).toBe(true);
    expect(normalizeSerial(x.serialNumber)).toBe(leaf.serial);
    expect(leaf.serial).toBe(x.serialNumber); // our spelling is node's
    expect(identityFromCertificate(x)).toEqual({ kind: 'service', siteId, service: 'proxy' });
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
  });

  it('honours explicit past and future validity windows', async () => {
    const notBefore = new Date(Date.now() - 40 * DAY);
    const notAfter = new Date(Date.now() - 10 * DAY);
    const old = new X509Certificate((await issueCertificate({ ca, commonName: 'x', usage: ['clientAuth'], notBefore, notAfter })).certPem);
    expect(new Date(old.validFrom).getTime()).toBe(Math.floor(notBefore.getTime() / 1000) * 1000);
    expect(new Date(old.validTo).getTime()).toBe(Math.floor(notAfter.getTime() / 1000) * 1000);
  });

  it('gives different serials to every certificate', async () => {
    const serials = await Promise.all([1, 2, 3].map(async () => (await issueCertificate({ ca, commonName: 'x', usage: ['clientAuth'] })).serial));
    expect(new Set(serials).size).toBe(3);
  });

  it.each([
    ['a bad DNS name', { dnsNames: ['bad name'] }],
    ['a bad IP', { ipAddresses: ['300.1.1.1'] }],
    ['no usage', { usage: [] }],
    ['an end before the start', { notBefore: new Date(), notAfter: new Date(Date.now() - DAY) }],
    ['a life beyond the CA', { validityDays: 20_000 }],
  ])('refuses %s', async (_label, extra) => {
    await expect(issueCertificate({ ca, commonName: 'x', usage: ['clientAuth'], ...extra })).rejects.toBeInstanceOf(TrustError);
  });
});
