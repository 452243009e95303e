import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSite, type TestSite } from '@trustzone/testing';
import { Metrics } from './metrics';
import { startMetricsServer } from './metrics-server';

describe('Metrics (Prometheus text format)', () => {
  it('renders counters, histograms and gauges with escaped labels', () => {
    const m = new Metrics();
    const c = m.counter('tz_test_total', 'a counter');
    c.inc({ method: '/a', code: 'OK' });
    c.inc({ method: '/a', code: 'OK' }, 2);
    c.inc({ method: 'we"ird\nname' });
    const h = m.histogram('tz_test_seconds', 'a histogram', [0.1, 1]);
    h.observe({ method: '/a' }, 0.05);
    h.observe({ method: '/a' }, 0.5);
    m.gauge('tz_test_open', 'a gauge', () => 7);
    const text = m.render();
    expect(text).toContain('tz_test_total{code="OK",method="/a"} 3');
    expect(text).toContain('tz_test_total{method="we\\"ird\\nname"} 1');
    expect(text).toContain('tz_test_seconds_bucket{le="0.1",method="/a"} 1');
    expect(text).toContain('tz_test_seconds_bucket{le="1",method="/a"} 2');
    expect(text).toContain('tz_test_seconds_bucket{le="+Inf",method="/a"} 2');
    expect(text).toContain('tz_test_seconds_sum{method="/a"} 0.55');
    expect(text).toContain('tz_test_open 7');
  });
});

describe('GET /metrics over mutual TLS', () => {
  let site: TestSite;
  let port: number;
  let close: () => void;

  beforeAll(async () => {
    site = await createTestSite();
    const m = new Metrics();
    m.counter('tz_probe_total', 'probe').inc();
    const started = await startMetricsServer({ host: '127.0.0.1', port: 0, store: site.store('engine'), metrics: m });
    port = started.port;
    close = () => started.server.close();
  });
  afterAll(() => {
    close?.();
    site?.cleanup();
  });

  const get = (opts: { cert?: string; key?: string }) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const cli = site.store('cli').current();
      const req = request({ host: 'localhost', port, path: '/metrics', ca: cli.caPem, ...opts }, (res) => {
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('serves the metrics to a site certificate', async () => {
    const cli = site.store('cli').current();
    const r = await get({ cert: cli.certPem, key: cli.keyPem });
    expect(r.status).toBe(200);
    expect(r.body).toContain('tz_probe_total 1');
  });

  it('refuses a client without a certificate (no plaintext or anonymous listener inside the zone)', async () => {
    await expect(get({})).rejects.toThrow();
  });
});
