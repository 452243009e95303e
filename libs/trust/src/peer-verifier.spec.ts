import { X509Certificate, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCa, type CertificateAuthority } from './certificate-authority';
import { issueCertificate, type IssueOptions } from './certificate-issuer';
import { verifyPeerCertificate, type PeerVerifyOptions } from './peer-verifier';
import { identityAllowList, type ServiceIdentity } from './service-identity';
import { TrustErrorCode } from './trust.error';

const DAY = 86_400_000;
const siteId = randomUUID();
const proxy: ServiceIdentity = { kind: 'service', siteId, service: 'proxy' };
let ca: CertificateAuthority;
let options: PeerVerifyOptions & { trustedCas: X509Certificate[] };

beforeAll(async () => {
  ca = await createCa({ commonName: 'peer-CA' });
  options = { trustedCas: [new X509Certificate(ca.certPem)], revokedSerials: new Set(), siteId };
});

function leaf(extra: Partial<IssueOptions> = {}) {
  return issueCertificate({ ca, commonName: 'proxy', identity: proxy, usage: ['serverAuth', 'clientAuth'], ...extra });
}

describe('verifyPeerCertificate', () => {
  it('accepts a valid site certificate in every input form and returns its identity and serial', async () => {
    const cert = await leaf();
    const x = new X509Certificate(cert.certPem);
    for (const input of [cert.certPem, x.raw, x, { raw: x.raw }]) {
      expect(verifyPeerCertificate(input, options)).toEqual({ ok: true, identity: proxy, serial: cert.serial });
    }
    expect(verifyPeerCertificate(cert.certPem, { ...options, trustedCas: ca.certPem })).toMatchObject({ ok: true });
  });

  it('accepts a peer signed by either CA during a CA rotation overlap', async () => {
    const next = await createCa({ commonName: 'peer-CA-2' });
    const cert = await issueCertificate({ ca: next, commonName: 'proxy', identity: proxy, usage: ['clientAuth'] });
    const both = { ...options, trustedCas: [...options.trustedCas, new X509Certificate(next.certPem)] };
    expect(verifyPeerCertificate(cert.certPem, both).ok).toBe(true);
    expect(verifyPeerCertificate(cert.certPem, options)).toMatchObject({ ok: false, code: TrustErrorCode.PeerUntrusted });
  });

  it('denies each failure with its own code', async () => {
    const now = Date.now();
    const revoked = await leaf();
    const cases: [Promise<{ certPem: string }> | { certPem: string }, Partial<PeerVerifyOptions>, TrustErrorCode][] = [
      [leaf({ notBefore: new Date(now - 40 * DAY), notAfter: new Date(now - DAY) }), {}, TrustErrorCode.PeerExpired],
      [leaf({ notBefore: new Date(now + DAY), validityDays: 30 }), {}, TrustErrorCode.PeerNotYetValid],
      [revoked, { revokedSerials: new Set([revoked.serial]) }, TrustErrorCode.PeerRevoked],
      [leaf({ identity: { kind: 'service', siteId: randomUUID(), service: 'proxy' } }), {}, TrustErrorCode.IdentityWrongSite],
      [issueCertificate({ ca, commonName: 'anon', usage: ['clientAuth'] }), {}, TrustErrorCode.IdentityMissing],
      [leaf(), { allowed: identityAllowList(['engine']) }, TrustErrorCode.IdentityNotAllowed],
      [leaf({ usage: ['serverAuth'] }), { purpose: 'clientAuth' }, TrustErrorCode.PeerUntrusted],
      [{ certPem: ca.certPem }, {}, TrustErrorCode.PeerUntrusted],
    ];
    for (const [cert, extra, code] of cases) {
      expect(verifyPeerCertificate((await cert).certPem, { ...options, ...extra })).toMatchObject({ ok: false, code });
    }
  });

  it('uses the given clock', async () => {
    const cert = await leaf({ validityDays: 30 });
    expect(verifyPeerCertificate(cert.certPem, { ...options, now: new Date(Date.now() + 31 * DAY) })).toMatchObject({ code: TrustErrorCode.PeerExpired });
  });

  it('denies garbage without throwing', () => {
    for (const input of ['', 'not a cert', Buffer.from([0x30, 0x03, 0x02, 0x01]), { raw: Buffer.alloc(0) }]) {
      expect(verifyPeerCertificate(input, options).ok).toBe(false);
    }
  });
});
