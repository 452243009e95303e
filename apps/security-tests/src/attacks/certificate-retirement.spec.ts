import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog } from '@trustzone/logging';
import { httpRequest, startSiteProcesses, type RunningSite } from '@trustzone/site-harness';
import { sitePaths } from '@trustzone/trust';
import { eventually } from '../test-support/attack-site';
import { runTz } from '../test-support/tz-process';
import { closeZoneStores } from '../test-support/zone-client';
import { zoneAccepts, type PemPair } from '../test-support/zone-probe';

// Spoofing with a key stolen before a rotation: `tz certs rotate` must retire what it replaces, so
// the thief's certificate dies with the rotation (after a short grace period), and the audit trail
// must stop vouching for checkpoints the retired repository key signs afterwards.
let site: RunningSite;

const both = { repository: true, engine: true };
const neither = { repository: false, engine: false };

function stealPair(name: string): PemPair {
  const paths = sitePaths(site.dataDir);
  return { cert: readFileSync(paths.cert(name), 'utf8'), key: readFileSync(paths.key(name), 'utf8') };
}

beforeAll(async () => {
  // A checkpoint every 5 records: the old repository key signs some before it is retired.
  site = await startSiteProcesses({ admin: 'CORP\\admin', env: { TZ_AUDIT_CHECKPOINT_EVERY: '5' } });
}, 120_000);

afterAll(async () => {
  closeZoneStores();
  await site?.stop();
});

describe('Spoofing › retired certificates', () => {
  it('a key stolen before tz certs rotate stops working once the grace period is over; the rotated service keeps working', async () => {
    const stolen = stealPair('engine');
    expect(await zoneAccepts(site, stolen)).toEqual(both); // control: the key works before the rotation
    const r = await runTz(site, ['certs', 'rotate', 'engine']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    // The command returns after the grace period with the replaced certificate on the CRL; every
    // listener enforces a CRL change within seconds.
    await eventually(async () => JSON.stringify(await zoneAccepts(site, stolen)) === JSON.stringify(neither), 'the replaced engine certificate to be refused', 5_000);
    expect(await zoneAccepts(site, stealPair('engine'))).toEqual(both);
    const health = await httpRequest(site, site.ports.proxy, '/health', { xrfkey: false });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok' });
  });

  it('a checkpoint signed with a retired repository key after its revocation fails tz audit verify; earlier ones stay valid', async () => {
    const stolen = stealPair('repository');
    const r = await runTz(site, ['certs', 'rotate', 'repository']);
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    await eventually(async () => (await zoneAccepts(site, stolen)).engine === false, 'the replaced repository certificate to be refused', 5_000);
    await site.supervisor.stop(); // the repository closes its trail with a checkpoint (signed with its new key)

    const clean = await runTz(site, ['audit', 'verify']);
    expect(clean.code, `${clean.stdout}\n${clean.stderr}`).toBe(0);
    expect(clean.stdout).toMatch(/^OK: /);

    // The thief appends to the trail and signs it with the retired key, time-stamped now.
    const log = await openAuditLog({ dir: sitePaths(site.dataDir).audit, signer: { certPem: stolen.cert, keyPem: stolen.key } });
    await log.append({ actor: { service: 'repository' }, action: 'entity.delete', outcome: 'success', target: { type: 'App', id: 'evidence' } });
    await log.close();

    const forged = await runTz(site, ['audit', 'verify']);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toMatch(/BAD: record seq \d+ .* is bad-signature: .*revoked/);
  });
});
