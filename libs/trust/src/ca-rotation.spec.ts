import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { selectAnchors } from './anchor-pinning';
import { rotateSiteCa } from './ca-rotation';
import { revokeCert } from './cert-revocation';
import { rotateServiceCert } from './cert-rotation';
import { parseCrls } from './crl-reader';
import { parseCertificateBundle } from './pem';
import { identityAllowList } from './service-identity';
import { loadTlsMaterial } from './tls-material';
import { clientTlsOptions, serverTlsOptions } from './tls-options';
import { cloneTempSite, type TempSite } from './test-support/temp-site';
import { probe, startProbeServer } from './test-support/tls-probe';
import { verifyPeerCertificate } from './peer-verifier';

let site: TempSite;
beforeEach(async () => {
  site = await cloneTempSite();
});
afterEach(() => site.cleanup());

/** A zone listener for `name` and a probe as `client`, both from the files as they are now. */
async function handshake(server: string, client: { certPem: string; keyPem: string }) {
  const material = loadTlsMaterial({ certsDir: site.paths.certs, name: server });
  const listener = await startProbeServer(serverTlsOptions(material, { requireClientCert: true }), (s) =>
    verifyPeerCertificate(s.getPeerCertificate(), { trustedCas: material.trustedCas, revokedSerials: material.revokedSerials, siteId: site.manifest.siteId }),
  );
  const proxy = loadTlsMaterial({ certsDir: site.paths.certs, name: 'proxy' });
  try {
    return await probe(listener.port, { ...clientTlsOptions(proxy, { expect: identityAllowList([server]) }), cert: client.certPem, key: client.keyPem });
  } finally {
    await listener.close();
  }
}

describe('site CA rotation with an overlap period (README procedure)', () => {
  it('trusts old and new CA during the overlap, signs with the new one, keeps both CRLs', async () => {
    const oldProxy = { certPem: readFileSync(site.paths.cert('proxy'), 'utf8'), keyPem: readFileSync(site.paths.key('proxy'), 'utf8') };
    // steps 1 and 2: trust both (the new CA endorsed by the old one), sign with the new one …
    const rotation = await rotateSiteCa(site.paths.dataDir);
    const roots = parseCertificateBundle(readFileSync(site.paths.cert('root'), 'utf8'));
    expect(roots.map((r) => r.fingerprint256)).toEqual([new X509Certificate(site.root.certPem).fingerprint256, rotation.next]);
    const newRoot = roots[1]!;
    const endorsement = parseCertificateBundle(readFileSync(site.paths.endorsements, 'utf8'));
    expect(selectAnchors(roots, new Set([rotation.previous]), endorsement, new Date()).trusted).toEqual(roots);
    // … and re-issue everything (long grace: the old-CA proxy certificate is used below).
    for (const s of ['proxy', 'repository', 'engine', 'cli'] as const) await rotateServiceCert(site.paths.dataDir, s, { graceSeconds: 3600 });
    expect(new X509Certificate(readFileSync(site.paths.cert('engine'))).checkIssued(newRoot)).toBe(true);
    expect(parseCrls(readFileSync(site.paths.crl, 'utf8'), roots).map((c) => c.issuer.fingerprint256).sort()).toEqual(roots.map((r) => r.fingerprint256).sort());

    // new-CA server and client, and an old-CA client still inside the overlap
    const newProxy = { certPem: readFileSync(site.paths.cert('proxy'), 'utf8'), keyPem: readFileSync(site.paths.key('proxy'), 'utf8') };
    expect(await handshake('repository', newProxy)).toMatchObject({ accepted: true });
    expect(await handshake('repository', oldProxy)).toMatchObject({ accepted: true });

    // revocation keeps working under the new CA
    await revokeCert(site.paths.dataDir, new X509Certificate(newProxy.certPem).serialNumber, { includeCurrent: true });
    expect((await handshake('repository', newProxy)).accepted).toBe(false);

    // step 3: drop the old CA and its CRL; old-CA certificates stop working
    writeFileSync(site.paths.cert('root'), newRoot.toString());
    const crls = readFileSync(site.paths.crl, 'utf8').split(/(?<=-----END X509 CRL-----\n)/).filter((b) => b.trim());
    writeFileSync(site.paths.crl, crls.find((b) => b.includes('BEGIN') && parseCrlsOrNone(b, newRoot))!);
    expect((await handshake('repository', oldProxy)).accepted).toBe(false);
  });
});

function parseCrlsOrNone(pem: string, ca: X509Certificate): boolean {
  try {
    return parseCrls(pem, [ca]).length === 1;
  } catch {
    return false;
  }
}
