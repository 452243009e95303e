import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHealth } from '@trustzone/service-host';
import { startSiteProcesses, type RunningSite } from '@trustzone/site-harness';

// The whole site as separate processes, each hop real mTLS gRPC: /health is measured, not assumed.
let site: RunningSite;

beforeAll(async () => {
  site = await startSiteProcesses();
});
afterAll(async () => {
  await site?.stop();
});

describe('GET /health on the client-facing listener', () => {
  it('answers ok for every service through the real mTLS calls, without login', async () => {
    const { statusCode, body } = await fetchHealth(`${site.url}/health`, site.clientFacingCa);
    expect(statusCode).toBe(200);
    expect(body).toEqual({ status: 'ok', services: { repository: 'ok', engine: 'ok' } });
  });

  it('answers 503 naming the failing service when one is down', async () => {
    await site.supervisor.kill('engine');
    const { statusCode, body } = await fetchHealth(`${site.url}/health`, site.clientFacingCa, 10_000);
    expect(statusCode).toBe(503);
    expect(body.services).toEqual({ repository: 'ok', engine: 'unavailable' });
  });
});
