import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, startSiteProcesses, ticketLogin, type RunningSite } from '@trustzone/site-harness';
import { api, expectOk, portal, type Actor } from './test-support/site-fixture';

// An engine that accepts connections and never answers (SIGSTOP here; in containers, a stopped
// engine's name that hangs instead of refusing): its probes time out until the pool takes it out,
// and a new QIX socket must then end with 1011 after one short try — not after 3 × 15 s — and work
// again once the engine answers.
let site: RunningSite;
let admin: Actor;
let appId: string;
let enginePid = 0;

beforeAll(async () => {
  site = await startSiteProcesses();
  admin = { cert: await portal(site), as: 'CORP\\admin' };
  appId = (expectOk(await api(site, admin, 'POST', '/qrs/app', { name: 'Hang' }), 'create app') as { id: string }).id;
  expectOk(await api(site, admin, 'PUT', `/qrs/app/${appId}/script`, { script: 'T: LOAD * INLINE [\nK, V\na, 2\nb, 5\n];' }), 'script');
  expectOk(await api(site, admin, 'POST', `/qrs/app/${appId}/reload`), 'reload');
  enginePid = site.supervisor.pids()['engine'] ?? 0;
}, 120_000);

afterAll(async () => {
  if (enginePid) process.kill(enginePid, 'SIGCONT');
  await site?.stop();
});

async function engineStatus(): Promise<string | undefined> {
  const h = await httpRequest(site, site.ports.proxyApi, '/health', { cert: admin.cert, xrfkey: false });
  return Object.values((h.json as { engines?: Record<string, string> }).engines ?? {})[0];
}

async function until(what: string, f: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Opens a QIX socket and sends Evaluate; resolves with the answer or the close code, and the time taken. */
async function evaluate(): Promise<{ answer?: string; closeCode?: number; ms: number }> {
  const { cookie } = await ticketLogin(site, admin.cert, { userDirectory: 'CORP', userId: 'admin' });
  const token = ((await httpRequest(site, site.ports.proxy, '/qps/user', { headers: { Cookie: cookie } })).json as { csrfToken: string }).csrfToken;
  const t0 = Date.now();
  const ws = new WebSocket(`wss://localhost:${site.ports.proxy}/app/${appId}?qlik-csrf-token=${encodeURIComponent(token)}`, { ca: site.clientFacingCa, headers: { Cookie: cookie, Origin: `https://localhost:${site.ports.proxy}` } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer and no close within 60 s')), 60_000);
    ws.on('open', () => ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'OpenDoc', handle: -1, params: [appId] })));
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; result?: { qReturn?: { qHandle: number }; qValue?: { qText: string } } };
      if (m.id === 1 && m.result?.qReturn) ws.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'EvaluateEx', handle: m.result.qReturn.qHandle, params: ['Sum(V)'] }));
      if (m.id === 2) {
        clearTimeout(timer);
        resolve({ answer: m.result?.qValue?.qText, ms: Date.now() - t0 });
        ws.close();
      }
    });
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve({ closeCode: code, ms: Date.now() - t0 });
    });
    ws.on('error', () => undefined);
  });
}

describe('a hung engine', () => {
  it('with the only engine hung, a new QIX socket ends with 1011 after one short try; it works again once the engine answers', async () => {
    expect(await evaluate()).toMatchObject({ answer: '7' });
    process.kill(enginePid, 'SIGSTOP');
    await until('the proxy to take the hung engine out', async () => (await engineStatus()) === 'unavailable', 30_000);
    const refused = await evaluate();
    expect(refused.closeCode).toBe(1011);
    // One 5 s try (SUSPECT_CONNECT_TIMEOUT_MS) and slack for a loaded machine; 3 × 15 s before.
    expect(refused.ms).toBeLessThan(12_000);
    process.kill(enginePid, 'SIGCONT');
    await until('the engine to be back in rotation', async () => (await engineStatus()) === 'ok', 30_000);
    expect(await evaluate()).toMatchObject({ answer: '7' });
  }, 150_000);
});
