import { X509Certificate } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectAnchors } from './anchor-pinning';
import { crossCertify, rotateSiteCa } from './ca-rotation';
import { createCa, type CertificateAuthority } from './certificate-authority';
import { issueCertificate } from './certificate-issuer';
import { revokeCert } from './cert-revocation';
import { rotateServiceCert } from './cert-rotation';
import { createCrl } from './crl-builder';
import { exportIntegrationCert } from './integration-export';
import { identityAllowList } from './service-identity';
import { loadTlsMaterial } from './tls-material';
import { clientTlsOptions } from './tls-options';
import { openTrustStore, type TrustStore } from './trust-store';
import { bindServerToTrustStore, verifyTlsSocketPeer } from './trust-store-server';
import { TrustErrorCode, type TrustError } from './trust.error';
import { cloneTempSite, type TempSite } from './test-support/temp-site';
import { probe, startProbeServer, type ProbeServer } from './test-support/tls-probe';
import { join } from 'node:path';

let site: TempSite;
let store: TrustStore;
let server: ProbeServer;

beforeEach(async () => {
  site = await cloneTempSite();
  store = openTrustStore({ certsDir: site.paths.certs, name: 'repository', pollMs: 100 });
  server = await startProbeServer(store.serverTlsOptions({ requireClientCert: true }), (s) => verifyTlsSocketPeer(s, store));
  bindServerToTrustStore(server.server, store, { requireClientCert: true });
});

afterEach(async () => {
  await server.close();
  store.close();
  site.cleanup();
});

/** Client options presenting `pair`, trusting the site's CAs for the server. */
function presenting(pair: { certPem: string; keyPem: string }) {
  const proxy = loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' });
  return { ...clientTlsOptions(proxy, { expect: identityAllowList(['repository']) }), cert: pair.certPem, key: pair.keyPem };
}

async function accepted(pair: { certPem: string; keyPem: string }): Promise<boolean> {
  return (await probe(server.port, presenting(pair))).accepted;
}

function next<K extends 'change' | 'error' | 'anchor-refused'>(event: K): Promise<K extends 'change' ? unknown : TrustError> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${event} event`)), 5000);
    store.once(event, ((arg: unknown) => {
      clearTimeout(t);
      resolve(arg as never);
    }) as never);
  });
}

async function until(done: () => Promise<boolean> | boolean, what: string, limitMs = 5000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`not within ${limitMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A client certificate claiming the proxy identity of this site, issued by `ca`. */
async function proxyCertFrom(ca: CertificateAuthority) {
  return issueCertificate({ ca, commonName: 'proxy', identity: { kind: 'service', siteId: site.manifest.siteId, service: 'proxy' }, dnsNames: ['localhost'], usage: ['clientAuth', 'serverAuth'] });
}

describe('trust anchors of a running TrustStore', () => {
  it('refuses a CA appended to root.pem with a CRL it signs, and keeps applying genuine changes', async () => {
    const rogue = await createCa({ commonName: 'test-site-CA' }); // the site CA's own name
    const minted = await proxyCertFrom(rogue);
    const refused = next('anchor-refused');
    appendFileSync(site.paths.cert('root'), rogue.certPem);
    appendFileSync(site.paths.crl, createCrl(rogue, [], { crlNumber: 1 }));
    const err = await refused;
    expect(err.code).toBe(TrustErrorCode.AnchorNotEndorsed);
    expect(err.message).toContain(new X509Certificate(rogue.certPem).fingerprint256);
    expect(store.current().trustedCas.map((c) => c.fingerprint256)).toEqual([new X509Certificate(site.root.certPem).fingerprint256]);
    expect(store.current().caPem).not.toContain(rogue.certPem.split('\n')[1]);
    expect(await accepted(minted)).toBe(false);
    // The rest of the files still load: a genuine revocation made afterwards is enforced.
    const portal = await exportIntegrationCert(site.paths.dataDir, 'portal', join(site.paths.dataDir, '..', 'portal'));
    await revokeCert(site.paths.dataDir, 'portal');
    await until(() => store.revokedSerials().has(portal.serial), 'the revocation to load');
    expect(await accepted(minted)).toBe(false);
  });

  it('ignores an endorsement that no trusted CA signed (self-endorsed or by another rogue)', async () => {
    const rogue = await createCa({ commonName: 'test-site-CA' });
    const accomplice = await createCa({ commonName: 'test-site-CA' });
    const offered = [new X509Certificate(site.root.certPem), new X509Certificate(rogue.certPem)];
    const pinned = new Set([offered[0]!.fingerprint256]);
    for (const by of [rogue, accomplice]) {
      const forged = [new X509Certificate(crossCertify(by, rogue))];
      expect(selectAnchors(offered, pinned, forged, new Date()).untrusted.map((c) => c.fingerprint256)).toEqual([offered[1]!.fingerprint256]);
    }
    // An endorsement of another CA's key under the same name does not carry over.
    const genuineForOther = [new X509Certificate(crossCertify(site.root, accomplice))];
    expect(selectAnchors(offered, pinned, genuineForOther, new Date()).untrusted).toHaveLength(1);
    // Expired endorsements count for nothing.
    expect(selectAnchors(offered, pinned, [new X509Certificate(crossCertify(site.root, rogue))], new Date(Date.now() + 20 * 365 * 86_400_000)).untrusted).toHaveLength(1);
  });

  it('trusts a CA added through the rotation path without restart, across successive rotations', async () => {
    const first = await rotateSiteCa(site.paths.dataDir);
    await rotateServiceCert(site.paths.dataDir, 'proxy', { graceSeconds: 3600 });
    const newProxy = { certPem: readFileSync(site.paths.cert('proxy'), 'utf8'), keyPem: readFileSync(site.paths.key('proxy'), 'utf8') };
    await until(async () => accepted(newProxy), 'the endorsed CA to be trusted');
    expect(store.current().trustedCas.map((c) => c.fingerprint256)).toEqual([first.previous, first.next]);

    // A second rotation is endorsed by the first new CA only: trust follows the chain of endorsements.
    const second = await rotateSiteCa(site.paths.dataDir);
    await rotateServiceCert(site.paths.dataDir, 'repository', { graceSeconds: 3600 });
    await until(() => store.current().serial === loadTlsMaterial({ certsDir: site.paths.certs, name: 'repository' }).serial, 'the repository certificate of the third CA to load');
    expect(store.current().trustedCas.map((c) => c.fingerprint256)).toEqual([first.previous, first.next, second.next]);
    expect(store.current().untrustedCas).toEqual([]);
  });
});

describe('CRL freshness of a running TrustStore', () => {
  it('refuses an older CRL put back over a newer one, and takes the next newer one', async () => {
    const portal = await exportIntegrationCert(site.paths.dataDir, 'portal', join(site.paths.dataDir, '..', 'portal'));
    const old = readFileSync(site.paths.crl, 'utf8');
    await revokeCert(site.paths.dataDir, 'portal');
    await until(() => store.revokedSerials().has(portal.serial), 'the revocation to load');
    const loaded = [...store.current().crlNumbers.values()][0]!;

    const refused = next('error');
    writeFileSync(site.paths.crl, old);
    const err = await refused;
    expect(err.code).toBe(TrustErrorCode.CrlRollback);
    expect(err.message).toMatch(new RegExp(`CRL number ${loaded - 1n} is lower than ${loaded}`));
    expect(store.revokedSerials().has(portal.serial)).toBe(true);

    // The CA writes a newer CRL (an unrelated revocation): it loads, and the portal stays revoked.
    const other = await exportIntegrationCert(site.paths.dataDir, 'other', join(site.paths.dataDir, '..', 'other'));
    await revokeCert(site.paths.dataDir, 'other');
    await until(() => store.revokedSerials().has(other.serial), 'the newer CRL to load');
    expect(store.revokedSerials().has(portal.serial)).toBe(true);
  });

  it('a CA rotation after an older CRL was put back re-signs it: services load the rotation, nothing is un-revoked', async () => {
    const portal = await exportIntegrationCert(site.paths.dataDir, 'portal', join(site.paths.dataDir, '..', 'portal'));
    const old = readFileSync(site.paths.crl, 'utf8');
    await revokeCert(site.paths.dataDir, 'portal');
    await until(() => store.revokedSerials().has(portal.serial), 'the revocation to load');
    writeFileSync(site.paths.crl, old);
    const rotation = await rotateSiteCa(site.paths.dataDir);
    await until(() => store.current().trustedCas.length === 2, 'the rotation to load');
    expect(store.current().trustedCas.map((c) => c.fingerprint256)).toEqual([rotation.previous, rotation.next]);
    expect(store.revokedSerials().has(portal.serial)).toBe(true);
  });

  it('reads the CRL number and the revocation dates', async () => {
    const portal = await exportIntegrationCert(site.paths.dataDir, 'portal', join(site.paths.dataDir, '..', 'portal'));
    const at = new Date('2031-02-03T04:05:06Z');
    await revokeCert(site.paths.dataDir, 'portal', { now: at });
    const m = loadTlsMaterial({ certsDir: site.paths.certs, name: 'engine' });
    expect(m.revokedAt.get(portal.serial)?.toISOString()).toBe('2031-02-03T04:05:06.000Z');
    expect([...m.crlNumbers.values()]).toEqual([2n]);
  });
});
