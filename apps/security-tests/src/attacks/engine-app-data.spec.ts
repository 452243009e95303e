import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sitePaths } from '@trustzone/trust';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startAttackSite, type AttackSite } from '../test-support/attack-site';
import { assertedUser, closeZoneStores, siteTls, zoneClients, type ZoneClients } from '../test-support/zone-client';
import { createApp, inline } from '../test-support/site-content';

// Elevation of privilege at the engine's app-data calls (issue 15, finding 12): every engine RPC
// asks the repository whether the asserted user may do what it asks, so a proxy bug (or a
// compromised proxy) cannot turn "a user" into "any app's data". DeleteAppData did not ask.
let a: AttackSite;
let zone: ZoneClients;
let app: string;
const DEADLINE = 10_000;

beforeAll(async () => {
  a = await startAttackSite();
  app = await createApp(a, 'Owned by the admin', inline('T', ['K', 'V'], [['a', 1], ['b', 2]]));
  zone = zoneClients(a.site, siteTls(a.site, 'proxy'));
}, 120_000);

afterAll(async () => {
  zone?.close();
  closeZoneStores();
  await a?.stop();
});

const info = () => zone.engine.unary('AppDataInfo', { appId: app }, { deadlineMs: DEADLINE, user: assertedUser(ADMIN) });

describe('Elevation of privilege › engine app data', () => {
  it('DeleteAppData for a user who may not delete the app is refused and the data stays', async () => {
    expect((await info()).exists).toBe(true);
    // eve may not even read the app; the call carries a genuine proxy certificate.
    const refused = await zone.engine.unary('DeleteAppData', { appId: app }, { deadlineMs: DEADLINE, user: assertedUser('CORP\\eve') }).then(() => 'deleted', (e: { code?: string }) => e.code);
    expect(refused).toBe('NOT_FOUND');
    expect((await info()).exists).toBe(true);
    // Same answer for an app that does not exist: the refusal reveals nothing.
    const missing = await zone.engine.unary('DeleteAppData', { appId: '00000000-0000-4000-8000-000000000000' }, { deadlineMs: DEADLINE, user: assertedUser('CORP\\eve') }).then(() => 'deleted', (e: { code?: string }) => e.code);
    expect(missing).toBe('NOT_FOUND');
  });

  it('deleting an app through /qrs still removes its data, for a user allowed to delete it', async () => {
    const doomed = await createApp(a, 'To delete', inline('T', ['K'], [['x']]));
    const file = join(sitePaths(a.site.dataDir).apps, `${doomed}.tzapp`);
    expect(existsSync(file)).toBe(true);
    expect((await a.as(ADMIN, 'DELETE', `/qrs/app/${doomed}`)).status).toBe(204);
    expect((await a.as(ADMIN, 'GET', `/qrs/app/${doomed}`)).status).toBe(404);
    expect(existsSync(file)).toBe(false);
  });
});
