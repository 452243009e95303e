import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { healthHandlers, HealthService, TrustZoneServer, trustZoneTls } from '@trustzone/contracts';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { EnginePool, SLOW_PROBES_TO_MARK_DOWN } from './engine-pool';

// Real engines as far as the pool can tell: gRPC servers over mutual TLS with engine certificates
// from a real site CA, answering Health.Check — slowly when a test says so (a busy engine on a
// loaded machine), or not at all once shut down (a killed one).
let site: TestSite;
const PROBE_MS = 600; // the probe deadline is min(1.5 s, probeMs): 600 ms here
const started: { server: TrustZoneServer; address: string; delay: { ms: number } }[] = [];
const pools: EnginePool[] = [];

async function engine(): Promise<(typeof started)[number]> {
  const store = site.store('engine');
  const server = new TrustZoneServer({ tls: trustZoneTls(store) });
  const delay = { ms: 0 };
  server.addService(HealthService.service, healthHandlers({
    service: 'engine',
    version: 't',
    certificate: () => ({ serial: store.current().serial, notAfter: store.current().notAfter.toISOString() }),
    checks: async () => {
      if (delay.ms > 0) await new Promise((r) => setTimeout(r, delay.ms));
      return {};
    },
  }));
  const port = await server.listen('127.0.0.1', 0);
  const e = { server, address: `localhost:${port}`, delay };
  started.push(e);
  return e;
}

function pool(...engines: { address: string }[]): EnginePool {
  const p = new EnginePool(engines.map((e) => e.address), trustZoneTls(site.store('proxy')), PROBE_MS);
  pools.push(p);
  return p;
}

beforeAll(async () => {
  site = await createTestSite();
}, 60_000);

afterEach(async () => {
  for (const p of pools.splice(0)) p.close();
  await Promise.all(started.splice(0).map((e) => e.server.shutdown(0)));
});

afterAll(() => site?.cleanup());

describe('EnginePool under a slow health check', () => {
  it('an engine that answers one probe late stays up: new sessions still get it', async () => {
    const only = await engine();
    const p = pool(only);
    await p.probe();
    expect(p.status()).toEqual({ [only.address]: 'ok' });
    only.delay.ms = PROBE_MS * 2; // one probe times out: busy, not dead
    await p.probe();
    only.delay.ms = 0;
    expect(p.status()).toEqual({ [only.address]: 'ok' });
    expect(p.pick('session-1').address).toBe(only.address);
  });

  it('an engine whose probes time out SLOW_PROBES_TO_MARK_DOWN times in a row is taken out; one answer puts it back', async () => {
    const [slow, fast] = [await engine(), await engine()];
    const p = pool(slow, fast);
    slow.delay.ms = PROBE_MS * 2;
    for (let i = 1; i < SLOW_PROBES_TO_MARK_DOWN; i++) {
      await p.probe();
      expect(p.status()[slow.address]).toBe('ok');
    }
    await p.probe();
    expect(p.status()).toEqual({ [slow.address]: 'unavailable', [fast.address]: 'ok' });
    for (let i = 0; i < 4; i++) expect(p.pick(`s${i}`).address).toBe(fast.address);
    slow.delay.ms = 0;
    await p.probe();
    expect(p.status()[slow.address]).toBe('ok');
  });

  it('with every engine marked down (as after an UNAVAILABLE stream) a session still gets one to try, not a refusal', async () => {
    const only = await engine();
    const p = pool(only);
    p.markDown(p.pick());
    expect(p.anyUp()).toBe(false);
    expect(p.pick('session-2').address).toBe(only.address);
    expect(p.pick().address).toBe(only.address);
  });
});

describe('EnginePool with a dead engine', () => {
  it('a killed engine is taken out at the first probe after it died, and new sessions fail over to the live one', async () => {
    const [doomed, live] = [await engine(), await engine()];
    const p = pool(doomed, live);
    await p.probe();
    // Sessions already on the doomed engine, and new ones round robin over both.
    const onDoomed = ['a', 'b', 'c', 'd'].filter((k) => p.pick(k).address === doomed.address);
    expect(onDoomed.length).toBeGreaterThan(0);
    await doomed.server.shutdown(0);
    const t0 = Date.now();
    await p.probe();
    // Connection refused answers at once: no waiting for the probe deadline, let alone three.
    expect(Date.now() - t0).toBeLessThan(PROBE_MS);
    expect(p.status()).toEqual({ [doomed.address]: 'unavailable', [live.address]: 'ok' });
    for (const k of onDoomed) expect(p.pick(k).address).toBe(live.address);
    for (let i = 0; i < 4; i++) expect(p.pick().address).toBe(live.address);
  });
});
