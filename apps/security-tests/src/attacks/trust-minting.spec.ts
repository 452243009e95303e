import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, integrationCert, startSiteProcesses, type RunningSite } from '@trustzone/site-harness';
import { createCa, createCrl, issueCertificate, readSiteManifest, revokeCert, sitePaths } from '@trustzone/trust';
import { eventually, sleep } from '../test-support/attack-site';
import { runTz } from '../test-support/tz-process';
import { closeZoneStores } from '../test-support/zone-client';
import { zoneAccepts, type PemPair } from '../test-support/zone-probe';

// Tampering with the trust material on disk: whoever can write certs/ (a compromised service on a
// shared volume, a restored backup) tries to mint identities or undo a revocation. The running
// services must keep trusting only the CAs they started with plus those added through the
// rotation path (endorsed by a trusted CA key), and never go back to an older CRL.
let site: RunningSite;
let portal: PemPair;

/** Files are watched with a 1 s poll and reloaded with retries: 3 s is several reload chances. */
const RELOAD_WINDOW_MS = 3_000;

const both = { repository: true, engine: true };
const neither = { repository: false, engine: false };

async function serviceLogs(): Promise<string> {
  const dir = sitePaths(site.dataDir).logs;
  return ['repository', 'engine'].map((s) => { try { return readFileSync(join(dir, `${s}.log`), 'utf8'); } catch { return ''; } }).join('\n');
}

beforeAll(async () => {
  site = await startSiteProcesses({ admin: 'CORP\\admin' });
  portal = await integrationCert(site, 'portal');
}, 120_000);

afterAll(async () => {
  closeZoneStores();
  await site?.stop();
});

describe('Tampering › trust material', () => {
  it('a CA appended to root.pem with a CRL it signs mints no identity: running services refuse its certificates', async () => {
    const paths = sitePaths(site.dataDir);
    const siteId = readSiteManifest(paths.siteJson).siteId;
    // The attacker's CA carries the site CA's own name, so nothing but the key tells it apart.
    const rogue = await createCa({ commonName: 'e2e-CA' });
    const minted = await issueCertificate({ ca: rogue, commonName: 'proxy', identity: { kind: 'service', siteId, service: 'proxy' }, dnsNames: ['localhost'], usage: ['clientAuth', 'serverAuth'] });
    const forged = { cert: minted.certPem, key: minted.keyPem };
    expect(await zoneAccepts(site, portal)).toEqual(both); // control: a genuine certificate

    appendFileSync(paths.cert('root'), rogue.certPem);
    appendFileSync(paths.crl, createCrl(rogue, [], { crlNumber: 1 }));
    // A genuine revocation right after, through the CA: once the services enforce it they have
    // reloaded the files with the attacker's CA in them.
    const victim = await integrationCert(site, 'victim');
    await revokeCert(site.dataDir, 'victim');
    await eventually(async () => (await zoneAccepts(site, victim)).repository === false && (await zoneAccepts(site, victim)).engine === false, 'the revocation to be enforced');

    expect(await zoneAccepts(site, forged)).toEqual(neither);
    expect(await zoneAccepts(site, portal)).toEqual(both);
    const fingerprint = new X509Certificate(rogue.certPem).fingerprint256;
    expect(await serviceLogs()).toContain(fingerprint);
  });

  it('an old CRL restored over a newer one un-revokes nothing on running services', async () => {
    const paths = sitePaths(site.dataDir);
    const leaked = await integrationCert(site, 'leaked');
    await eventually(async () => (await zoneAccepts(site, leaked)).repository && (await zoneAccepts(site, leaked)).engine, 'the new certificate to be accepted');
    const before = readFileSync(paths.crl, 'utf8');
    await revokeCert(site.dataDir, 'leaked');
    await eventually(async () => JSON.stringify(await zoneAccepts(site, leaked)) === JSON.stringify(neither), 'the revocation to be enforced');

    writeFileSync(paths.crl, before); // the attacker restores the CRL from before the revocation
    await sleep(RELOAD_WINDOW_MS);
    expect(await zoneAccepts(site, leaked)).toEqual(neither);
    expect(await zoneAccepts(site, portal)).toEqual(both);
    expect(await serviceLogs()).toMatch(/CRL number \d+ is lower than \d+/);
  });

  it('a CA added through the rotation path (tz certs rotate-ca) is trusted by running services without restart', async () => {
    const r = await runTz(site, ['certs', 'rotate-ca', '--grace', '1']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    const paths = sitePaths(site.dataDir);
    const renewed = { cert: readFileSync(paths.cert('cli'), 'utf8'), key: readFileSync(paths.key('cli'), 'utf8') };
    const roots = readFileSync(paths.cert('root'), 'utf8');
    // The new cli certificate is signed by the new CA, which only the rotation made trusted.
    const issuer = new X509Certificate(renewed.cert);
    const newCa = (roots.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? []).map((p) => new X509Certificate(p)).find((ca) => issuer.checkIssued(ca) && issuer.verify(ca.publicKey));
    expect(newCa).toBeDefined();
    await eventually(async () => JSON.stringify(await zoneAccepts(site, renewed)) === JSON.stringify(both), 'the new CA to be trusted');
    // The site as a whole works on the new certificates (the replaced ones are revoked by now):
    // the proxy reaches both services.
    await eventually(async () => (await httpRequest(site, site.ports.proxy, '/health', { xrfkey: false })).status === 200, 'the proxy to reach both services');
    expect((await httpRequest(site, site.ports.proxy, '/health', { xrfkey: false })).json).toMatchObject({ status: 'ok' });
  });
});
