import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockSkew, diskFull, engineKilled, repositoryKilledMidWrite, rotationWithOpenSessions } from './test-support/chaos/chaos-scenarios';
import { startSqliteChaosSite } from './test-support/chaos/chaos-sites';
import type { ScenarioResult } from './test-support/chaos/chaos-kit';

// The bounded part of `npm run chaos` (bench/chaos.ts) inside npm test: one SQLite site, its data dir
// on a 128 MB tmpfs when run as root, faults injected while a writer records what was acknowledged.
// Every scenario must lose nothing acknowledged and leave `tz audit verify` passing. The PostgreSQL,
// Redis and two-proxy scenarios need those servers and run in `npm run chaos` only.
let site: Awaited<ReturnType<typeof startSqliteChaosSite>>;

beforeAll(async () => {
  site = await startSqliteChaosSite(128);
}, 60_000);

afterAll(async () => {
  await site?.stop();
});

function expectNothingLost(r: ScenarioResult): void {
  expect(r.observed.join('; ')).not.toMatch(/scenario failed/);
  expect(r.lost, r.observed.join('; ')).toBe(0);
  expect(r.auditChainOk, r.observed.join('; ')).toBe(true);
}

describe('chaos (bounded)', () => {
  it('kill -9 of the repository mid-write: every acknowledged stream and its audit record survive; no partial rows', async () => {
    const r = await repositoryKilledMidWrite(site);
    expectNothingLost(r);
    expect(r.acknowledged).toBeGreaterThan(0);
  }, 60_000);

  it('kill -9 of the engine while it writes the app file: the previous version opens, no temp file is left', async () => {
    expectNothingLost(await engineKilled(site, 'save', 50_000));
  }, 90_000);

  it.skipIf(process.getuid?.() !== 0)('a full data volume: writes refused with 507 STORAGE_FULL naming the repository volume (QIX: 9008 with the same text), reads work, writes resume when space returns', async () => {
    const r = await diskFull(site, site.mounted);
    expectNothingLost(r);
    expect(r.clearRefusal, r.observed.join('; ')).toBe(true);
    expect(r.observed.join('; ')).toMatch(/507 \{"error":\{"code":"STORAGE_FULL","message":"the repository's data volume is full; nothing was written/);
    // Over QIX: CreateObject on the full volume gets Qlik's LOCERR_PERSISTENCE_DISK_FULL with the same text.
    expect(r.observed.join('; ')).toMatch(/QIX writes on a full disk answered QIX error 9008: the engine's data volume is full; nothing was written/);
  }, 90_000);

  it('proxy certificate rotation with an open QIX session: the socket stays open and answers (moved to the new certificate), the same cookie also reconnects', async () => {
    const r = await rotationWithOpenSessions(site);
    expectNothingLost(r);
    expect(r.observed.join('; ')).toMatch(/the open socket stayed open; the open socket still answers/);
    expect(r.observed.join('; ')).not.toMatch(/OnSessionLoggedOut/);
  }, 60_000);

  it('a service certificate from a clock two hours ahead is refused with a log line naming it; a rotation recovers', async () => {
    const r = await clockSkew(site);
    expectNothingLost(r);
    expect(r.clearRefusal, r.observed.join('; ')).toBe(true);
  }, 60_000);
});
