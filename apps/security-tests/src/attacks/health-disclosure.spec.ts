import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, integrationCert, startSiteProcesses, type RunningSite } from '@trustzone/site-harness';

// Reconnaissance through the health probe (issue 15, "smaller ones"): `/health` answers anyone who
// reaches the client-facing port, so it may say whether the site works — and nothing about how it
// is built inside the trust zone (engine hosts and ports, how many there are). The per-engine view
// is for operators, on the mutual-TLS proxy API port.
let site: RunningSite;
let portal: { cert: string; key: string };

beforeAll(async () => {
  site = await startSiteProcesses({ extraEngines: 1 });
  portal = await integrationCert(site, 'monitor');
}, 120_000);

afterAll(async () => {
  await site?.stop();
});

describe('Information disclosure › health probe', () => {
  it('anonymous /health names no engine address or other internals, while the mTLS API port shows the engines', async () => {
    const anonymous = await httpRequest(site, site.ports.proxy, '/health', { xrfkey: false });
    expect(anonymous.status).toBe(200);
    expect(anonymous.json).toEqual({ status: 'ok', services: { repository: 'ok', engine: 'ok' } });
    // Not the engines' host:port, nor any other port of the site.
    for (const port of [site.ports.engine, site.ports.repository, site.ports.proxyApi]) expect(anonymous.text).not.toContain(String(port));
    expect(anonymous.text).not.toMatch(/localhost|127\.0\.0\.1|engine:/);

    const operator = await httpRequest(site, site.ports.proxyApi, '/health', { cert: portal, xrfkey: false });
    expect(operator.status).toBe(200);
    const engines = (operator.json as { engines?: Record<string, string> }).engines ?? {};
    expect(Object.keys(engines)).toHaveLength(2);
    expect(Object.keys(engines)).toContain(`localhost:${site.ports.engine}`);
    // The pool marks an engine down while it cannot be reached (the second engine may still be
    // starting on a loaded machine) and up again at the next good probe, 2 s later: wait for that,
    // the point here is what the answer shows, not how soon both engines are up.
    await expect
      .poll(async () => Object.values(((await httpRequest(site, site.ports.proxyApi, '/health', { cert: portal, xrfkey: false })).json as { engines?: Record<string, string> }).engines ?? {}), { timeout: 20_000, interval: 500 })
      .toEqual(['ok', 'ok']);
  });

  it('the detailed health on the API port needs an integration certificate', async () => {
    const siteCa = readFileSync(join(site.dataDir, 'certs', 'root.pem'), 'utf8');
    const status = await new Promise<number | 'refused'>((resolve) => {
      const req = request({ host: 'localhost', port: site.ports.proxyApi, path: '/health', ca: siteCa }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', () => resolve('refused'));
      req.end();
    });
    expect(status).not.toBe(200);
  });
});
